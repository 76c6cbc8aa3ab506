import { readdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { RHF_IDS, organisationRef, resolveOrganisation } from '#domain';
import { parseLetter, type ParsedOppdrag } from '#letters';
import { parseCommandLine } from '../args.js';

const USAGE = 'usage: score-letters [--gold DIR] [--documents DIR] [--verbose]';

/** The targets on the labelled letters. */
export const SCORE_TARGETS = {
  precision: 0.95,
  recall: 0.95,
  lead: 0.95,
  addressees: 0.95,
  deadlines: 0.95,
} as const;

/** One hand-made label (see `shared/gold/LABELLING.md`); only the fields the score reads. */
export interface GoldRecord {
  readonly id: string;
  readonly document: string;
  readonly lineStart: number;
  readonly lineEnd: number;
  readonly lead: string | null;
  readonly collaborators: readonly string[];
  readonly deadlines: readonly { readonly date: string | null; readonly kind: string }[];
  readonly firstWords?: string;
  /** The letter's recipient (canonical name). */
  readonly recipient?: string;
  /** `all`, `recipient` or `other` (then `addressedToName` names the RHF). */
  readonly addressedTo?: string;
  readonly addressedToName?: string | null;
}

export interface Tally {
  gold: number;
  found: number;
  matched: number;
  leadRight: number;
  /** Matched oppdrag whose gold says whom it addresses. */
  addresseesGold: number;
  addresseesRight: number;
  collabTp: number;
  collabFp: number;
  collabFn: number;
  datesGold: number;
  datesFound: number;
}

export interface LetterScore {
  readonly document: string;
  readonly tally: Tally;
  readonly notes: string[];
}

const emptyTally = (): Tally => ({
  gold: 0,
  found: 0,
  matched: 0,
  leadRight: 0,
  addresseesGold: 0,
  addresseesRight: 0,
  collabTp: 0,
  collabFp: 0,
  collabFn: 0,
  datesGold: 0,
  datesFound: 0,
});

function overlap(
  a: { lineStart: number; lineEnd: number },
  b: { lineStart: number; lineEnd: number },
): number {
  return Math.max(0, Math.min(a.lineEnd, b.lineEnd) - Math.max(a.lineStart, b.lineStart) + 1);
}

/**
 * Pairs gold records with extracted oppdrag by line overlap, largest overlap first, each at most once.
 */
export function matchByLines(
  gold: readonly GoldRecord[],
  found: readonly ParsedOppdrag[],
): { gold: GoldRecord; found: ParsedOppdrag }[] {
  const candidates: { g: number; f: number; size: number; drift: number }[] = [];
  gold.forEach((g, gi) =>
    found.forEach((f, fi) => {
      const size = overlap(g, f.source);
      if (size > 0)
        candidates.push({ g: gi, f: fi, size, drift: Math.abs(g.lineStart - f.source.lineStart) });
    }),
  );
  candidates.sort((a, b) => b.size - a.size || a.drift - b.drift || a.g - b.g || a.f - b.f);
  const usedGold = new Set<number>();
  const usedFound = new Set<number>();
  const pairs: { gold: GoldRecord; found: ParsedOppdrag }[] = [];
  for (const c of candidates) {
    if (usedGold.has(c.g) || usedFound.has(c.f)) continue;
    const g = gold[c.g];
    const f = found[c.f];
    if (!g || !f) continue;
    usedGold.add(c.g);
    usedFound.add(c.f);
    pairs.push({ gold: g, found: f });
  }
  return pairs;
}

const goldId = (name: string): string => resolveOrganisation(name)?.id ?? organisationRef(name).id;

/** Scores one letter's extraction against its gold records. */
export function scoreLetter(
  document: string,
  gold: readonly GoldRecord[],
  found: readonly ParsedOppdrag[],
): LetterScore {
  const tally = emptyTally();
  const notes: string[] = [];
  tally.gold = gold.length;
  tally.found = found.length;
  const pairs = matchByLines(gold, found);
  tally.matched = pairs.length;
  const matchedGold = new Set(pairs.map((p) => p.gold));
  const matchedFound = new Set(pairs.map((p) => p.found));
  for (const g of gold) {
    if (!matchedGold.has(g))
      notes.push(`missed ${g.id} (lines ${g.lineStart}-${g.lineEnd}): ${g.firstWords ?? ''}`);
  }
  for (const f of found) {
    if (!matchedFound.has(f))
      notes.push(`extra: lines ${f.source.lineStart}-${f.source.lineEnd}: ${f.title}`);
  }
  for (const { gold: g, found: f } of pairs) {
    const expectedLead = g.lead === null ? null : goldId(g.lead);
    if (expectedLead === f.lead) tally.leadRight++;
    else notes.push(`lead ${g.id}: expected ${expectedLead ?? 'none'}, got ${f.lead ?? 'none'}`);
    const addressees = expectedAddressees(g);
    if (addressees) {
      tally.addresseesGold++;
      const got = [...f.addressees].sort().join(',');
      if (addressees.some((set) => [...set].sort().join(',') === got)) tally.addresseesRight++;
      else
        notes.push(
          `addressees ${g.id}: expected ${RHF_IDS.filter((id) => addressees[0]?.has(id)).join(', ')}, got ${f.addressees.join(', ') || 'none'}`,
        );
    }
    const expected = new Set(g.collaborators.map(goldId));
    const got = new Set(f.collaborators.map((c) => c.id));
    for (const id of got) {
      if (expected.has(id)) tally.collabTp++;
      else {
        tally.collabFp++;
        notes.push(`collaborator ${g.id}: extra ${id}`);
      }
    }
    for (const id of expected) {
      if (!got.has(id)) {
        tally.collabFn++;
        notes.push(`collaborator ${g.id}: missing ${id}`);
      }
    }
  }
  const foundByGold = new Map(pairs.map((p) => [p.gold, p.found]));
  for (const g of gold) {
    const f = foundByGold.get(g);
    const dates = new Set<string>([
      ...(f?.deadline ? [f.deadline] : []),
      ...(f?.milestones.map((m) => m.dueDate) ?? []),
    ]);
    for (const d of g.deadlines) {
      if (d.date === null) continue;
      tally.datesGold++;
      if (dates.has(d.date)) tally.datesFound++;
      else
        notes.push(
          `deadline ${g.id}: expected ${d.date} (${d.kind}), got ${[...dates].join(', ') || 'none'}`,
        );
    }
  }
  return { document, tally, notes };
}

/**
 * The addressee sets the gold allows: all four RHFs for `all`, the recipient for `recipient`, the named RHF
 * for `other` (or it and the recipient, when a next sentence gives the recipient a part, which the gold does
 * not record). The gold lead is always added. Null when the record does not say.
 */
export function expectedAddressees(g: GoldRecord): Set<string>[] | null {
  const lead = g.lead === null ? [] : [goldId(g.lead)];
  const recipient = g.recipient ? goldId(g.recipient) : null;
  switch (g.addressedTo) {
    case 'all':
      return [new Set(RHF_IDS)];
    case 'recipient':
      return recipient ? [new Set([recipient, ...lead])] : null;
    case 'other': {
      if (!g.addressedToName) return null;
      const other = goldId(g.addressedToName);
      const alone = new Set([other, ...lead]);
      return recipient ? [alone, new Set([...alone, recipient])] : [alone];
    }
    default:
      return null;
  }
}

const ratio = (n: number, d: number): number => (d === 0 ? 1 : n / d);

export interface Rates {
  readonly precision: number;
  readonly recall: number;
  readonly lead: number;
  readonly addressees: number;
  readonly collaboratorF1: number;
  readonly deadlines: number;
}

/** Precision and recall of oppdrag found, lead exact-match rate over matched oppdrag, collaborator F1
 * (micro, over matched oppdrag) and the share of gold dated deadlines found among our deadline and milestones. */
export function rates(t: Tally): Rates {
  const p = ratio(t.collabTp, t.collabTp + t.collabFp);
  const r = ratio(t.collabTp, t.collabTp + t.collabFn);
  return {
    precision: ratio(t.matched, t.found),
    recall: ratio(t.matched, t.gold),
    lead: ratio(t.leadRight, t.matched),
    addressees: ratio(t.addresseesRight, t.addresseesGold),
    collaboratorF1: p + r === 0 ? 0 : (2 * p * r) / (p + r),
    deadlines: ratio(t.datesFound, t.datesGold),
  };
}

function add(into: Tally, t: Tally): void {
  for (const k of Object.keys(into) as (keyof Tally)[]) into[k] += t[k];
}

function isGoldRecord(value: unknown): value is GoldRecord {
  if (typeof value !== 'object' || value === null) return false;
  const r = value as Record<string, unknown>;
  return (
    typeof r.document === 'string' &&
    typeof r.lineStart === 'number' &&
    typeof r.lineEnd === 'number' &&
    (r.lead === null || typeof r.lead === 'string') &&
    Array.isArray(r.collaborators) &&
    Array.isArray(r.deadlines)
  );
}

function parseArgs(args: readonly string[]): { gold: string; documents: string; verbose: boolean } {
  const shared = resolve(process.cwd(), '..', 'shared');
  const { values } = parseCommandLine(args, {
    gold: { type: 'string' },
    documents: { type: 'string' },
    verbose: { type: 'boolean' },
  });
  return {
    gold: values.gold ? resolve(values.gold) : join(shared, 'gold'),
    documents: values.documents ? resolve(values.documents) : join(shared, 'documents'),
    verbose: values.verbose === true,
  };
}

const f3 = (n: number): string => n.toFixed(3);

/**
 * Compares the extraction of every labelled letter with its gold records and prints per-letter and overall
 * scores. Returns 0 when every target is met overall and on every letter, 1 when one is missed, 2 when the
 * files cannot be read.
 */
export async function runScoreLetters(args: string[], out: (line: string) => void): Promise<number> {
  let options: ReturnType<typeof parseArgs>;
  try {
    options = parseArgs(args);
  } catch (error) {
    out(`${error instanceof Error ? error.message : String(error)}; ${USAGE}`);
    return 2;
  }
  let goldFiles: string[];
  try {
    goldFiles = (await readdir(options.gold)).filter((n) => n.endsWith('.json')).sort();
  } catch {
    out(`cannot read the gold directory ${options.gold} (use --gold DIR)`);
    return 2;
  }
  if (goldFiles.length === 0) {
    out(`no gold files (*.json) in ${options.gold}`);
    return 2;
  }
  out(`gold: ${options.gold}`);
  out(`documents: ${options.documents}`);
  const header = `${'letter'.padEnd(34)} ${'gold'.padStart(4)} ${'found'.padStart(5)} ${'matched'.padStart(7)}  precision  recall   lead  addressees  collab-F1  deadlines`;
  out(header);
  const total = emptyTally();
  const missedByLetter: string[] = [];
  const started = performance.now();
  for (const file of goldFiles) {
    const raw: unknown = JSON.parse(await readFile(join(options.gold, file), 'utf8'));
    const records = Array.isArray(raw) ? raw.filter(isGoldRecord) : [];
    const document = records[0]?.document ?? file.replace(/\.json$/, '.txt');
    let text: string;
    try {
      text = await readFile(join(options.documents, document), 'utf8');
    } catch {
      out(`cannot read ${join(options.documents, document)} (use --documents DIR)`);
      return 2;
    }
    let found: readonly ParsedOppdrag[] = [];
    try {
      found = parseLetter(text, { fileName: document }).oppdrag;
    } catch (error) {
      out(`${document}: ${error instanceof Error ? error.message : String(error)}`);
    }
    const score = scoreLetter(document, records, found);
    add(total, score.tally);
    out(formatRow(document, score.tally));
    const missed = missedTargets(rates(score.tally));
    if (missed.length > 0) missedByLetter.push(`${document} (${missed.join(', ')})`);
    if (options.verbose) for (const note of score.notes) out(`    ${note}`);
  }
  out(formatRow('overall', total));
  const r = rates(total);
  const checks = (Object.keys(SCORE_TARGETS) as (keyof typeof SCORE_TARGETS)[]).map((k) => ({
    name: k,
    ok: r[k] >= SCORE_TARGETS[k],
    value: r[k],
  }));
  out(
    `targets: ${checks.map((c) => `${c.name} ${f3(c.value)} ${c.ok ? '>=' : '<'} ${SCORE_TARGETS[c.name]} ${c.ok ? 'ok' : 'MISSED'}`).join(', ')}`,
  );
  if (missedByLetter.length > 0) out(`targets MISSED by letter: ${missedByLetter.join('; ')}`);
  out(`parsed ${goldFiles.length} letter(s) in ${Math.round(performance.now() - started)} ms`);
  return checks.every((c) => c.ok) && missedByLetter.length === 0 ? 0 : 1;
}

/** The targets a letter's rates miss: each target holds for every letter, not only overall. */
function missedTargets(r: Rates): string[] {
  return (Object.keys(SCORE_TARGETS) as (keyof typeof SCORE_TARGETS)[])
    .filter((k) => r[k] < SCORE_TARGETS[k])
    .map((k) => `${k} ${f3(r[k])}`);
}

function formatRow(name: string, t: Tally): string {
  const r = rates(t);
  return (
    `${name.padEnd(34)} ${String(t.gold).padStart(4)} ${String(t.found).padStart(5)} ${String(t.matched).padStart(7)}  ` +
    `${f3(r.precision).padStart(9)}  ${f3(r.recall).padStart(6)}  ${f3(r.lead)}  ${f3(r.addressees).padStart(10)}  ${f3(r.collaboratorF1).padStart(9)}  ` +
    `${f3(r.deadlines)} (${t.datesFound}/${t.datesGold})`
  );
}
