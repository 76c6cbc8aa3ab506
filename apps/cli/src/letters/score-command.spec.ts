/**
 * The score command compares extraction with gold labels: precision and recall by line overlap, lead
 * exact-match rate, collaborator F1 and dated deadlines found.
 */
import { existsSync, mkdtempSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseLetter } from '#letters';
import { rates, runScoreLetters, scoreLetter, type GoldRecord } from './score-command.js';

const LETTER = [
  'Oppdragsdokument 2024',
  '',
  'Helse Vest RHF',
  '',
  'Oppdrag 2024:',
  '',
  '- De regionale helseforetakene skal, under ledelse av Helse Nord RHF, utrede et register i samarbeid med FHI. Frist for oppdraget er 1. juni 2025.',
  '- Helse Vest RHF skal etablere rutiner for barselomsorgen innen 1. mars 2024.',
  '- De regionale helseforetakene skal følge opp tidligere krav.',
  '',
].join('\n');

const record = (
  n: number,
  line: number,
  lead: string | null,
  collaborators: string[],
  dates: string[],
  addressedTo: 'all' | 'recipient' | 'other' = 'all',
  addressedToName: string | null = null,
): GoldRecord => ({
  id: `brev#${n}`,
  document: 'brev.txt',
  recipient: 'Helse Vest RHF',
  addressedTo,
  addressedToName,
  lineStart: line,
  lineEnd: line,
  lead,
  collaborators,
  deadlines: dates.map((date) => ({ date, kind: 'frist' })),
});

describe('scoreLetter', () => {
  const found = parseLetter(LETTER, { fileName: 'brev.txt' }).oppdrag;

  it('scores a perfect extraction as 1 everywhere', () => {
    const gold = [
      record(1, 7, 'Helse Nord RHF', ['Folkehelseinstituttet'], ['2025-06-01']),
      record(2, 8, 'Helse Vest RHF', [], ['2024-03-01'], 'recipient'),
      record(3, 9, null, [], []),
    ];
    expect(rates(scoreLetter('brev.txt', gold, found).tally)).toEqual({
      precision: 1,
      recall: 1,
      lead: 1,
      addressees: 1,
      collaboratorF1: 1,
      deadlines: 1,
    });
  });

  it('counts misses, extras, wrong leads, partners and dates', () => {
    const gold = [
      record(
        1,
        7,
        'Helse Vest RHF',
        ['Folkehelseinstituttet', 'Helsedirektoratet'],
        ['2025-06-01', '2024-12-31'],
        'other',
        'Helse Nord RHF',
      ),
      record(2, 30, null, [], ['2024-05-01']),
    ];
    const score = scoreLetter('brev.txt', gold, found);
    expect(score.tally).toMatchObject({
      gold: 2,
      found: 3,
      matched: 1,
      leadRight: 0,
      collabTp: 1,
      collabFn: 1,
      addresseesGold: 1,
      addresseesRight: 0,
      datesFound: 1,
      datesGold: 3,
    });
    const r = rates(score.tally);
    expect(r.precision).toBeCloseTo(1 / 3);
    expect(r.recall).toBeCloseTo(1 / 2);
    expect(r.collaboratorF1).toBeCloseTo(2 / 3);
    expect(score.notes).toContain('lead brev#1: expected helse-vest, got helse-nord');
    expect(score.notes).toContain(
      'addressees brev#1: expected helse-vest, helse-nord, got helse-sor-ost, helse-vest, helse-midt-norge, helse-nord',
    );
    expect(score.notes.some((n) => n.startsWith('missed brev#2'))).toBe(true);
  });
});

describe('runScoreLetters', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'letters-score-'));
    mkdirSync(join(dir, 'gold'));
    mkdirSync(join(dir, 'documents'));
    writeFileSync(join(dir, 'documents', 'brev.txt'), LETTER);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const run = async (gold: GoldRecord[]) => {
    writeFileSync(join(dir, 'gold', 'brev.json'), JSON.stringify(gold));
    const lines: string[] = [];
    const code = await runScoreLetters(
      ['--gold', join(dir, 'gold'), '--documents', join(dir, 'documents')],
      (l) => lines.push(l),
    );
    return { code, lines };
  };

  it('prints per letter and overall, and returns 0 when the targets are met', async () => {
    const { code, lines } = await run([
      record(1, 7, 'Helse Nord RHF', ['FHI'], ['2025-06-01']),
      record(2, 8, 'Helse Vest RHF', [], ['2024-03-01'], 'recipient'),
      record(3, 9, null, [], []),
    ]);
    expect(code).toBe(0);
    expect(lines.find((l) => l.startsWith('brev.txt'))).toMatch(
      /^brev\.txt\s+3\s+3\s+3\s+1\.000\s+1\.000\s+1\.000\s+1\.000\s+1\.000\s+1\.000 \(2\/2\)$/,
    );
    expect(lines.find((l) => l.startsWith('overall'))).toMatch(/1\.000 \(2\/2\)$/);
    expect(lines.some((l) => l.startsWith('targets:') && !l.includes('MISSED'))).toBe(true);
  });

  it('returns 1 when a target is missed', async () => {
    const { code, lines } = await run([
      record(1, 7, 'Helse Vest RHF', [], []),
      record(2, 8, 'Helse Vest RHF', [], []),
    ]);
    expect(code).toBe(1);
    expect(lines.find((l) => l.startsWith('targets:'))).toMatch(/precision 0\.667 < 0\.95 MISSED/);
  });

  it('returns 2 when the gold folder cannot be read', async () => {
    const lines: string[] = [];
    expect(await runScoreLetters(['--gold', join(dir, 'nowhere')], (l) => lines.push(l))).toBe(2);
    expect(lines[0]).toMatch(/cannot read the gold directory/);
  });
});

const shared = resolve(process.cwd(), '..', 'shared');
const available = existsSync(join(shared, 'gold')) && existsSync(join(shared, 'documents'));
if (!available) console.warn(`skipping the score of the real letters: ${shared} is not present`);

(available ? describe : describe.skip)('runScoreLetters on ../shared', () => {
  it('meets the targets on every labelled letter', async () => {
    const lines: string[] = [];
    const code = await runScoreLetters([], (l) => lines.push(l));
    const labelled = readdirSync(join(shared, 'gold')).filter((n) => n.endsWith('.json'));
    expect(lines.filter((l) => /^\d{4}-.*\.txt\s/.test(l))).toHaveLength(labelled.length);
    expect(lines.filter((l) => /MISSED/.test(l))).toEqual([]);
    expect(code).toBe(0);
  });
});
