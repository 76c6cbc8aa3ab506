/**
 * Line-level reading of a converted letter: which lines are page furniture (page numbers, running headers,
 * URLs left by PDF links), footnotes, table rows, bullets or text, and which are headings.
 */
import { parseStandaloneDate } from './dates.js';
import { cleanInline } from './text.js';

export type LineKind = 'blank' | 'furniture' | 'footnote' | 'table' | 'text';

export interface Bullet {
  /** A class of bullet glyph: `dash`, `dot`, `circle`, `square`, `number`, `letter`, `star`, `arrow`. */
  readonly glyph: string;
  readonly indent: number;
  /** The text after the bullet mark. */
  readonly content: string;
  /** For numbered items, the number. */
  readonly number: number | null;
}

export interface LetterLine {
  /** 1-based line number in the input. */
  readonly no: number;
  readonly raw: string;
  /** Cleaned text (inline mark-up, soft hyphens and superscript marks removed), trimmed. */
  readonly text: string;
  readonly indent: number;
  readonly kind: LineKind;
  readonly bullet: Bullet | null;
}

const GLYPHS: readonly [RegExp, string][] = [
  [/^[-‐‑]$/u, 'dash'],
  [/^[–—]$/u, 'endash'],
  [/^[•●·\uf0b7\u2022]$/u, 'dot'],
  [/^[o◦○\uf0a7]$/u, 'circle'],
  [/^[▪■□◆◇\uf0a8\uf06e]$/u, 'square'],
  [/^[►▸➢➤→\uf0d8]$/u, 'arrow'],
  [/^[*+]$/u, 'star'],
];

const BULLET = /^(\s*)([-‐‑–—•●·▪■□◆◇►▸➢➤→*+o◦○\uf0b7\uf0a7\uf0a8\uf06e\uf0d8\u2022])\s+(\S.*)$/u;
const NUMBERED = /^(\s*)(?:(\d{1,2})[.)]|([a-zæøå])\)|\((\d{1,2}|[a-z])\))\s+(\S.*)$/u;

function readBullet(raw: string): Bullet | null {
  const expanded = raw.replace(/\t/g, '    ');
  const m = BULLET.exec(expanded);
  if (m) {
    const mark = m[2] ?? '';
    const glyph = GLYPHS.find(([re]) => re.test(mark))?.[1] ?? 'other';
    const content = m[3] ?? '';
    // "o" opens a sub-bullet only when a word follows; a dash must be followed by a space (not "-resistens").
    if (glyph === 'circle' && mark === 'o' && !/^\p{L}/u.test(content)) return null;
    return { glyph, indent: (m[1] ?? '').length, content, number: null };
  }
  const n = NUMBERED.exec(expanded);
  if (n) {
    const number = n[2] ? Number(n[2]) : null;
    return {
      glyph: n[2] ? 'number' : 'letter',
      indent: (n[1] ?? '').length,
      content: n[5] ?? '',
      number,
    };
  }
  return null;
}

const PAGE_FURNITURE = [
  /^\d{1,3}$/,
  /^(?:side|page|s\.)\s*\d+(?:\s*(?:av|of|\/)\s*\d+)?$/i,
  /^[-–]\s*\d{1,3}\s*[-–]$/,
  /^\d{1,3}\s*(?:av|\/)\s*\d{1,3}$/,
  /^(?:https?:\/\/|mailto:|www\.)\S*$/i,
  /^\f+$/,
];

/** A title line that opens a letter: "Oppdragsdokument 2024", "Tilleggsdokument til oppdragsdokument 2021 …". */
export const LETTER_TITLE =
  /^(?:revidert\s+|endeleg\s+|endelig\s+|nytt\s+)?(?:oppdragsdokument(?:et)?|tilleggsdokument(?:et)?|tillegg\s+til\s+oppdragsdokument(?:et)?|supplerande\s+oppdragsdokument|supplerende\s+oppdragsdokument|(?:protokoll|møteprotokoll)\s+(?:frå|fra|for)\s+(?:det\s+)?(?:ekstraordinært\s+|ekstraordinært\s+|ordinært\s+)?(?:føre|fore)taksmøte(?:t)?)(?:\s+(?:for|til|i)\s+)?(?:\s*(?:19|20)\d\d)?(?:\b.*)?$/iu;

/** True for a line that reads as a letter title: short, no sentence. */
export function isLetterTitle(text: string): boolean {
  const t = stripHeadingMarkup(text);
  if (!LETTER_TITLE.test(t) || t.length > 140) return false;
  if (/[.;]$/.test(t) || t.split(/\s+/).length > 18) return false;
  return !/\b(?:er|skal|var|vil|blir|vert)\b/iu.test(t.replace(/\(.*?\)/g, ''));
}

/** Removes markdown heading marks and bold wrappers ("## Oppdrag 2024:", "**Mål 2024:**"). */
export function stripHeadingMarkup(text: string): string {
  return text
    .replace(/^#{1,6}\s*/, '')
    .replace(/^\*{1,3}(.*?)\*{1,3}(:?)$/, '$1$2')
    .replace(/^_{1,2}(.*?)_{1,2}(:?)$/, '$1$2')
    .trim();
}

/** Headings that stand once per section and so repeat in a letter. */
const REPEATING_HEADING =
  /^(?:oppdrag|mål|indikator|kvalitativ|kvantitativ|utredningsoppdrag|utgreiingsoppdrag|andre\s+oppg|oppgåver|oppgaver|hovedmål|hovudmål|\d+(?:\.\d+)*\.?\s)/iu;

/** Splits the input into classified lines. */
export function readLines(input: string): LetterLine[] {
  const rawLines = input.split(/\r\n|\r|\n/);
  const lines: LetterLine[] = [];
  // Running headers and footers: a short line repeated on three or more pages is furniture. List headings
  // ("Oppdrag 2024:", "Indikatorer:") and numbered section headings repeat by design and are kept.
  const cleaned = rawLines.map((raw) => cleanInline(raw).trim());
  const counts = new Map<string, number>();
  for (const t of cleaned) if (t) counts.set(t, (counts.get(t) ?? 0) + 1);
  // A running line starts like a title or a number; a lone lower-case word is a wrapped line's tail.
  const isRunningLine = (text: string): boolean =>
    (counts.get(text) ?? 0) >= 3 &&
    text.length <= 100 &&
    /^[\p{Lu}\d]/u.test(text) &&
    (isLetterTitle(text) ||
      (!/:$/.test(text) && !readBullet(text) && !REPEATING_HEADING.test(stripHeadingMarkup(text))));
  let previousBlank = true;
  rawLines.forEach((raw, index) => {
    const text = cleaned[index] ?? '';
    const indent = /^[ \t]*/.exec(raw.replace(/\t/g, '    '))?.[0].length ?? 0;
    let kind: LineKind = 'text';
    let bullet: Bullet | null = null;
    if (text.length === 0) kind = 'blank';
    else if (PAGE_FURNITURE.some((re) => re.test(text)) || isRunningLine(text)) kind = 'furniture';
    else if ((raw.match(/\t/g) ?? []).length >= 2 || /^\|.*\|$/.test(text) || /^\|?\s*:?-{3,}/.test(text)) {
      kind = 'table';
    } else if (/^\s*[\u00b9\u00b2\u00b3\u2070-\u2079]/u.test(raw)) kind = 'footnote';
    else if (
      previousBlank &&
      /^\d{1,2}\s+\p{Lu}\p{Ll}/u.test(text) &&
      (text.length > 110 || /\.$/.test(text)) &&
      !parseStandaloneDate(text)
    ) {
      // A PDF footnote at the foot of a page: "1 Andel pakkeforløp som …" (a number, a space, a sentence).
      kind = 'footnote';
    } else if (!parseStandaloneDate(text)) bullet = readBullet(raw.replace(/[\u00a0]/g, ' '));
    if (bullet) bullet = { ...bullet, content: cleanInline(bullet.content).trim() };
    lines.push({ no: index + 1, raw, text, indent, kind, bullet });
    previousBlank = kind === 'blank' || kind === 'furniture';
  });
  return lines;
}

/** Ends with a stop that closes a sentence or introduces a list. */
export function endsSentence(text: string): boolean {
  return /[.!?:»"”)]\s*$/u.test(text);
}
