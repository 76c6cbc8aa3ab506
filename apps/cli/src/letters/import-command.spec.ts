/**
 * The import preview reads letters from files or folders, merges them and prints a table or the JSON plan.
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LetterError } from '#letters';
import { runImportPreview } from './import-command.js';

const letter = (recipient: string) =>
  [
    'Oppdragsdokument 2024',
    '',
    recipient,
    '',
    'Oppdrag 2024:',
    '',
    '- De regionale helseforetakene skal, under ledelse av Helse Vest RHF, utvikle en felles strategi for kjøp av rehabilitering, i samarbeid med kommunene. Frist for oppdraget er 1. juni 2025.',
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

  it('prints a table of id, lead, deadline, collaborators and title, and returns the plan', async () => {
    const lines: string[] = [];
    const plan = await runImportPreview(
      [join(dir, 'letters', '2024-helse-vest-rhf.txt'), join(dir, 'letters', '2024-helse-nord-rhf.txt')],
      (l) => lines.push(l),
    );
    expect(plan.oppdrag).toHaveLength(3);
    const header = lines.find((l) => l.startsWith('id'));
    expect(header).toMatch(/^id\s+lead\s+deadline\s+collaborators\s+title$/);
    const joint = plan.oppdrag.find((o) => o.sources.length === 2)!;
    const row = lines.find((l) => l.startsWith(joint.oppdragId));
    expect(row).toMatch(/helse-vest\s+2025-06-01\s+kommunene\s+Utvikle en felles strategi/);
    expect(lines).toContain('3 oppdrag from 2 letter(s)');
  });

  it('prints the whole plan as JSON with --json', async () => {
    const lines: string[] = [];
    const plan = await runImportPreview(['--json', join(dir, 'letters', '2024-helse-vest-rhf.txt')], (l) =>
      lines.push(l),
    );
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toEqual(JSON.parse(JSON.stringify(plan)));
  });

  it('reads every .txt file of a folder and skips those that are no letter, with a note', async () => {
    const lines: string[] = [];
    const plan = await runImportPreview([join(dir, 'letters')], (l) => lines.push(l));
    expect(plan.letters.map((l) => l.letter)).toEqual(['2024-helse-nord-rhf.txt', '2024-helse-vest-rhf.txt']);
    expect(lines.some((l) => l.startsWith('skipped: plan.txt:') && l.includes('not-a-letter'))).toBe(true);
  });

  it('refuses a named file that is no letter, and unknown options', async () => {
    await expect(
      runImportPreview([join(dir, 'letters', 'plan.txt')], () => undefined),
    ).rejects.toBeInstanceOf(LetterError);
    await expect(runImportPreview(['--commit', join(dir, 'letters')], () => undefined)).rejects.toThrow(
      /unknown option/,
    );
    await expect(runImportPreview([], () => undefined)).rejects.toThrow(/no letters given/);
  });
});
