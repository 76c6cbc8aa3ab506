/**
 * The import preview reads letters (text or PDF) from files or folders, merges them and prints a table that
 * fits 100 columns, the evidence of each field with --verbose, or the JSON plan with --json.
 */
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { LetterError } from '#letters';
import { pdfFromText, pdfWithoutText } from '../../../../libs/letters/test/pdf-fixtures.js';
import { TABLE_WIDTH, fit, runImportPreview, wrap } from './import-command.js';

const letter = (recipient: string) =>
  [
    'Oppdragsdokument 2024',
    '',
    recipient,
    '',
    'Oppdrag 2024:',
    '',
    '- De regionale helseforetakene skal, under ledelse av Helse Vest RHF, utvikle en felles strategi for kjøp av rehabilitering, i samarbeid med kommunene. Det skal leveres en statusrapport innen 1. oktober 2024 og en underveisrapportering innen 1. februar 2025. Frist for oppdraget er 1. juni 2025.',
    `- ${recipient} skal etablere rutiner for barselomsorgen.`,
    '',
  ].join('\n');

describe('runImportPreview', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'letters-import-'));
    mkdirSync(join(dir, 'letters'));
    writeFileSync(join(dir, 'letters', '2024-helse-vest-rhf.txt'), letter('Helse Vest RHF'));
    writeFileSync(join(dir, 'letters', '2024-helse-nord-rhf.txt'), letter('Helse Nord RHF'));
    writeFileSync(join(dir, 'letters', 'plan.txt'), 'Regjeringen vil styrke helsetjenesten.\n');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const files = () => [
    join(dir, 'letters', '2024-helse-vest-rhf.txt'),
    join(dir, 'letters', '2024-helse-nord-rhf.txt'),
  ];

  it('prints a table of lead, addressees, deadline, milestones and title within 100 columns', async () => {
    const lines: string[] = [];
    const plan = await runImportPreview(files(), (l) => lines.push(l));
    expect(plan.oppdrag).toHaveLength(3);
    expect(lines.every((l) => l.length <= TABLE_WIDTH)).toBe(true);
    expect(lines.find((l) => l.trim().startsWith('#'))).toMatch(
      /^\s+#\s+lead\s+to\s+deadline\s+milestones\s+title$/,
    );
    const joint = plan.oppdrag.find((o) => o.sources.length === 2)!;
    const at = lines.findIndex((l) => /^\s+\d+\s+HV\s+alle\s+2025-06-01/.test(l));
    expect(lines[at]).toMatch(/2024-10-01 status\s+Utvikle en felles strategi for kjøp av$/);
    expect(lines[at + 1]).toMatch(/^\s+2025-02-01 underveis\s+rehabilitering, i samarbeid med kommunene\.$/);
    expect(lines[at + 2]).toBe(`     ${joint.oppdragId} · with kommunene`);
    expect(
      lines.some((l) => /^\s+\d+\s+HN\s+HN\s+–\s+–\s+Etablere rutiner for barselomsorgen\.$/.test(l)),
    ).toBe(true);
    expect(lines).toContain('3 oppdrag from 2 letter(s)');
  });

  it('shows the evidence of every field with --verbose', async () => {
    const lines: string[] = [];
    await runImportPreview(['--verbose', files()[0]!], (l) => lines.push(l));
    expect(lines.every((l) => l.length <= TABLE_WIDTH)).toBe(true);
    const evidence = lines.map((l) => l.trim());
    expect(evidence).toContain('lead helse-vest ← «under ledelse av Helse Vest RHF»');
    expect(evidence).toContain('partner kommunene ← «i samarbeid med kommunene»');
    expect(
      evidence.some((l) => l.startsWith('statusrapport 2024-10-01 ← «Det skal leveres en statusrapport')),
    ).toBe(true);
    expect(
      evidence.some((l) => /^source 2024-helse-vest-rhf\.txt lines 7-7, under «Oppdrag 2024»$/.test(l)),
    ).toBe(true);
    expect(evidence).toContain('addressees helse-vest ← «Helse Vest RHF skal»');
  });

  it('prints the whole plan as JSON with --json, and notes elsewhere', async () => {
    const lines: string[] = [];
    const notes: string[] = [];
    const plan = await runImportPreview(
      ['--json', join(dir, 'letters')],
      (l) => lines.push(l),
      (l) => notes.push(l),
    );
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toEqual(JSON.parse(JSON.stringify(plan)));
    expect(notes.some((n) => n.startsWith('skipped: plan.txt:'))).toBe(true);
  });

  it('reads every .txt and .pdf file of a folder and skips those that are no letter, with a note', async () => {
    writeFileSync(
      join(dir, 'letters', '2024-helse-midt-norge-rhf.pdf'),
      await pdfFromText(letter('Helse Midt-Norge RHF')),
    );
    writeFileSync(join(dir, 'letters', 'skannet.pdf'), await pdfWithoutText());
    const lines: string[] = [];
    const plan = await runImportPreview([join(dir, 'letters')], (l) => lines.push(l));
    expect(plan.letters.map((l) => l.letter)).toEqual([
      '2024-helse-midt-norge-rhf.pdf',
      '2024-helse-nord-rhf.txt',
      '2024-helse-vest-rhf.txt',
    ]);
    expect(plan.oppdrag.find((o) => o.sources.length === 3)?.addressees).toHaveLength(4);
    expect(lines.some((l) => l.startsWith('skipped: plan.txt:') && l.includes('not-a-letter'))).toBe(true);
    expect(lines.some((l) => l.startsWith('skipped: skannet.pdf:') && l.includes('no-text-layer'))).toBe(
      true,
    );
  });

  it('refuses a named file that is no letter, a scanned PDF, and unknown options', async () => {
    await expect(
      runImportPreview([join(dir, 'letters', 'plan.txt')], () => undefined),
    ).rejects.toBeInstanceOf(LetterError);
    writeFileSync(join(dir, 'skannet.pdf'), await pdfWithoutText());
    await expect(runImportPreview([join(dir, 'skannet.pdf')], () => undefined)).rejects.toMatchObject({
      rule: 'no-text-layer',
    });
    await expect(runImportPreview(['--commit', join(dir, 'letters')], () => undefined)).rejects.toThrow(
      /unknown option/,
    );
    await expect(runImportPreview([], () => undefined)).rejects.toThrow(/no letters given/);
  });
});

describe('wrap', () => {
  it('wraps at words into at most the lines given, the last cut with an ellipsis', () => {
    const title =
      'Gjennomgå organiseringen av organdonasjonsvirksomheten ved donorsykehusene slik at det legges til rette';
    expect(wrap(title, 40, 3)).toEqual([
      'Gjennomgå organiseringen av',
      'organdonasjonsvirksomheten ved',
      'donorsykehusene slik at det legges til…',
    ]);
    expect(wrap('Kort tittel.', 40, 3)).toEqual(['Kort tittel.']);
  });
});

describe('fit', () => {
  it('cuts at a word and marks the cut', () => {
    expect(fit('Utvikle en felles strategi for kjøp av rehabilitering', 30)).toBe(
      'Utvikle en felles strategi…',
    );
    expect(fit('kort', 30)).toBe('kort');
    expect(fit('a'.repeat(40), 10)).toBe(`${'a'.repeat(9)}…`);
  });
});

describe('the oppdragsflyt command', () => {
  it('is the package’s bin: the compiled CLI, which starts with a shebang', () => {
    const pkg = JSON.parse(readFileSync(resolve(process.cwd(), 'package.json'), 'utf8')) as {
      bin?: Record<string, string>;
    };
    expect(pkg.bin).toEqual({ oppdragsflyt: 'dist/apps/cli/src/main.js' });
    expect(readFileSync(resolve(process.cwd(), 'apps/cli/src/main.ts'), 'utf8')).toMatch(
      /^#!\/usr\/bin\/env node\n/,
    );
  });
});
