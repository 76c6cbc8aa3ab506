/**
 * Reads the text layer of a letter sent as PDF, with Mozilla's PDF.js (the legacy build, which runs in Node),
 * into the plain text `parseLetter` reads: one line per printed line in reading order (top to bottom, left to
 * right), indentation kept as spaces, wide gaps as tabs (table cells), a blank line where a paragraph gap is,
 * words broken at a line end joined again, and running page headers, footers and page numbers left out.
 */
import { LetterError } from './errors.js';
import { joinWrappedLines } from './text.js';

/** The largest PDF accepted. Real letters are a few megabytes at most. */
export const MAX_PDF_BYTES = 40 * 1024 * 1024;
/** Fewer characters than this on average per page: the PDF has no text layer worth reading. */
const MIN_CHARACTERS_PER_PAGE = 20;

/** True when the bytes start like a PDF file ("%PDF-", possibly after a few bytes of junk). */
export function isPdf(bytes: Uint8Array): boolean {
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, 1024));
  return head.includes('%PDF-');
}

interface Piece {
  readonly text: string;
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly size: number;
}

interface PrintedLine {
  readonly y: number;
  readonly x: number;
  /** Where the ink of the line ends on the right. */
  readonly end: number;
  readonly size: number;
  text: string;
}

interface PdfTextItem {
  readonly str: string;
  readonly transform: readonly number[];
  readonly width: number;
  readonly height: number;
}

/**
 * The text of a PDF letter, ready for `parseLetter`.
 *
 * @throws LetterError `not-a-pdf` when the bytes are no readable PDF (or it is encrypted), `too-large` above
 *   40 MB, and `no-text-layer` when the pages carry no text (a scanned letter: it needs OCR first).
 */
export async function readPdfText(bytes: Uint8Array, fileName: string | null = null): Promise<string> {
  if (bytes.byteLength > MAX_PDF_BYTES) {
    throw new LetterError('too-large', `the PDF is larger than ${MAX_PDF_BYTES / 1024 / 1024} MB`, fileName);
  }
  if (!isPdf(bytes)) throw new LetterError('not-a-pdf', 'the file is not a PDF', fileName);
  const { getDocument } = await import('pdfjs-dist/legacy/build/pdf.mjs');
  // PDF.js takes ownership of the buffer it is given, and refuses a Node Buffer: hand it a plain copy.
  const task = getDocument({
    data: new Uint8Array(bytes),
    verbosity: 0,
    isEvalSupported: false,
    disableFontFace: true,
    useSystemFonts: false,
  });
  let pages: PrintedLine[][];
  try {
    const pdf = await task.promise;
    pages = [];
    for (let n = 1; n <= pdf.numPages; n++) {
      const page = await pdf.getPage(n);
      const content = await page.getTextContent();
      pages.push(toLines(content.items.flatMap((item) => ('str' in item ? [toPiece(item)] : []))));
      page.cleanup();
    }
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new LetterError('not-a-pdf', `the PDF cannot be read: ${reason}`, fileName);
  } finally {
    await task.destroy();
  }
  const characters = pages.flat().reduce((n, l) => n + l.text.replace(/\s/g, '').length, 0);
  if (characters < MIN_CHARACTERS_PER_PAGE * Math.max(1, pages.length)) {
    throw new LetterError(
      'no-text-layer',
      'the PDF has no text layer (a scanned letter?): run it through OCR, or import the letter as text',
      fileName,
    );
  }
  return toText(withoutFurniture(pages));
}

function toPiece(item: PdfTextItem): Piece {
  const [a = 0, b = 0, , , x = 0, y = 0] = item.transform;
  const size = Math.hypot(a, b) || item.height || 10;
  return { text: item.str, x, y, width: item.width, size };
}

/** A gap wider than this many font sizes between two pieces of a line separates table cells. */
const TAB_GAP = 1.5;

/** Groups a page's text pieces into printed lines: same baseline (within a third of the font size). */
function toLines(pieces: readonly Piece[]): PrintedLine[] {
  const sorted = pieces
    .filter((p) => p.text.length > 0)
    .sort((p, q) => (Math.abs(p.y - q.y) > Math.min(p.size, q.size) / 3 ? q.y - p.y : p.x - q.x));
  const rows: Piece[][] = [];
  for (const piece of sorted) {
    const row = rows[rows.length - 1];
    const first = row?.[0];
    if (row && first && Math.abs(first.y - piece.y) <= Math.min(first.size, piece.size) / 3) row.push(piece);
    else rows.push([piece]);
  }
  const lines: PrintedLine[] = [];
  for (const row of rows) {
    row.sort((p, q) => p.x - q.x);
    const first = row[0];
    if (!first) continue;
    let text = '';
    let end = first.x;
    for (const piece of row) {
      if (piece.text.trim().length === 0) {
        // PDF.js fills a gap with a space item as wide as the gap: a wide one separates table cells.
        if (text.length > 0 && !/\s$/.test(text)) text += piece.width > piece.size * TAB_GAP ? '\t' : ' ';
        end = Math.max(end, piece.x + piece.width);
        continue;
      }
      const gap = piece.x - end;
      // A gap of several characters separates table cells; a smaller one is a space PDF.js did not emit.
      if (text.length > 0 && gap > piece.size * TAB_GAP) text += /\s$/.test(text) ? '' : '\t';
      else if (text.length > 0 && gap > piece.size * 0.15 && !/\s$/.test(text) && !/^\s/.test(piece.text))
        text += ' ';
      text += piece.text;
      end = Math.max(end, piece.x + piece.width);
    }
    if (text.trim().length === 0) continue;
    // Leading spaces drawn as glyphs move the text right; measure indentation from where ink starts.
    const lead = /^\s*/.exec(text)?.[0].length ?? 0;
    lines.push({
      y: first.y,
      x: first.x + lead * first.size * 0.32,
      end,
      size: first.size,
      text: text.trim(),
    });
  }
  return lines;
}

/** A line's text with digits folded, so "Side 2 av 9" and "Side 3 av 9" compare equal. */
const foldDigits = (text: string): string => text.replace(/\d+/g, '#').replace(/\s+/g, ' ').trim();
const PAGE_NUMBER = /^(?:(?:side|page|s\.)\s*)?[-–]?\s*\d{1,3}\s*[-–]?(?:\s*(?:av|of|\/)\s*\d{1,3})?$/i;

/**
 * Leaves out running headers and footers and page numbers. A header or footer is a line at the top or foot of
 * a page, set apart from the body by a wider gap than the page's line spacing, that recurs at the same height
 * on several pages with the same text (digits aside, for short lines such as "Side 3 av 9"); a page number is
 * a number standing alone there.
 */
function withoutFurniture(pages: readonly PrintedLine[][]): PrintedLine[][] {
  const candidates = pages.map(edgeLines);
  const recurring = Math.max(2, Math.ceil(pages.length * 0.4));
  const keyOf = (l: PrintedLine) =>
    `${Math.round(l.y / 4)}|${l.text.length <= 60 ? foldDigits(l.text) : l.text}`;
  const counts = new Map<string, number>();
  for (const edge of candidates) {
    for (const key of new Set([...edge].map(keyOf))) counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return pages.map((lines, i) => {
    const edge = candidates[i] ?? new Set<PrintedLine>();
    return lines.filter(
      (l) =>
        !edge.has(l) ||
        !(PAGE_NUMBER.test(l.text) || (pages.length >= 2 && (counts.get(keyOf(l)) ?? 0) >= recurring)),
    );
  });
}

/** The lines above the first and below the last wide gap of a page, at most two at each edge. */
function edgeLines(lines: readonly PrintedLine[]): Set<PrintedLine> {
  const spacing = lineSpacing(lines);
  const edge = new Set<PrintedLine>();
  for (let i = 0; i < Math.min(2, lines.length - 1); i++) {
    const line = lines[i];
    const next = lines[i + 1];
    if (!line || !next) break;
    edge.add(line);
    if (line.y - next.y > spacing * 1.5) break;
    if (i === 1) edge.clear();
  }
  const foot = new Set<PrintedLine>();
  for (let i = lines.length - 1; i > Math.max(0, lines.length - 3); i--) {
    const line = lines[i];
    const previous = lines[i - 1];
    if (!line || !previous) break;
    foot.add(line);
    if (previous.y - line.y > spacing * 1.5) break;
    if (i === lines.length - 2) foot.clear();
  }
  return new Set([...edge, ...foot]);
}

/** The usual distance between the baselines of neighbouring lines on a page. */
function lineSpacing(lines: readonly PrintedLine[]): number {
  const steps = lines
    .slice(1)
    .map((l, i) => (lines[i]?.y ?? l.y) - l.y)
    .filter((d) => d > 0)
    .sort((a, b) => a - b);
  return steps[Math.floor(steps.length / 2)] ?? (lines[0]?.size ?? 10) * 1.2;
}

/**
 * Writes the lines as text. A gap between lines clearly wider than the page's usual line spacing is a blank
 * line. At a page break the gap cannot be seen: the break is a blank line when the last line of the page
 * ended a sentence, or stopped well short of the right margin (a paragraph or list item ended there).
 * Indentation is kept as spaces relative to the leftmost line of the page (about a space's width each), and a
 * word broken at a line end is joined.
 */
function toText(pages: readonly PrintedLine[][]): string {
  const out: string[] = [];
  let endedShort = false;
  for (const lines of pages) {
    if (lines.length === 0) continue;
    const left = Math.min(...lines.map((l) => l.x));
    const right = Math.max(...lines.map((l) => l.end));
    const spacing = lineSpacing(lines);
    lines.forEach((line, i) => {
      const previous = i > 0 ? lines[i - 1] : undefined;
      const indent = ' '.repeat(Math.max(0, Math.round((line.x - left) / (line.size * 0.32))));
      if (previous) {
        if (previous.y - line.y > spacing * 1.4) out.push('');
      } else if (out.length > 0 && (endedShort || /[.!?:;]\s*$/.test(out[out.length - 1] ?? ''))) {
        out.push('');
      }
      appendLine(out, indent + line.text);
    });
    const last = lines[lines.length - 1];
    endedShort = last !== undefined && last.end - left < (right - left) * 0.75;
  }
  return `${out.join('\n')}\n`;
}

/** Appends a line; a word broken at the end of the previous line moves up to it, whole. */
function appendLine(out: string[], line: string): void {
  const last = out.length - 1;
  const previous = out[last];
  if (previous === undefined || previous === '') {
    out.push(line);
    return;
  }
  const body = line.trimStart();
  const firstWord = /^\S+/.exec(body)?.[0] ?? '';
  const joined = joinWrappedLines(previous, firstWord);
  if (joined === null) {
    out.push(line);
    return;
  }
  out[last] = joined;
  const rest = body.slice(firstWord.length).trimStart();
  if (rest.length > 0) out.push(line.slice(0, line.length - body.length) + rest);
}
