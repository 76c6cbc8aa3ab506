/**
 * Letters sent as PDF: the text layer read in reading order, with running headers, footers and page numbers
 * left out and broken words joined; the oppdrag found in a PDF are those found in the text it was made from.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { LetterError, parseLetter, readPdfText, type ParsedOppdrag } from '../src/index.js';
import { pdfFromText, pdfWithoutText, pdfWithPlacedText } from './pdf-fixtures.js';

const shared = resolve(process.cwd(), '..', 'shared');
const documents = join(shared, 'documents');
const available = existsSync(documents) && existsSync(join(shared, 'gold'));
if (!available) console.warn(`skipping the PDF tests of the real letters: ${shared} is not present`);

/** What an oppdrag is, apart from where its lines fall on the printed page. */
const essence = (o: ParsedOppdrag) => ({
  title: o.title,
  description: o.description.replace(/\s+/g, ' '),
  addressedTo: o.addressedTo,
  addressees: o.addressees,
  lead: o.lead,
  collaborators: o.collaborators.map((c) => c.id),
  deadline: o.deadline,
  milestones: o.milestones.map((m) => [m.kind, m.dueDate]),
  section: o.source.section?.number ?? null,
  heading: o.source.heading,
  letterKind: o.source.letterKind,
  outsideList: o.outsideList,
});

describe('reading the text layer', () => {
  it('puts lines in reading order, top to bottom and left to right, whatever order they were drawn in', async () => {
    const pdf = await pdfWithPlacedText([
      [56, 130, 'tredje linje'],
      [56, 100, 'første linje'],
      [132, 115, 'slutten av andre.'],
      [56, 115, 'Andre linje og'],
    ]);
    expect(await readPdfText(pdf)).toBe('første linje\nAndre linje og slutten av andre.\ntredje linje\n');
  });

  it('leaves out running headers, footers and page numbers, and keeps a paragraph gap as a blank line', async () => {
    // Paragraphs of nine lines: a page break inside one runs on, a gap between two is a blank line.
    const text = Array.from({ length: 130 }, (_, i) =>
      i % 10 === 9
        ? ''
        : `Linje ${i + 1} i brevet om oppdrag til dei regionale helseføretaka${i % 10 === 8 ? '.' : ' og'}`,
    ).join('\n');
    const read = await readPdfText(await pdfFromText(text, { header: 'Helse- og omsorgsdepartementet' }));
    const lines = read.split('\n');
    expect(lines.some((l) => /Helse- og omsorgsdepartementet/.test(l))).toBe(false);
    expect(lines.some((l) => /^Side \d+$/.test(l.trim()))).toBe(false);
    expect(read.trim()).toBe(text.trim());
  });

  it('joins a word broken at a line end, and keeps the hyphen of a compound', async () => {
    const pdf = await pdfFromText(
      [
        'Dei regionale helseføretaka skal styrkje spesialisthelse-',
        'tenesta for barn i Helse Midt-',
        'Norge og i helse- og omsorgstenesta.',
      ].join('\n'),
    );
    expect(await readPdfText(pdf)).toBe(
      'Dei regionale helseføretaka skal styrkje spesialisthelsetenesta\nfor barn i Helse Midt-Norge\nog i helse- og omsorgstenesta.\n',
    );
  });

  it('keeps indentation and reads table cells as tab-separated', async () => {
    const read = await readPdfText(
      await pdfFromText(
        ['- Oppdrag', ' - Deloppdrag', 'Kap\tPost\tBetegnelse', '732\t70\tTilskudd'].join('\n'),
      ),
    );
    expect(read).toBe('- Oppdrag\n - Deloppdrag\nKap\tPost\tBetegnelse\n732\t70\tTilskudd\n');
  });
});

describe('PDFs that cannot be read as letters', () => {
  it('a scanned letter without a text layer gets an error that says so', async () => {
    const error = await readPdfText(await pdfWithoutText(), 'skannet.pdf').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LetterError);
    expect(error).toMatchObject({ rule: 'no-text-layer', fileName: 'skannet.pdf' });
    expect((error as Error).message).toMatch(/no text layer .*OCR/);
  });

  it('takes a Node Buffer as well as a Uint8Array, and leaves the caller’s bytes as they were', async () => {
    const bytes = await pdfWithPlacedText([
      [56, 100, 'Oppdragsdokument 2024 til Helse Vest RHF med oppdrag'],
    ]);
    const copy = Buffer.from(bytes);
    expect(await readPdfText(copy)).toBe(await readPdfText(bytes));
    expect(Buffer.compare(copy, Buffer.from(bytes))).toBe(0);
  });

  it('bytes that are no PDF, or a broken PDF', async () => {
    await expect(readPdfText(new TextEncoder().encode('Oppdragsdokument 2024'))).rejects.toMatchObject({
      rule: 'not-a-pdf',
    });
    const broken = new TextEncoder().encode('%PDF-1.7\n1 0 obj <<>> endobj\n%%EOF\n');
    await expect(readPdfText(broken)).rejects.toMatchObject({ rule: 'not-a-pdf' });
  });
});

(available ? describe : describe.skip)('the real letters as PDF', () => {
  const names = available
    ? readdirSync(join(shared, 'gold'))
        .filter((n) => n.endsWith('.json'))
        .map((n) => n.replace(/\.json$/, '.txt'))
    : [];

  it.each(names)('%s: the oppdrag from the PDF equal those from the text', async (name) => {
    const text = readFileSync(join(documents, name), 'utf8');
    const pdf = await pdfFromText(text, { header: 'Helse- og omsorgsdepartementet' });
    const fromText = parseLetter(text, { fileName: name });
    const fromPdf = parseLetter(await readPdfText(pdf, name), { fileName: name });
    expect(fromPdf.oppdrag.map(essence)).toEqual(fromText.oppdrag.map(essence));
    expect(fromPdf).toMatchObject({
      recipient: fromText.recipient,
      year: fromText.year,
      kind: fromText.kind,
      date: fromText.date,
    });
  });
});
