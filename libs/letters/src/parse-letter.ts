import {
  RHF_IDS,
  organisationById,
  type CalendarDate,
  type OrganisationRef,
  type PlannedMilestone,
  type RhfId,
} from '#domain';
import { decideAddressees, decideLead, findCollaborators, findSubject } from './analyse.js';
import { findAnnualReportMentions, findDeadlines, parseStandaloneDate, type FoundDate } from './dates.js';
import { LetterError, MAX_LETTER_BYTES, NOT_UTF8_MESSAGE } from './errors.js';
import { isLetterTitle, readLines, stripHeadingMarkup, type LetterLine } from './lines.js';
import { ALL_RHFS_SOURCE, findRhfMentions, organisationListAt, rhfIdOf } from './organisations-in-text.js';
import { buildBlocks, flatten, resolveSection, walk, type RawSegment, type RawTask } from './structure.js';
import {
  asciiSlug,
  normaliseForMatch,
  shorten,
  signatures,
  splitSentences,
  squash,
  stripGluedFootnotes,
  utf8ByteLength,
} from './text.js';
import type { DateEvidence, LetterPart, LetterSection, ParsedLetter, ParsedOppdrag } from './types.js';

export interface ParseOptions {
  /** The file the text came from: names the letter in source references and helps find the recipient. */
  readonly fileName?: string;
}

/** The subject of another body's task: the government, the ministry, a directorate, an agency, a trust. */
const OTHER_AGENCY_SUBJECT =
  /^(?:[«"“]\s*)?(?:Helsedirektoratet|Folkehelseinstituttet|FHI|Direktoratet\s+for\s+[\p{L}-]+(?:\s+[\p{L}-]+){0,3}|Statens\s+[\p{L}-]+|Statsforvalt(?:ar|er)(?:en|ane|ne)?|Nav|NAV|Regjeringa|Regjeringen|Departementet|Helse-\s+og\s+omsorgsdepartementet|Norsk\s+helsenett(?:\s+SF)?|Helsetilsynet|Sykehusinnkjøp(?:\s+HF)?|Sjukehusinnkjøp(?:\s+HF)?|Sykehusbygg(?:\s+HF)?|Sjukehusbygg(?:\s+HF)?)(?:\s*,[^.]{1,160}?,)?\s+(?:skal|vil|har|bes|(?:blir|vert|er)\s+bed(?:t|d|e|ne))(?![\p{L}])/u;

/** Titles are for scanning a list: about one line, cut at a word. */
const TITLE_MAX = 120;
const DESCRIPTION_MAX = 20_000;
/** Two passages of repeated letter copies with at least this word-pair overlap are the same oppdrag. */
const REPEAT_SIMILARITY = 0.8;
/** At most this many earlier passages sharing a signature are compared: bounds the work on huge inputs. */
const MAX_CANDIDATES = 16;

/**
 * Reads an assignment letter (oppdragsdokument or tilleggsdokument) and proposes its oppdrag.
 *
 * @throws LetterError when the text is empty, binary, larger than 2 MB, or reads as no letter (no recipient
 *   or no oppdrag).
 */
export function parseLetter(text: string, options: ParseOptions = {}): ParsedLetter {
  const fileName = options.fileName ?? null;
  validateInput(text, fileName);
  const lines = readLines(text);
  const blocks = buildBlocks(lines);
  const structure = walk(blocks, lines.length);
  const warnings: string[] = [];

  const addressList = findAddressList(lines);
  const recipient = findRecipient(lines, structure.segments, fileName, addressList);
  const addressees: RhfId[] = recipient ? [recipient] : addressList;
  if (!recipient && addressees.length === 0) {
    throw new LetterError(
      'not-a-letter',
      'no recipient found: the text names no regional health authority as the letter’s recipient',
      fileName,
    );
  }

  const fallbackYear = mostCommonYear(text) ?? yearFromFileName(fileName);
  const described = structure.segments.map((segment) => describeSegment(segment, lines, fallbackYear));
  // A part that names no year of its own (a letterhead, a supplement without title) takes its neighbour's.
  const knownYear = described.find((p) => Number.isInteger(p.year))?.year ?? NaN;
  let previousYear = knownYear;
  const parts = described.map((p) => {
    if (Number.isInteger(p.year)) previousYear = p.year;
    return Number.isInteger(p.year) ? p : { ...p, year: previousYear };
  });
  const firstPart = parts[0];
  if (!firstPart || !Number.isInteger(firstPart.year) || firstPart.year < 2000) {
    throw new LetterError(
      'not-a-letter',
      'no letter year found (no "Oppdrag 20XX", title or dated line)',
      fileName,
    );
  }

  const drafts = structure.tasks
    .map((task) => readTask(task, parts, structure.segments, recipient, structure.hovedmal))
    .filter((d): d is Draft => d !== null);
  const kept = dropRepeats(drafts, parts, warnings);
  if (kept.length === 0) {
    throw new LetterError(
      'not-a-letter',
      'no oppdrag found: the text has no "Oppdrag 20XX"/"Andre oppgåver" list and no task addressed to an RHF',
      fileName,
    );
  }
  const oppdrag: ParsedOppdrag[] = kept.map((d, i) => ({ ...d.oppdrag, index: i + 1 }));
  // The letter's own metadata: the first part that holds oppdrag (a file may open with a letterhead).
  const mainPart = parts[kept[0]?.segment ?? 0] ?? firstPart;
  const hovedmal: LetterSection[] = [...structure.hovedmal.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([number, title]) => ({ number, title }));

  return {
    letterId: fileName ?? `${mainPart.year}-${recipient ?? 'alle'}-${mainPart.kind}`,
    fileName,
    recipient,
    addressees,
    year: mainPart.year,
    kind: mainPart.kind,
    date: mainPart.date,
    parts,
    hovedmal,
    oppdrag,
    lineCount: lines.length,
    warnings,
  };
}

function validateInput(text: unknown, fileName: string | null): asserts text is string {
  if (typeof text !== 'string')
    throw new LetterError('not-text', 'the letter must be given as text', fileName);
  if (utf8ByteLength(text) > MAX_LETTER_BYTES) {
    throw new LetterError(
      'too-large',
      `the text is larger than ${MAX_LETTER_BYTES / 1024 / 1024} MB; no assignment letter is that long`,
      fileName,
    );
  }
  if (text.trim().length === 0) throw new LetterError('empty', 'the text is empty', fileName);
  if (text.includes('\u0000')) {
    throw new LetterError(
      'binary',
      'the text contains NUL bytes: it is a binary file, not a letter',
      fileName,
    );
  }
  let controls = 0;
  let replaced = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    // C0 control characters other than tab, line feed, form feed and carriage return, and U+FFFD (the
    // replacement character a decoder leaves for bytes that are not UTF-8).
    if (code < 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0c && code !== 0x0d) controls++;
    else if (code === 0xfffd) replaced++;
  }
  // A letter decoded as UTF-8 from Latin-1 bytes keeps its text but loses every æ, ø and å to U+FFFD.
  if (replaced > 16 && replaced > controls && replaced / text.length > 0.002)
    throw new LetterError('not-utf8', NOT_UTF8_MESSAGE, fileName);
  const unreadable = controls + replaced;
  if (unreadable > 16 && unreadable / text.length > 0.01) {
    throw new LetterError(
      'binary',
      'the text is full of control characters: it is a binary file, not a letter',
      fileName,
    );
  }
}

/** "Ifølge liste" / "Adresseliste" followed by the four RHFs: the letter goes to all of them. */
function findAddressList(lines: readonly LetterLine[]): RhfId[] {
  const found = new Set<RhfId>();
  lines.forEach((line, i) => {
    if (!/^(?:adresseliste|ifølge\s+liste|i\s+følge\s+liste|mottakarar|mottakere)\b/iu.test(line.text))
      return;
    for (const next of lines.slice(i + 1, i + 12)) {
      for (const m of findRhfMentions(next.text)) found.add(m.id);
    }
  });
  return RHF_IDS.filter((id) => found.has(id));
}

const RECIPIENT_SENTENCES = [
  /(?<name>Helse\s+[\p{L}-]+(?:\s+RHF)?)\s+skal\s+innrette\s+sin\s+(?:virksomhet|verksemd)/iu,
  /(?<name>Helse\s+[\p{L}-]+(?:\s+RHF)?)\s+skal\s+innrette\s+verksemda\s+si/iu,
  /(?<name>Helse\s+[\p{L}-]+(?:\s+RHF)?)\s+har\s+ansvar\s+for\s+at\s+befolkning/iu,
  /(?<name>Helse\s+[\p{L}-]+(?:\s+RHF)?)\s+skal\s+i\s+(?:19|20)\d\d\s+basere\s+sin\s+(?:virksomhet|verksemd)/iu,
  /(?:tilskudd|tilskot)\s+til\s+(?<name>Helse\s+[\p{L}-]+(?:\s+RHF)?)\s+fordelt/iu,
  /^(?:til|mottaker|mottakar)\s*:\s*(?<name>Helse\s+[\p{L}-]+(?:\s+RHF)?)/iu,
];

/**
 * The RHF a letter is addressed to: the name under its title, else a name alone in the address block at
 * its head, else a standing phrase of the letter ("X skal innrette sin virksomhet", "X har ansvar for at
 * befolkningen"), else the file name.
 */
function findRecipient(
  lines: readonly LetterLine[],
  segments: readonly RawSegment[],
  fileName: string | null,
  addressList: readonly RhfId[],
): RhfId | null {
  for (const segment of segments) {
    if (segment.titleLine === null) continue;
    const title = segment.title ?? '';
    const inTitle = findRhfMentions(title)[0];
    if (inTitle) return inTitle.id;
    const after = lines.filter((l) => l.no > (segment.titleLine ?? 0) && l.kind === 'text').slice(0, 6);
    for (const l of after) {
      const name = stripHeadingMarkup(l.text);
      const id = rhfIdOf(name);
      if (id) return id;
    }
  }
  // A title that names the recipient, also when it repeats as a running page header.
  for (const line of lines) {
    if (
      !/^\W*(?:revidert|endel|nytt|oppdrag|tillegg|supplere|protokoll|møteprotokoll)/iu.test(line.text) ||
      !isLetterTitle(line.text)
    )
      continue;
    const named = findRhfMentions(line.text)[0];
    if (named) return named.id;
  }
  // An address block at the head of the letter: the RHF's name alone on a line, before any oppdrag.
  for (const line of lines.filter((l) => l.kind === 'text').slice(0, 25)) {
    const id = rhfIdOf(stripHeadingMarkup(line.text));
    if (id) return id;
  }
  const votes = new Map<RhfId, number>();
  for (const line of lines) {
    if (!/helse/iu.test(line.text)) continue;
    for (const re of RECIPIENT_SENTENCES) {
      const name = re.exec(line.text)?.groups?.name;
      const id = name ? (rhfIdOf(name) ?? findRhfMentions(name)[0]?.id ?? null) : null;
      if (id) votes.set(id, (votes.get(id) ?? 0) + 1);
    }
  }
  const best = [...votes.entries()].sort((a, b) => b[1] - a[1])[0];
  if (best) return best[0];
  const fromFile = recipientFromFileName(fileName);
  if (fromFile) return fromFile;
  return addressList.length === 1 ? (addressList[0] ?? null) : null;
}

function recipientFromFileName(fileName: string | null): RhfId | null {
  if (!fileName) return null;
  const base = asciiSlug(fileName.replace(/^.*[\\/]/, '').replace(/\.[a-z0-9]+$/i, ''));
  const ids = [...RHF_IDS].sort((a, b) => b.length - a.length);
  for (const id of ids) {
    if (new RegExp(`(?:^|-)${id}(?:-|$)`).test(base)) return id;
  }
  return null;
}

function yearFromFileName(fileName: string | null): number | null {
  const m = fileName ? /(?<!\d)((?:19|20)\d\d)(?!\d)/.exec(fileName) : null;
  return m ? Number(m[1]) : null;
}

function mostCommonYear(text: string): number | null {
  const counts = new Map<number, number>();
  for (const m of text.matchAll(/(?:oppdrag|mål|oppgåver|oppgaver|oppdragsdokument)\s+((?:19|20)\d\d)/giu)) {
    const y = Number(m[1]);
    counts.set(y, (counts.get(y) ?? 0) + 1);
  }
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || b[0] - a[0])[0]?.[0] ?? null;
}

function describeSegment(
  segment: RawSegment,
  lines: readonly LetterLine[],
  fallbackYear: number | null,
): LetterPart {
  const titleYear = segment.title ? /(?<!\d)((?:19|20)\d\d)(?!\d)/.exec(segment.title)?.[1] : undefined;
  const headingYear = mode(segment.headingYears);
  const date = segmentDate(segment, lines);
  const year = titleYear
    ? Number(titleYear)
    : (headingYear ?? (date ? Number(date.slice(0, 4)) : (fallbackYear ?? NaN)));
  return {
    kind: segment.kind,
    title: segment.title,
    date,
    year,
    lineStart: segment.lineStart,
    lineEnd: segment.lineEnd,
    repeats: null,
  };
}

function mode(values: readonly number[]): number | null {
  const counts = new Map<number, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || b[0] - a[0])[0]?.[0] ?? null;
}

/** The letter's date: a dated line next to its title, else the place-and-date line of the signature. */
function segmentDate(segment: RawSegment, lines: readonly LetterLine[]): CalendarDate | null {
  if (segment.titleLine !== null) {
    const near = lines.filter(
      (l) =>
        l.kind !== 'blank' && l.no >= (segment.titleLine ?? 0) - 12 && l.no <= (segment.titleLine ?? 0) + 8,
    );
    const sorted = [...near].sort(
      (a, b) => Math.abs(a.no - (segment.titleLine ?? 0)) - Math.abs(b.no - (segment.titleLine ?? 0)),
    );
    for (const l of sorted) {
      if (l.text.length > 45) continue;
      const date = parseStandaloneDate(l.text);
      if (date) return date;
    }
  }
  for (const l of lines) {
    if (l.no < segment.lineStart || l.no > segment.lineEnd || l.text.length > 45) continue;
    if (!/^[\p{Lu}][\p{L}-]+,\s*\d/u.test(l.text)) continue;
    const date = parseStandaloneDate(l.text);
    if (date) return date;
  }
  return null;
}

interface Draft {
  readonly oppdrag: Omit<ParsedOppdrag, 'index'>;
  readonly segment: number;
  /** The normalised text. */
  readonly key: string;
  readonly words: Set<string>;
}

function contentLines(task: RawTask): LetterLine[] {
  return task.parts.flatMap((p) => p.lines);
}

/** Builds the description: the bullet, its sub-bullets as "- " lines and continuation paragraphs. */
function describe(task: RawTask): { description: string; flat: string } {
  if (task.prose) {
    const text = stripGluedFootnotes(squash(task.prose.text));
    return { description: text, flat: text };
  }
  const pieces: string[] = [];
  for (const part of task.parts) {
    const text = stripGluedFootnotes(squash(flatten(part.lines).text));
    if (!text) continue;
    if (part.role === 'main') pieces.push(text);
    else if (part.role === 'sub') pieces.push(`\n- ${text}`);
    else pieces.push(`\n\n${text}`);
  }
  const description = pieces.join('').trim();
  return { description, flat: squash(description.replace(/\n- /g, ' ')) };
}

/**
 * The sentence that states the task: the first sentence, or — when the first sentence only sets the scene
 * ("Det vises til …") — the first sentence that gives the task. Ids derive their readable words from it.
 */
export function taskSentence(flat: string): string {
  const sentences = splitSentences(flat);
  const first = sentences[0]?.text ?? flat;
  const chosen = findSubject(first) ? first : (sentences.find((s) => findSubject(s.text))?.text ?? first);
  return squash(chosen);
}

/**
 * A title to scan: the task sentence without the phrase that says who must do it and with whom ("Helse Nord
 * RHF skal bidra til at …" → "Bidra til at …", "Dei regionale helseføretaka skal, under leiing av Helse Vest
 * RHF, greie ut …" → "Greie ut …"), at most about 120 characters, cut at a word.
 */
function titleOf(flat: string): string {
  const sentence = taskSentence(flat);
  const subject = findSubject(sentence);
  let task = sentence;
  const at = subject ? sentence.indexOf(subject.phrase) : -1;
  if (subject && at >= 0 && at <= 2) {
    task = withoutLeadingClauses(sentence.slice(at + subject.phrase.length));
  }
  if (task.length < 8) task = sentence;
  return shorten(task.charAt(0).toLocaleUpperCase('nb') + task.slice(1), TITLE_MAX);
}

/** Openers of a clause that names who leads or takes part: "under leiing av X", "i samarbeid med X og Y". */
const PARTNER_CLAUSE =
  /^[\s,]*(?:og\s+)?(?:under\s+(?:ledelse|leiing|leiinga)\s+(?:av|frå|fra|til)|i\s+(?:et\s+|eit\s+)?(?:nært\s+|tett\s+)?samarbeid\s+med|i\s+samråd\s+med|sammen\s+med|saman\s+med|ved)\s+/iu;
/** A clause with no names that says the work is joint: "i samarbeid, og …", "i fellesskap". */
const JOINT_CLAUSE =
  /^[\s,]*(?:og\s+)?(?:i\s+(?:et\s+|eit\s+)?samarbeid|i\s+fellesskap|samla|sammen|saman)\s*(?=,|\s+og\s|\s+\p{Ll})/iu;

const FOR_THE_REGIONS = new RegExp(`^(?:for|på\\s+vegner?\\s+av)\\s+(?:${ALL_RHFS_SOURCE})\\s*,?\\s*`, 'iu');

/** Removes the clauses between the subject and the task's verb, and a leading "om å" / "å". */
function withoutLeadingClauses(rest: string): string {
  let text = rest;
  for (let guard = 0; guard < 4; guard++) {
    const partner = PARTNER_CLAUSE.exec(text);
    if (partner) {
      const list = organisationListAt(text, partner[0].length);
      if (list.hits.length === 0) break;
      text = text.slice(list.end);
      continue;
    }
    const joint = JOINT_CLAUSE.exec(text);
    if (!joint) break;
    text = text.slice(joint[0].length);
  }
  return (
    text
      .replace(/^[\s,]+/, '')
      // "Helse Vest RHF tek ei leiarrolle for helseregionane i arbeidet med å …": the task is what follows.
      .replace(FOR_THE_REGIONS, '')
      .replace(/^i\s+arbeidet\s+med\s+(?=å\s)/iu, '')
      .replace(/^i\s+(arbeidet\s+med\s)/iu, '$1')
      .replace(/^(?:og\s+)?(?:om\s+)?(?:å\s+)?/u, '')
      .replace(/^(?:også|òg)\s+/u, '')
      .trim()
  );
}

function readTask(
  task: RawTask,
  parts: readonly LetterPart[],
  segments: readonly RawSegment[],
  recipient: RhfId | null,
  hovedmal: ReadonlyMap<number, string>,
): Draft | null {
  const part = parts[task.segment];
  const segment = segments[task.segment];
  if (!part || !segment) return null;
  const { description, flat } = describe(task);
  if (flat.length < 12) return null;
  // An item that is another agency's task and gives no RHF a task ("Helsedirektoratet skal …") is no oppdrag.
  if (
    !task.prose &&
    OTHER_AGENCY_SUBJECT.test(flat) &&
    !findSubject(flat) &&
    !(task.context && findSubject(task.context))
  )
    return null;
  const all = contentLines(task);
  const lineStart = task.prose?.lineStart ?? all[0]?.no ?? 0;
  const lineEnd = task.prose?.lineEnd ?? all[all.length - 1]?.no ?? lineStart;

  const subject = findSubject(flat) ?? (task.context ? findSubject(task.context) : null);
  const addressedTo: 'all' | RhfId =
    subject?.addressed ??
    (/regionale\s+helse(?:foretak|føretak)|regionene|regionane/iu.test(flat) || !recipient
      ? 'all'
      : recipient);
  const lead = decideLead(flat, subject, addressedTo);
  const addressees = decideAddressees(flat, subject, addressedTo, lead.lead, recipient);
  const collaborators = findCollaborators(flat, lead.lead ? [lead.lead] : []);
  const found = findDeadlines(flat, { year: part.year, letterDate: part.date, task: true });
  const { deadline, milestones } = planDates(found);
  const dateEvidence: DateEvidence[] = [
    ...found.map((f) => ({ date: f.date, kind: f.kind, phrase: f.evidence, convention: f.convention })),
    ...findAnnualReportMentions(flat)
      .filter((phrase) => !found.some((f) => f.evidence === phrase))
      .map((phrase) => ({ date: null, kind: 'årlig melding' as const, phrase, convention: null })),
  ];

  let confidence = task.mode === 'bullet' ? 0.9 : task.mode === 'paragraph' ? 0.7 : 0.5;
  if (!subject) confidence -= 0.15;
  // Bullets read as tasks without an oppdrag heading above them.
  if (task.mode === 'bullet' && task.heading === null) confidence -= 0.15;
  if (lead.distinctLeads > 1) confidence -= 0.1;
  if (addressedTo === 'all' && !lead.lead && /ledelse|leiing|koordiner|ledes|leiast/iu.test(flat))
    confidence -= 0.1;
  if (description.length > 6000) confidence -= 0.1;
  confidence = Math.round(Math.min(0.99, Math.max(0.05, confidence)) * 100) / 100;

  const oppdrag: Omit<ParsedOppdrag, 'index'> = {
    year: part.year,
    title: titleOf(flat),
    description: shorten(description, DESCRIPTION_MAX),
    source: {
      lineStart,
      lineEnd,
      section: resolveSection(task.section, hovedmal),
      heading: task.heading,
      letterKind: part.kind,
    },
    addressedTo,
    addressees: addressees.addressees,
    lead: lead.lead,
    collaborators: uniqueRefs(collaborators.map((c) => c.ref)),
    deadline,
    milestones,
    confidence,
    evidence: {
      subject: subject?.phrase ?? null,
      addressees: addressees.evidence,
      lead: lead.evidence,
      collaborators: collaborators.map((c) => ({ id: c.ref.id, phrase: c.phrase })),
      dates: dateEvidence,
    },
    outsideList: task.mode === 'prose',
  };
  const key = normaliseForMatch(flat);
  return { oppdrag, segment: task.segment, key, words: wordPairs(key) };
}

function uniqueRefs(refs: readonly OrganisationRef[]): OrganisationRef[] {
  const seen = new Set<string>();
  const out: OrganisationRef[] = [];
  for (const ref of refs) {
    if (seen.has(ref.id)) continue;
    seen.add(ref.id);
    const known = organisationById(ref.id);
    out.push(known ? { id: known.id, name: known.name } : ref);
  }
  return out;
}

/**
 * The deadline is the task's own final date: the latest "frist", else the latest report date. Interim
 * deliveries (status reports, underveisrapportering) and other dates become milestones.
 */
export function planDates(found: readonly FoundDate[]): {
  deadline: CalendarDate | null;
  milestones: PlannedMilestone[];
} {
  const latest = (kind: FoundDate['kind']) =>
    found.filter((f) => f.kind === kind).sort((a, b) => (a.date < b.date ? 1 : a.date > b.date ? -1 : 0))[0];
  const final = latest('frist') ?? latest('rapport');
  const milestones: PlannedMilestone[] = [];
  const ids = new Set<string>();
  for (const f of found) {
    if (final && f === final) continue;
    if (final && f.date === final.date) continue;
    let id = `${asciiSlug(f.kind)}-${f.date}`;
    for (let n = 2; ids.has(id); n++) id = `${asciiSlug(f.kind)}-${f.date}-${n}`;
    ids.add(id);
    milestones.push({ id, kind: f.kind, dueDate: f.date, title: shorten(f.evidence, 160) });
  }
  milestones.sort((a, b) =>
    a.dueDate < b.dueDate ? -1 : a.dueDate > b.dueDate ? 1 : a.id.localeCompare(b.id),
  );
  return { deadline: final?.date ?? null, milestones };
}

/** Pairs of neighbouring words of a normalised text. */
export function wordPairs(key: string): Set<string> {
  const words = key.split(' ').filter(Boolean);
  const pairs = new Set<string>();
  for (let i = 0; i + 1 < words.length; i++) pairs.add(`${words[i]} ${words[i + 1]}`);
  if (words.length === 1 && words[0]) pairs.add(words[0]);
  return pairs;
}

/** Dice coefficient of two sets of word pairs. */
export function similarity(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  if (a.size === 0 && b.size === 0) return 1;
  let shared = 0;
  for (const x of a) if (b.has(x)) shared++;
  return (2 * shared) / (a.size + b.size);
}

/**
 * Drops oppdrag that a later copy of the same letter repeats (a file may hold a letter twice, the second
 * time slightly corrected), and exact repeats within one letter. The first occurrence is kept.
 */
function dropRepeats(drafts: readonly Draft[], parts: LetterPart[], warnings: string[]): Draft[] {
  const kept: Draft[] = [];
  const repeatedBy = new Map<number, Map<number, number>>();
  const exact = new Map<string, Draft>();
  const bySignature = new Map<string, Draft[]>();
  for (const draft of drafts) {
    const scope = `${draft.oppdrag.year}|${draft.oppdrag.source.letterKind}|`;
    let twin = exact.get(scope + draft.key);
    if (!twin) {
      // Nearly equal passages from another copy of the letter share their first or last words.
      const candidates = signatures(draft.key).flatMap((sig) =>
        (bySignature.get(scope + sig) ?? []).slice(0, MAX_CANDIDATES),
      );
      twin = candidates.find(
        (k) => k.segment !== draft.segment && similarity(k.words, draft.words) >= REPEAT_SIMILARITY,
      );
    }
    if (!twin) {
      kept.push(draft);
      exact.set(scope + draft.key, draft);
      for (const sig of signatures(draft.key)) {
        const list = bySignature.get(scope + sig);
        if (!list) bySignature.set(scope + sig, [draft]);
        else if (list.length < MAX_CANDIDATES) list.push(draft);
      }
      continue;
    }
    if (twin.segment !== draft.segment) {
      const counts = repeatedBy.get(draft.segment) ?? new Map<number, number>();
      counts.set(twin.segment, (counts.get(twin.segment) ?? 0) + 1);
      repeatedBy.set(draft.segment, counts);
    }
  }
  for (const [segment, counts] of repeatedBy) {
    const [earlier, count] = [...counts.entries()].sort((a, b) => b[1] - a[1])[0] ?? [null, 0];
    const part = parts[segment];
    if (earlier === null || !part) continue;
    parts[segment] = { ...part, repeats: earlier };
    warnings.push(
      `lines ${part.lineStart}-${part.lineEnd} repeat the letter at lines ${parts[earlier]?.lineStart ?? '?'}-${parts[earlier]?.lineEnd ?? '?'}: ${count} oppdrag counted once`,
    );
  }
  return kept;
}
