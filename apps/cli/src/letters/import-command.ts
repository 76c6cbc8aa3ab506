import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { LetterError, mergeLetters, parseLetter, type ImportPlan, type ParsedLetter } from '#letters';

const USAGE = 'usage: import [--json] <letter.txt | directory> ...';

interface ImportArgs {
  readonly json: boolean;
  readonly paths: string[];
}

function parseArgs(args: readonly string[]): ImportArgs {
  const paths: string[] = [];
  let json = false;
  for (const arg of args) {
    if (arg === '--json') json = true;
    else if (arg.startsWith('--')) throw new Error(`unknown option ${arg}; ${USAGE}`);
    else paths.push(arg);
  }
  if (paths.length === 0) throw new Error(`no letters given; ${USAGE}`);
  return { json, paths };
}

/**
 * Reads letters (files, or every .txt file in a directory), merges them into one import plan and prints it:
 * a table of id, lead, deadline, collaborators and title, or with `--json` the whole plan. Nothing is
 * committed; the plan is returned for the caller to hand to the command handler.
 *
 * A file named on the command line that is no letter is an error; in a directory such files are skipped with
 * a note (a folder of letters may hold background documents too).
 */
export async function runImportPreview(args: string[], out: (line: string) => void): Promise<ImportPlan> {
  const { json, paths } = parseArgs(args);
  const parsed: ParsedLetter[] = [];
  const skipped: string[] = [];
  for (const path of paths) {
    const info = await stat(path);
    if (info.isDirectory()) {
      const names = (await readdir(path)).filter((n) => n.toLowerCase().endsWith('.txt')).sort();
      for (const name of names) {
        try {
          parsed.push(parseLetter(await readFile(join(path, name), 'utf8'), { fileName: name }));
        } catch (error) {
          if (!(error instanceof LetterError)) throw error;
          skipped.push(error.message);
        }
      }
    } else {
      parsed.push(parseLetter(await readFile(path, 'utf8'), { fileName: basename(path) }));
    }
  }
  const plan = mergeLetters(parsed);
  if (json) {
    out(JSON.stringify(plan, null, 2));
    return plan;
  }
  for (const note of skipped) out(`skipped: ${note}`);
  printTable(plan, out);
  return plan;
}

function printTable(plan: ImportPlan, out: (line: string) => void): void {
  for (const l of plan.letters) {
    out(
      `letter ${l.letter}: ${l.kind} ${l.year} to ${l.recipient ?? 'all RHFs'}${l.date ? ` dated ${l.date}` : ''}, ` +
        `${l.parts} part(s), ${l.oppdrag} oppdrag`,
    );
  }
  const rows = plan.oppdrag.map((o) => [
    o.oppdragId,
    o.lead ?? '-',
    o.deadline ?? '-',
    o.collaborators.map((c) => c.id).join(', ') || '-',
    o.title.length > 80 ? `${o.title.slice(0, 79)}…` : o.title,
  ]);
  const header = ['id', 'lead', 'deadline', 'collaborators', 'title'];
  const widths = header.map((h, i) =>
    Math.min(60, Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length))),
  );
  const format = (cells: readonly string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  out('');
  out(format(header));
  out(format(widths.map((w) => '-'.repeat(w))));
  for (const row of rows) out(format(row));
  out('');
  out(`${plan.oppdrag.length} oppdrag from ${plan.letters.length} letter(s)`);
  for (const w of plan.warnings) out(`warning: ${w}`);
}
