/**
 * Small text helpers shared by the parser: byte counting, inline clean-up of converted letters, sentence
 * splitting that knows the abbreviations of Norwegian administrative prose, and normalisation for matching.
 */

/** UTF-8 length of a string, counted without any platform encoder. */
export function utf8ByteLength(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

const SUPERSCRIPT_DIGITS = /[\u00b9\u00b2\u00b3\u2070-\u2079]+/g;

/**
 * Cleans one line of letter text for reading: folds odd spaces, drops soft hyphens and zero-width marks,
 * markdown emphasis (`*word*`, `**word**`, `_word_`) and superscript footnote marks.
 */
const NEEDS_CLEANING =
  /[\u00a0\u2007\u202f\u2009\u00ad\u200b-\u200d\ufeff\t\u00b9\u00b2\u00b3\u2070-\u2079*_\ufb00-\ufb06]/;

export function cleanInline(text: string): string {
  const nfc = text.normalize('NFC');
  if (!NEEDS_CLEANING.test(nfc)) return nfc;
  return nfc
    .replace(/[\ufb00-\ufb06]/g, (ligature) => ligature.normalize('NFKC'))
    .replace(/[\u00a0\u2007\u202f\u2009]/g, ' ')
    .replace(/[\u00ad\u200b-\u200d\ufeff]/g, '')
    .replace(/\t/g, ' ')
    .replace(SUPERSCRIPT_DIGITS, '')
    .replace(/\*{1,3}(?=\S)([^*\n]*?\S)\*{1,3}/g, '$1')
    .replace(/(^|[\s(«"])_(?=\S)([^_\n]*?\S)_(?=[\s.,;:)»"]|$)/g, '$1$2')
    .replace(/\*+/g, '');
}

/**
 * Removes footnote numbers glued to the end of a word by PDF extraction ("forløpstid1." → "forløpstid."),
 * but keeps names that end in digits by design (LIS1, covid-19, SARS-CoV-2) and numbers of their own.
 */
export function stripGluedFootnotes(text: string): string {
  // At least three lower-case letters directly followed by one or two digits and then a space, a stop or the
  // end: a footnote mark. Acronyms (LIS1) and hyphenated names (covid-19, SARS-CoV-2) do not match.
  return text.replace(/([a-zæøå]{3})\d{1,2}(?=[.,;:)]?(?:\s|$))/g, '$1');
}

/** Lower-case, accent-stable, punctuation-free form used to compare texts and to derive ids. */
export function normaliseForMatch(text: string): string {
  return stripGluedFootnotes(cleanInline(text))
    .toLowerCase()
    .replace(/[\u2010-\u2015]/g, '-')
    .replace(/[«»"“”„'‘’`]/g, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** ASCII slug of a text: æ → ae, ø → o, å → a, everything else not a letter or digit becomes a dash. */
export function asciiSlug(text: string): string {
  return text
    .toLowerCase()
    .replace(/æ/g, 'ae')
    .replace(/[øö]/g, 'o')
    .replace(/[åä]/g, 'a')
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/** Abbreviations after which a full stop does not end a sentence (compared lower-cased, without the stop). */
const ABBREVIATIONS = new Set([
  'jf',
  'jfr',
  'bl.a',
  'bl',
  'f.eks',
  'dvs',
  'pst',
  'mill',
  'mrd',
  'kr',
  'kap',
  'nr',
  'ca',
  'evt',
  'ev',
  'mv',
  'm.m',
  'o.l',
  'osv',
  'st',
  'meld',
  'prop',
  'innst',
  'pkt',
  'vedr',
  'iht',
  'ifm',
  'inkl',
  'ekskl',
  'ref',
  'jan',
  'feb',
  'aug',
  'sep',
  'sept',
  'okt',
  'nov',
  'des',
  'ang',
  'avd',
  'dr',
  'prof',
  'tlf',
  'kl',
  'hhv',
  'etc',
  'mht',
  'ift',
  'pga',
  'fig',
  'tab',
  'vol',
  's',
]);

export interface SentenceSpan {
  readonly text: string;
  readonly start: number;
  readonly end: number;
}

/**
 * Splits prose into sentences. A sentence ends at `.`, `!` or `?` (optionally followed by a closing quote or
 * bracket) when the next word starts with a capital, a quote or a digit-free bullet, and the word before the
 * stop is not a known abbreviation or a bare number ("1. oktober" never splits because the month is lower-case).
 */
export function splitSentences(text: string): SentenceSpan[] {
  const spans: SentenceSpan[] = [];
  const boundary = /([.!?])(["»”)\]]*)(\s+)(?=[«"“(]?[\p{Lu}])/gu;
  let start = 0;
  let match: RegExpExecArray | null;
  while ((match = boundary.exec(text)) !== null) {
    const stopAt = match.index;
    const before = text.slice(Math.max(start, stopAt - 12), stopAt);
    const word = /([\p{L}.]+)$/u.exec(before)?.[1] ?? '';
    const isInitial = /^\p{Lu}$/u.test(word);
    const isListNumber = /^\s*\d{1,2}$/.test(text.slice(start, stopAt));
    if (match[1] === '.' && (ABBREVIATIONS.has(word.toLowerCase()) || isInitial || isListNumber)) continue;
    const end = stopAt + 1 + (match[2]?.length ?? 0);
    pushSpan(spans, text, start, end);
    start = end + (match[3]?.length ?? 0);
  }
  pushSpan(spans, text, start, text.length);
  return spans;
}

function pushSpan(spans: SentenceSpan[], text: string, start: number, end: number): void {
  const raw = text.slice(start, end);
  const lead = raw.length - raw.trimStart().length;
  const trimmed = raw.trim();
  if (trimmed.length === 0) return;
  spans.push({ text: trimmed, start: start + lead, end: start + lead + trimmed.length });
}

/**
 * Joins a word broken at a line end, or returns null when the line does not end in one. Hyphenation (lower-case
 * letters on both sides of the break) drops the hyphen: "kvalitetsforbedrings-" + "prosjekter" →
 * "kvalitetsforbedringsprosjekter". A compound's own hyphen stays: "Midt-" + "Norge", "e-" + "helse",
 * "covid-" + "19". A hyphen before "og"/"eller"/"samt" stands for a shared word part ("helse- og
 * omsorgstenesta") and is no break.
 */
export function joinWrappedLines(previous: string, next: string): string | null {
  const before = previous.trimEnd();
  const after = next.trimStart();
  if (!/\p{L}-$/u.test(before) || !/^[\p{L}\d]/u.test(after)) return null;
  if (/^(?:og|eller|samt|and|or)(?![\p{L}])/u.test(after)) return null;
  if (/\p{Ll}{2}-$/u.test(before) && /^\p{Ll}/u.test(after)) return before.slice(0, -1) + after;
  return before + after;
}

/** Collapses runs of white space to one space. */
export function squash(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** Shortens a text at a word boundary, adding an ellipsis when something was cut. */
export function shorten(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > max * 0.6 ? cut.slice(0, space) : cut).replace(/[\s,;:–-]+$/, '')}…`;
}

/**
 * Keys that nearly equal texts are likely to share: their first six and last six words (of a normalised
 * text). Used to find candidates for a similarity test without comparing every pair.
 */
export function signatures(normalised: string): string[] {
  const words = normalised.split(' ').filter(Boolean);
  return [`^${words.slice(0, 6).join(' ')}`, `$${words.slice(-6).join(' ')}`];
}
