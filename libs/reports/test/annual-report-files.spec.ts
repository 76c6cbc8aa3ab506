import ExcelJS from 'exceljs';
import { RHF_IDS } from '#domain';
import { annualReport, type AnnualReport, type OppdragQueries } from '#projections';
import { givenTheYear, ON } from '../../projections/test/support/annual-year.js';
import { annualReportCsv, annualReportXlsx, csvField, TOTALS_HEADINGS } from '../src/index.js';

async function openXlsx(buffer: Buffer): Promise<ExcelJS.Workbook> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(buffer as unknown as ArrayBuffer);
  return workbook;
}

/** The column number of a heading in row 2, within the group headed in row 1 (null: the oppdrag's own). */
function columnOf(sheet: ExcelJS.Worksheet, heading: string, group: string | null = null): number {
  let groupName: string | null = null;
  for (let c = 1; c <= sheet.columnCount; c++) {
    const top = sheet.getRow(1).getCell(c);
    // A merged cell reads as its master's value.
    if (c > 1 && typeof top.value === 'string') groupName = top.value;
    if (sheet.getRow(2).getCell(c).value === heading && groupName === group) return c;
  }
  throw new Error(`no column ${heading} in ${group ?? 'the oppdrag columns'}`);
}

describe('the Årlig melding files', () => {
  let queries: OppdragQueries;
  let stop: () => Promise<void>;
  beforeAll(async () => ({ queries, stop } = await givenTheYear()));
  afterAll(() => stop());

  describe('XLSX, one RHF', () => {
    let report: AnnualReport;
    let sheet: ExcelJS.Worksheet;
    let workbook: ExcelJS.Workbook;
    beforeAll(async () => {
      report = annualReport(queries, { year: 2024, rhfs: ['helse-nord'], on: ON });
      workbook = await openXlsx(await annualReportXlsx(report));
      sheet = workbook.getWorksheet('Årlig melding 2024') as ExcelJS.Worksheet;
    });

    it('has Norwegian headings under a frozen two-row header, with filters on', () => {
      expect(sheet.getRow(1).getCell(1).value).toBe('Årlig melding 2024 – Helse Nord RHF');
      expect(sheet.getRow(2).getCell(1).value).toBe('Hovedmål');
      expect(sheet.getRow(2).getCell(3).value).toBe('Oppdrag');
      expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 2 });
      // From the headings (row 2) over every row and column.
      const last = sheet.getColumn(sheet.columnCount).letter;
      expect(sheet.autoFilter).toBe(`A2:${last}${2 + report.rows.length}`);
      expect(columnOf(sheet, 'Status for delen', 'Helse Nord RHF')).toBeGreaterThan(10);
    });

    it('has a row per oppdrag, in the order of the sheet, with dates as dates', () => {
      expect(sheet.rowCount).toBe(2 + report.rows.length);
      const ids = report.rows.map((_, i) => sheet.getRow(3 + i).getCell(2).value);
      expect(ids).toEqual(['2024-a-03', '2024-a-02', '2024-a-01']);
      const own = sheet.getRow(4);
      const deadline = own.getCell(columnOf(sheet, 'Gjeldende frist')).value;
      expect(deadline).toBeInstanceOf(Date);
      expect((deadline as Date).toISOString()).toBe('2024-04-01T00:00:00.000Z');
      expect(own.getCell(columnOf(sheet, 'Gjeldende frist')).numFmt).toBe('dd.mm.yyyy');
      const reported = own.getCell(columnOf(sheet, 'Rapportert', 'Helse Nord RHF')).value;
      expect((reported as Date).toISOString()).toBe('2024-04-20T00:00:00.000Z');
      expect(own.getCell(columnOf(sheet, 'Dokumentreferanse', 'Helse Nord RHF')).value).toBe(
        'Rapport; "endelig".pdf',
      );
      expect(own.getCell(columnOf(sheet, 'Levert for sent', 'Helse Nord RHF')).value).toBe('Ja');
      const noLead = sheet.getRow(3);
      expect(noLead.getCell(columnOf(sheet, 'Oppgitt frist')).value).toBeNull();
      expect(noLead.getCell(columnOf(sheet, 'Fristen gjelder fra')).value).toBe('Årlig melding');
      expect(noLead.getCell(columnOf(sheet, 'Gjenstår', 'Helse Nord RHF')).value).toBe(
        'Rapport (15.03.2025)',
      );
    });

    it('sizes each column to its longest value, within bounds', () => {
      const title = sheet.getColumn(3).width as number;
      expect(title).toBeGreaterThanOrEqual(report.rows[0]!.title.length > 60 ? 60 : 8);
      expect(title).toBeLessThanOrEqual(62);
      expect(sheet.getColumn(columnOf(sheet, 'Oppgitt frist')).width).toBeGreaterThanOrEqual(12);
    });
  });

  describe('XLSX, all four RHFs', () => {
    let report: AnnualReport;
    let workbook: ExcelJS.Workbook;
    beforeAll(async () => {
      report = annualReport(queries, { year: 2024, rhfs: [...RHF_IDS], on: ON });
      workbook = await openXlsx(await annualReportXlsx(report));
    });

    it('has a column group per RHF, each with its part', () => {
      const sheet = workbook.getWorksheet('Årlig melding 2024') as ExcelJS.Worksheet;
      const groups = new Set<string>();
      for (let c = 2; c <= sheet.columnCount; c++) {
        const v = sheet.getRow(1).getCell(c).value;
        if (typeof v === 'string') groups.add(v);
      }
      expect([...groups]).toEqual([
        'Helse Sør-Øst RHF',
        'Helse Vest RHF',
        'Helse Midt-Norge RHF',
        'Helse Nord RHF',
      ]);
      const joint = 3 + report.rows.findIndex((r) => r.oppdragId === '2024-a-01');
      const role = (group: string) => sheet.getRow(joint).getCell(columnOf(sheet, 'Rolle', group)).value;
      expect(role('Helse Vest RHF')).toBe('Ansvarlig');
      expect(role('Helse Nord RHF')).toBe('Adressat');
      const own = 3 + report.rows.findIndex((r) => r.oppdragId === '2024-a-02');
      expect(sheet.getRow(own).getCell(columnOf(sheet, 'Rolle', 'Helse Vest RHF')).value).toBe(
        'Ikke adressat',
      );
    });

    it('has totals per RHF that agree with the read model', () => {
      const totals = workbook.getWorksheet('Summer') as ExcelJS.Worksheet;
      expect(totals.getRow(1).values).toEqual([undefined, ...TOTALS_HEADINGS]);
      const workload = queries.workload(ON, 2024);
      RHF_IDS.forEach((rhf, i) => {
        const row = totals.getRow(2 + i);
        const load = workload.find((w) => w.organisationId === rhf)!;
        const cell = (heading: string) => row.getCell(TOTALS_HEADINGS.indexOf(heading as never) + 1).value;
        expect(cell('Oppdrag adressert')).toBe(load.parts);
        expect(cell('Leder')).toBe(load.leads);
        expect(cell('Åpne')).toBe(load.open);
        expect(cell('Forfalt')).toBe(load.overdue);
        expect(cell('Levert for sent')).toBe(load.reportedLate);
        expect(cell('Gjenstår (antall)')).toBe(queries.stillOwes(rhf, 2024, ON, 100).totalCount);
      });
      const all = totals.getRow(6);
      expect(all.getCell(1).value).toBe('Alle RHF');
      expect(all.getCell(2).value).toBe(workload.reduce((s, w) => s + w.parts, 0));
      const judged = totals.getRow(9);
      expect(judged.getCell(1).value).toBe('Vurdert per');
      expect(judged.getCell(2).value).toBeInstanceOf(Date);
    });
  });

  describe('CSV', () => {
    let text: string;
    beforeAll(() => {
      text = annualReportCsv(annualReport(queries, { year: 2024, rhfs: ['helse-nord'], on: ON }));
    });

    it('starts with a byte order mark, separates with ; and ends lines with CRLF', () => {
      expect(text.charCodeAt(0)).toBe(0xfeff);
      const lines = text.slice(1).split('\r\n');
      expect(lines[lines.length - 1]).toBe('');
      expect(lines).toHaveLength(1 + 3 + 1);
      expect(text.replace(/\r\n/g, '')).not.toMatch(/\n/);
      expect(lines[0]?.split(';').slice(0, 3)).toEqual(['Hovedmål', 'Oppdrag-ID', 'Oppdrag']);
      expect(lines[0]).toContain('Helse Nord RHF: Status for delen');
    });

    it('quotes a field holding the separator or a quote, and writes dates as dd.mm.yyyy', () => {
      const own = text.split('\r\n').find((l) => l.includes('2024-a-02')) as string;
      expect(own).toContain(';"Rapport; ""endelig"".pdf";');
      expect(own).toContain(';01.04.2024;');
      expect(own).toContain(';20.04.2024;');
      expect(own).not.toMatch(/2024-04-20/);
    });

    it('never lets a field become a formula', () => {
      expect(csvField('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
      expect(csvField('+47 22 00 00 00')).toBe("'+47 22 00 00 00");
      expect(csvField('linje 1\nlinje 2')).toBe('"linje 1\nlinje 2"');
      expect(csvField('Helse Nord')).toBe('Helse Nord');
    });
  });
});
