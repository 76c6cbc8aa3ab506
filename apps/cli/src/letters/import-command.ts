import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { RhfId } from '#domain';
import { parseCommandLine, UsageError } from '../args.js';
import {
  LetterError,
  isPdf,
  mergeLetters,
  parseLetter,
  readPdfText,
  type ImportPlan,
  type ParsedLetter,
  type PlannedOppdrag,
} from '#letters';

const USAGE = 'usage: import [--json] [--verbose] <letter.txt | letter.pdf | directory> ...';

/** The table fits a terminal of this many columns. */
export const TABLE_WIDTH = 100;

export interface PreviewOptions {
  readonly json: boolean;
  readonly verbose: boolean;
  readonly paths: readonly string[];
}

/** The preview's options, as `import` takes them too. */
export const PREVIEW_OPTIONS = {
  json: { type: 'boolean' },
  verbose: { type: 'boolean', short: 'v' },
} as const;

const LETTER_FILE = /\.(?:txt|pdf)$/i;

/** Reads one letter file: a PDF (by its bytes, whatever its name) through its text layer, else UTF-8 text. */
export async function readLetterFile(path: string): Promise<ParsedLetter> {
  const bytes = new Uint8Array(await readFile(path));
  const fileName = basename(path);
  const text = isPdf(bytes) ? await readPdfText(bytes, fileName) : new TextDecoder('utf-8').decode(bytes);
  return parseLetter(text, { fileName });
}

/**
 * Reads letters (files, or every .txt and .pdf file in a directory), merges them into one import plan and
 * prints it: a table that fits 100 columns (with `--verbose`, the evidence of every field under each row), or
 * with `--json` the whole plan as JSON and nothing else on `out`. Nothing is committed; the plan is returned
 * for the caller to hand to the command handler.
 *
 * A file named on the command line that is no letter is an error; in a directory such files are skipped with a
 * note on `notes` (a folder of letters may hold background documents too).
 */
export async function runImportPreview(
  args: string[],
  out: (line: string) => void,
  notes: (line: string) => void = out,
): Promise<ImportPlan> {
  const { values, positionals } = parseCommandLine(args, PREVIEW_OPTIONS, true);
  return previewLetters(
    { json: values.json === true, verbose: values.verbose === true, paths: positionals },
    out,
    notes,
  );
}

/** {@link runImportPreview} with its options parsed. */
export async function previewLetters(
  { json, verbose, paths }: PreviewOptions,
  out: (line: string) => void,
  notes: (line: string) => void = out,
): Promise<ImportPlan> {
  if (paths.length === 0) throw new UsageError(`no letters given; ${USAGE}`);
  const parsed: ParsedLetter[] = [];
  const skipped: string[] = [];
  for (const path of paths) {
    const info = await stat(path);
    if (info.isDirectory()) {
      const names = (await readdir(path)).filter((n) => LETTER_FILE.test(n)).sort();
      for (const name of names) {
        try {
          parsed.push(await readLetterFile(join(path, name)));
        } catch (error) {
          if (!(error instanceof LetterError)) throw error;
          skipped.push(error.message);
        }
      }
    } else {
      parsed.push(await readLetterFile(path));
    }
  }
  const plan = mergeLetters(parsed);
  for (const note of skipped) notes(`skipped: ${note}`);
  if (json) {
    out(JSON.stringify(plan, null, 2));
    return plan;
  }
  printTable(plan, verbose, out);
  return plan;
}

const RHF_CODES: Record<RhfId, string> = {
  'helse-sor-ost': 'HSØ',
  'helse-vest': 'HV',
  'helse-midt-norge': 'HMN',
  'helse-nord': 'HN',
};
const code = (id: string | null): string => (id ? (RHF_CODES[id as RhfId] ?? id) : '–');
const addresseesText = (ids: readonly RhfId[]): string =>
  ids.length === 4 ? 'alle' : ids.map((id) => RHF_CODES[id]).join('+') || '–';

/** Cuts a text to a width, marking the cut with an ellipsis. */
export function fit(text: string, width: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= width) return flat;
  if (width <= 1) return '…'.slice(0, width);
  const cut = flat.slice(0, width - 1);
  const space = cut.lastIndexOf(' ');
  return `${space > width * 0.6 ? cut.slice(0, space) : cut}…`;
}

interface Column {
  readonly header: string;
  readonly width: number;
}

const COLUMNS: readonly Column[] = [
  { header: '#', width: 3 },
  { header: 'lead', width: 4 },
  { header: 'to', width: 6 },
  { header: 'deadline', width: 10 },
  { header: 'milestones', width: 20 },
  // The title takes what is left of the 100 columns after the others and the gaps between them.
  { header: 'title', width: TABLE_WIDTH - (3 + 4 + 6 + 10 + 20) - 2 * 5 },
];

const TITLE_COLUMN = COLUMNS[COLUMNS.length - 1]?.width ?? 40;

/** Wraps a text at words into lines of a width, at most `lines` of them (the last cut with an ellipsis). */
export function wrap(text: string, width: number, lines: number): string[] {
  const out: string[] = [];
  let rest = text.replace(/\s+/g, ' ').trim();
  while (rest.length > 0 && out.length < lines - 1) {
    if (rest.length <= width) break;
    const cut = rest.lastIndexOf(' ', width);
    const at = cut > width * 0.4 ? cut : width;
    out.push(rest.slice(0, at).trimEnd());
    rest = rest.slice(at).trimStart();
  }
  if (rest.length > 0) out.push(fit(rest, width));
  return out;
}

/** Short names of the milestone kinds, so a milestone fits its column: "2024-06-01 status". */
const KIND_LABELS: Record<string, string> = {
  statusrapport: 'status',
  underveisrapportering: 'underveis',
  'årlig melding': 'årl. meld.',
};

function row(cells: readonly string[]): string {
  return COLUMNS.map((c, i) => {
    const cell = fit(cells[i] ?? '', c.width);
    return i === 0 ? cell.padStart(c.width) : i === COLUMNS.length - 1 ? cell : cell.padEnd(c.width);
  })
    .join('  ')
    .trimEnd();
}

/** The indentation of the lines under a row: they start where the lead column does. */
const UNDER = ' '.repeat((COLUMNS[0]?.width ?? 3) + 2);
const under = (text: string): string => UNDER + fit(text, TABLE_WIDTH - UNDER.length);

function printTable(plan: ImportPlan, verbose: boolean, out: (line: string) => void): void {
  for (const l of plan.letters) {
    const facts = [
      `${l.kind} ${l.year}`,
      `to ${l.recipient ? code(l.recipient) : 'all RHFs'}`,
      ...(l.date ? [l.date] : []),
      `${l.oppdrag} oppdrag${l.parts > 1 ? ` in ${l.parts} parts` : ''}`,
    ];
    out(fit(`${l.letter} · ${facts.join(' · ')}`, TABLE_WIDTH));
  }
  out('');
  out(row(COLUMNS.map((c) => c.header)));
  out(row(COLUMNS.map((c) => '-'.repeat(c.width))));
  plan.oppdrag.forEach((o, i) => {
    const milestones = o.milestones.map((m) => `${m.dueDate} ${KIND_LABELS[m.kind] ?? m.kind}`);
    const title = wrap(o.title, TITLE_COLUMN, 3);
    out(
      row([
        String(i + 1),
        code(o.lead),
        addresseesText(o.addressees),
        o.deadline ?? '–',
        milestones[0] ?? '–',
        title[0] ?? '',
      ]),
    );
    // Further milestones and the rest of the title stand in their columns on the lines below.
    for (let line = 1; line < Math.max(milestones.length, title.length); line++) {
      out(row(['', '', '', '', milestones[line] ?? '', title[line] ?? '']));
    }
    const partners = o.collaborators.map((c) => c.name).join(', ');
    out(under(`${o.oppdragId}${partners ? ` · with ${partners}` : ''}`));
    if (verbose) for (const line of evidenceLines(o)) out(under(line));
  });
  out('');
  out(`${plan.oppdrag.length} oppdrag from ${plan.letters.length} letter(s)`);
  out('lead/to: HSØ Helse Sør-Øst, HV Helse Vest, HMN Helse Midt-Norge, HN Helse Nord, alle = all four RHFs');
  for (const w of plan.warnings) out(fit(`warning: ${w}`, TABLE_WIDTH));
}

/** Where each field of a planned oppdrag was read: the phrase behind it, and its source lines. */
function evidenceLines(o: PlannedOppdrag): string[] {
  const e = o.evidence;
  const quote = (phrase: string | null) => (phrase ? `«${phrase}»` : '(not stated)');
  const lines = [
    `addressees ${o.addressees.join(', ')} ← ${e.addressees.length > 0 ? e.addressees.map(quote).join(' + ') : '(the letter’s recipient)'}`,
    `lead ${o.lead ?? 'none'} ← ${quote(e.lead)}`,
    ...e.collaborators.map((c) => `partner ${c.id} ← ${quote(c.phrase)}`),
    ...e.dates.map(
      (d) =>
        `${d.kind} ${d.date ?? '(no date)'} ← ${quote(d.phrase)}${d.convention ? ` [${d.convention}]` : ''}`,
    ),
    ...o.sources.map(
      (s) =>
        `source ${s.letter} lines ${s.lineStart ?? '?'}-${s.lineEnd ?? '?'}` +
        `${s.heading ? `, under «${s.heading}»` : ''}${s.section?.number ? `, hovedmål ${s.section.number}` : ''}`,
    ),
    `confidence ${o.confidence.toFixed(2)}${e.outsideList ? ', stated in prose outside an oppdrag list' : ''}`,
  ];
  return lines;
}
