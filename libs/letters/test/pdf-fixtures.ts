/**
 * Builds PDF letters for the tests with pdfkit: each line of a text becomes printed lines on A4 pages (long
 * lines wrap at spaces, leading spaces indent, tab-separated cells become table columns, a blank line leaves a
 * gap), with a running header and a page-number footer on every page, as the ministry's PDFs have.
 */
import { existsSync } from 'node:fs';
import PDFDocument from 'pdfkit';

const FONT_CANDIDATES = [
  '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf',
  '/usr/share/fonts/dejavu/DejaVuSans.ttf',
  '/usr/share/fonts/TTF/DejaVuSans.ttf',
];

/** A TrueType font with every letter the letters use (æøå, dashes, quotes, bullet glyphs). */
export function unicodeFont(): string {
  const font = FONT_CANDIDATES.find((path) => existsSync(path));
  if (!font)
    throw new Error(
      `the PDF tests need DejaVu Sans (apt-get install fonts-dejavu-core): ${FONT_CANDIDATES[0]}`,
    );
  return font;
}

export interface PdfOptions {
  readonly header?: string;
  /** Prints "Side N" at the foot of each page. */
  readonly pageNumbers?: boolean;
  readonly fontSize?: number;
}

const collect = (doc: PDFKit.PDFDocument): Promise<Uint8Array> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(new Uint8Array(Buffer.concat(chunks))));
    doc.on('error', reject);
  });

/** A PDF whose text layer holds `text`, laid out as described above. */
export async function pdfFromText(text: string, options: PdfOptions = {}): Promise<Uint8Array> {
  const size = options.fontSize ?? 10;
  const lineHeight = size * 1.3;
  const doc = new PDFDocument({ size: 'A4', margin: 0, autoFirstPage: false, compress: true });
  const done = collect(doc);
  const font = unicodeFont();
  const left = 56;
  const top = 70;
  const bottom = 842 - 70;
  const width = 595 - 2 * left;
  let page = 0;
  let y = top;
  const newPage = () => {
    doc.addPage({ size: 'A4', margin: 0 });
    page++;
    doc.font(font).fontSize(8);
    if (options.header) doc.text(options.header, left, 30, { lineBreak: false });
    if (options.pageNumbers ?? true) doc.text(`Side ${page}`, left + width - 40, 800, { lineBreak: false });
    doc.fontSize(size);
    y = top;
  };
  const printLine = (line: string, x: number) => {
    if (y + lineHeight > bottom) newPage();
    doc.text(line, x, y, { lineBreak: false });
    y += lineHeight;
  };
  newPage();
  for (const raw of text.split(/\r?\n/)) {
    if (raw.trim().length === 0) {
      y += lineHeight;
      continue;
    }
    if (raw.includes('\t')) {
      // Table cells in columns, each cut to its column.
      const cells = raw.split('\t');
      const column = width / cells.length;
      if (y + lineHeight > bottom) newPage();
      cells.forEach((cell, i) => {
        let shown = cell.trim();
        while (shown.length > 1 && doc.widthOfString(shown) > column - 24) shown = shown.slice(0, -1);
        doc.text(shown, left + i * column, y, { lineBreak: false });
      });
      y += lineHeight;
      continue;
    }
    const indent = /^ */.exec(raw)?.[0].length ?? 0;
    const x = left + indent * doc.widthOfString(' ');
    let current = '';
    for (const word of raw.trim().split(/ +/)) {
      const candidate = current ? `${current} ${word}` : word;
      if (current && doc.widthOfString(candidate) > width - (x - left)) {
        printLine(current, x);
        current = word;
      } else current = candidate;
    }
    if (current) printLine(current, x);
  }
  doc.end();
  return done;
}

/** A PDF that draws its lines as given: `[x, y, text]` in PDF points from the top left, in this order. */
export async function pdfWithPlacedText(
  pieces: readonly (readonly [number, number, string])[],
): Promise<Uint8Array> {
  const doc = new PDFDocument({ size: 'A4', margin: 0 });
  const done = collect(doc);
  doc.font(unicodeFont()).fontSize(10);
  for (const [x, y, text] of pieces) doc.text(text, x, y, { lineBreak: false });
  doc.end();
  return done;
}

/** A "scanned" letter: pages with drawn shapes and no text layer. */
export async function pdfWithoutText(pages = 2): Promise<Uint8Array> {
  const doc = new PDFDocument({ size: 'A4', margin: 0, autoFirstPage: false });
  const done = collect(doc);
  for (let i = 0; i < pages; i++) {
    doc.addPage();
    for (let line = 0; line < 40; line++) doc.rect(56, 70 + line * 16, 300 + (line % 5) * 30, 9).fill('#333');
  }
  doc.end();
  return done;
}
