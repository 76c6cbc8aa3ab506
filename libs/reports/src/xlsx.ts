import ExcelJS from 'exceljs';
import type { CalendarDate } from '#domain';
import type { AnnualReport } from '#projections';
import {
  norwegianDate,
  sheetColumns,
  sheetTitle,
  TOTALS_HEADINGS,
  totalsRows,
  type CellValue,
} from './columns.js';

export const XLSX_CONTENT_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** Midnight UTC of a calendar date: the spreadsheet's serial day number of exactly that date. */
export const dateCell = (day: CalendarDate): Date => new Date(`${day}T00:00:00.000Z`);

const DATE_FORMAT = 'dd.mm.yyyy';
const HEADER_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFDCE6F1' } };
const GROUP_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFB8CCE4' } };

/** The characters a cell shows, for its column's width. */
function shownLength(cell: CellValue): number {
  switch (cell.kind) {
    case 'text':
      return cell.value.length;
    case 'date':
      return norwegianDate(cell.value).length;
    case 'number':
      return String(cell.value).length;
    case 'empty':
      return 0;
  }
}

function cellValue(cell: CellValue): ExcelJS.CellValue {
  switch (cell.kind) {
    case 'text':
      return cell.value;
    case 'date':
      return dateCell(cell.value);
    case 'number':
      return cell.value;
    case 'empty':
      return null;
  }
}

/**
 * The Årlig melding sheet as an XLSX workbook: one sheet of rows (a row of group headings, one per RHF,
 * above the column headings; both frozen; filters on the headings; dates as real dates), and a sheet of
 * totals per RHF.
 */
export async function annualReportXlsx(report: AnnualReport): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Oppdragsflyt';
  workbook.title = sheetTitle(report);
  // Fixed, so the same read models always give the same file.
  workbook.created = dateCell(report.on);
  workbook.modified = dateCell(report.on);

  const columns = sheetColumns(report);
  const sheet = workbook.addWorksheet(`Årlig melding ${report.year}`, {
    views: [{ state: 'frozen', xSplit: 2, ySplit: 2 }],
  });
  const groupRow = sheet.getRow(1);
  const headingRow = sheet.getRow(2);
  columns.forEach((column, i) => {
    groupRow.getCell(i + 1).value = column.group ?? (i === 0 ? sheetTitle(report) : null);
    headingRow.getCell(i + 1).value = column.heading;
  });
  // Each RHF's group heading spans its columns.
  let start = 0;
  while (start < columns.length) {
    let end = start;
    while (end + 1 < columns.length && columns[end + 1]?.group === columns[start]?.group) end++;
    if (columns[start]?.group !== null && end > start) sheet.mergeCells(1, start + 1, 1, end + 1);
    start = end + 1;
  }
  for (const row of [groupRow, headingRow]) {
    row.font = { bold: true };
    row.alignment = { vertical: 'middle', wrapText: true };
  }
  groupRow.eachCell((cell) => (cell.fill = GROUP_FILL));
  headingRow.eachCell((cell) => (cell.fill = HEADER_FILL));

  const widths = columns.map((c) => c.heading.length);
  for (const row of report.rows) {
    const values = columns.map((column, i) => {
      const cell = column.cell(row);
      widths[i] = Math.max(widths[i] as number, shownLength(cell));
      return cellValue(cell);
    });
    sheet.addRow(values);
  }
  columns.forEach((column, i) => {
    const sheetColumn = sheet.getColumn(i + 1);
    sheetColumn.width = Math.min(Math.max((widths[i] as number) + 2, 8), column.maxWidth + 2);
    if (report.rows.some((r) => column.cell(r).kind === 'date')) sheetColumn.numFmt = DATE_FORMAT;
    if ((widths[i] as number) > column.maxWidth) sheetColumn.alignment = { wrapText: true, vertical: 'top' };
  });
  sheet.autoFilter = {
    from: { row: 2, column: 1 },
    to: { row: 2 + report.rows.length, column: columns.length },
  };

  const totals = workbook.addWorksheet('Summer', { views: [{ state: 'frozen', ySplit: 1 }] });
  totals.addRow([...TOTALS_HEADINGS]).font = { bold: true };
  const rows = totalsRows(report);
  for (const row of rows) totals.addRow(row);
  if (rows.length > 1) {
    // The sum of every RHF, as numbers computed here (a spreadsheet without formulas shows them too).
    const sum = TOTALS_HEADINGS.slice(1).map((_, i) => rows.reduce((s, r) => s + (r[i + 1] as number), 0));
    totals.addRow(['Alle RHF', ...sum]).font = { bold: true };
  }
  totals.addRow([]);
  totals.addRow(['Oppdrag i arket', report.rows.length]);
  totals.addRow(['Vurdert per', dateCell(report.on)]).getCell(2).numFmt = DATE_FORMAT;
  totals.addRow(['Årlig melding forfaller', dateCell(report.annualReportDate)]).getCell(2).numFmt =
    DATE_FORMAT;
  totals.getColumn(1).width = 26;
  for (let i = 2; i <= TOTALS_HEADINGS.length; i++)
    totals.getColumn(i).width = Math.max((TOTALS_HEADINGS[i - 1] as string).length + 2, 10);

  const buffer = await workbook.xlsx.writeBuffer();
  return Buffer.from(buffer);
}
