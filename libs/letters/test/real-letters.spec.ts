/**
 * The real letters in ../shared/documents, checked against the hand-made labels in ../shared/gold.
 * Skipped, with a warning, where ../shared is not present.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { decide, initialState, OPPDRAG_ID_PATTERN, resolveOrganisation, type Actor } from '#domain';
import { LetterError, mergeLetters, parseLetter, toAssignData, type ParsedLetter } from '../src/index.js';

const shared = resolve(process.cwd(), '..', 'shared');
const documents = join(shared, 'documents');
const gold = join(shared, 'gold');
const available = existsSync(documents) && existsSync(gold);
if (!available) console.warn(`skipping the real-letter tests: ${shared} is not present`);
const describeReal = available ? describe : describe.skip;

interface Gold {
  id: string;
  document: string;
  letter: string;
  section: number | null;
  lineStart: number;
  lineEnd: number;
  lead: string | null;
  deadlines: { date: string | null }[];
}

const read = (name: string) => readFileSync(join(documents, name), 'utf8');
const goldFor = (name: string): Gold[] =>
  JSON.parse(readFileSync(join(gold, name.replace(/\.txt$/, '.json')), 'utf8')) as Gold[];
const overlaps = (a: { lineStart: number; lineEnd: number }, b: { lineStart: number; lineEnd: number }) =>
  Math.min(a.lineEnd, b.lineEnd) >= Math.max(a.lineStart, b.lineStart);

describeReal('the labelled letters', () => {
  const labelled = available
    ? readdirSync(gold)
        .filter((n) => n.endsWith('.json'))
        .map((n) => n.replace(/\.json$/, '.txt'))
    : [];
  const parsed = new Map<string, ParsedLetter>(
    labelled.map((name) => [name, parseLetter(read(name), { fileName: name })]),
  );

  it.each(labelled)('%s: every labelled oppdrag is found once, and nothing else', (name) => {
    const letter = parsed.get(name)!;
    const records = goldFor(name);
    for (const record of records) {
      const hits = letter.oppdrag.filter((o) => overlaps(o.source, record));
      expect({ id: record.id, hits: hits.length }).toEqual({ id: record.id, hits: 1 });
    }
    for (const o of letter.oppdrag) {
      expect({ line: o.source.lineStart, labelled: records.some((r) => overlaps(o.source, r)) }).toEqual({
        line: o.source.lineStart,
        labelled: true,
      });
    }
  });

  it.each(labelled)('%s: leads, letter kinds, sections and dated deadlines agree with the labels', (name) => {
    const letter = parsed.get(name)!;
    for (const record of goldFor(name)) {
      const o = letter.oppdrag.find((x) => overlaps(x.source, record))!;
      const expectedLead =
        record.lead === null ? null : (resolveOrganisation(record.lead)?.id ?? record.lead);
      expect({ id: record.id, lead: o.lead }).toEqual({ id: record.id, lead: expectedLead });
      expect({ id: record.id, kind: o.source.letterKind }).toEqual({ id: record.id, kind: record.letter });
      expect({ id: record.id, section: o.source.section?.number ?? null }).toEqual({
        id: record.id,
        section: record.section,
      });
      const ours = [o.deadline, ...o.milestones.map((m) => m.dueDate)];
      for (const d of record.deadlines) {
        if (d.date !== null)
          expect({ id: record.id, found: ours.includes(d.date as never) }).toEqual({
            id: record.id,
            found: true,
          });
      }
    }
  });

  it('reads the letters’ metadata', () => {
    const y2023 = parsed.get('2023-helse-midt-norge-rhf.txt');
    const y2024 = parsed.get('2024-helse-midt-norge-rhf.txt');
    expect(y2023).toMatchObject({
      recipient: 'helse-midt-norge',
      year: 2023,
      kind: 'hoveddokument',
      date: '2023-01-17',
    });
    expect(y2024).toMatchObject({
      recipient: 'helse-midt-norge',
      year: 2024,
      kind: 'hoveddokument',
      date: '2024-01-16',
    });
    expect(y2024?.parts.map((p) => [p.kind, p.repeats])).toEqual([
      ['hoveddokument', null],
      ['hoveddokument', 0],
      ['tilleggsdokument', null],
    ]);
  });

  it('merges into a plan the domain accepts', () => {
    const plan = mergeLetters([...parsed.values()]);
    const actor: Actor = { userId: 'u1', name: 'Koordinator', role: 'coordinator', organisationId: 'hod' };
    expect(plan.oppdrag.length).toBe([...parsed.values()].reduce((n, l) => n + l.oppdrag.length, 0));
    for (const o of plan.oppdrag) {
      expect(o.oppdragId).toMatch(OPPDRAG_ID_PATTERN);
      expect(() =>
        decide({ type: 'AssignOppdrag', data: toAssignData(o) }, initialState(), {
          actor,
          now: '2024-08-01T08:00:00Z',
        }),
      ).not.toThrow();
    }
  });
});

describeReal('all documents', () => {
  // How fast they parse is a benchmark figure, not a unit test's: a timed assertion fails on a busy machine.
  it('all parse; the background plan is refused as no letter', () => {
    const names = readdirSync(documents).filter((n) => n.endsWith('.txt'));
    const outcomes = names.map((name) => {
      try {
        return parseLetter(read(name), { fileName: name }).oppdrag.length;
      } catch (error) {
        if (error instanceof LetterError) return error.rule;
        throw error;
      }
    });
    expect(outcomes.filter((o) => typeof o === 'number' && o > 0)).toHaveLength(names.length - 1);
    expect(outcomes[names.indexOf('nasjonal-helse-og-sykehusplan-2020-2023.txt')]).toBe('not-a-letter');
  });
});
