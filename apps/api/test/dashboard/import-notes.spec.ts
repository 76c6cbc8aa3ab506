import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { findDeadlines } from '#letters';

/**
 * The letter reader's notes as the dashboard shows them, without a browser: every convention the reader
 * can give a date, and each of its warnings, in Norwegian with nothing English left.
 */

interface Notes {
  norwegianNote(note: string): { text: string; known: boolean };
}
const load = async (): Promise<Notes> =>
  (await import(new URL('../../public/js/import-notes.js', import.meta.url).href)) as Notes;

const ENGLISH = /\b(season|period|last day|year|half|quarter|lines?|repeat|letters?|disagree|check|taken)\b/i;

describe("the import review's notes in Norwegian", () => {
  it('says each convention the reader gives a date in Norwegian', async () => {
    const { norwegianNote } = await load();
    const phrases = [
      'Arbeidet skal være ferdig innen utgangen av 2024.',
      'Tiltaket skal være på plass innen utgangen av mars 2025.',
      'Ordningen skal evalueres innen første halvår 2025.',
      'Ordninga skal evaluerast innan andre tertial 2021.',
      'Rapporten skal leggjast fram innan tredje kvartal 2021.',
      'Planen skal gjennomføres innen utgangen av planperioden 2022–2025.',
      'Helse Vest RHF skal vurdere tiltak innan hausten 2020.',
      'Helse Nord RHF skal levere en vurdering innen våren 2021.',
      'Saken skal avklares innen sommeren 2024.',
      'Saken skal avklarast innan vinteren 2024.',
      'Vurderingene skal oversendes departementet innen 1. oktober.',
    ];
    const conventions = new Set(
      phrases.flatMap((text) =>
        findDeadlines(text, { year: 2024, letterDate: null }).flatMap((d) => d.convention ?? []),
      ),
    );
    expect(conventions.size).toBeGreaterThanOrEqual(8);
    for (const convention of conventions) {
      const note = norwegianNote(convention);
      expect({ convention, ...note }).toEqual({ convention, known: true, text: note.text });
      expect(note.text).not.toMatch(ENGLISH);
    }
    expect(norwegianNote('season: autumn is the second half-year (31 December)').text).toBe(
      'høsten regnes som andre halvår (31. desember)',
    );
  });

  it('knows every convention written in the reader', async () => {
    const { norwegianNote } = await load();
    const source = readFileSync(
      fileURLToPath(new URL('../../../../libs/letters/src/dates.ts', import.meta.url)),
      'utf8',
    );
    const literals = [...source.matchAll(/convention: '([^']+)'/g)].map((m) => m[1] as string);
    expect(literals.length).toBeGreaterThanOrEqual(8);
    expect(literals.filter((c) => !norwegianNote(c).known)).toEqual([]);
  });

  it("says the reader's warnings in Norwegian, and an unknown one without English", async () => {
    const { norwegianNote } = await load();
    expect(
      norwegianNote('hv-2024: lines 40-52 repeat the letter at lines 10-22: 3 oppdrag counted once').text,
    ).toBe('hv-2024: linje 40–52 gjentar brevet fra linje 10–22; 3 oppdrag er telt bare én gang');
    expect(norwegianNote('2024-abc123: the letters disagree; check lead and dates').text).toBe(
      '2024-abc123: brevene sier ulikt om dette oppdraget; sjekk ledende RHF og datoene',
    );
    const unknown = norwegianNote('something the reader says in a later version');
    expect(unknown.known).toBe(false);
    expect(unknown.text).not.toMatch(ENGLISH);
  });
});
