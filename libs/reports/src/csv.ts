import type { AnnualReport } from '#projections';
import { norwegianDate, sheetColumns, type CellValue } from './columns.js';

export const CSV_CONTENT_TYPE = 'text/csv; charset=utf-8';

/** Norwegian Excel opens a CSV as UTF-8 only with a byte order mark, and splits its fields on `;`. */
const BOM = '\uFEFF';
const SEPARATOR = ';';
const LINE_END = '\r\n';

/**
 * One field: quoted when it holds the separator, a quote or a line break (quotes doubled). Text that a
 * spreadsheet would run as a formula (starting with =, +, -, @, a tab or a carriage return) is prefixed
 * with an apostrophe, so that a title or a document reference cannot become a formula in someone's sheet.
 */
export function csvField(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[;"\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

function cellText(cell: CellValue): string {
  switch (cell.kind) {
    case 'text':
      return csvField(cell.value);
    case 'date':
      return norwegianDate(cell.value);
    case 'number':
      return String(cell.value);
    case 'empty':
      return '';
  }
}

/**
 * The Årlig melding sheet as CSV the way Norwegian Excel opens it: UTF-8 with a byte order mark, fields
 * separated by `;`, lines ended by CRLF, dates as dd.mm.yyyy. One heading line; an RHF's columns are
 * headed "<RHF>: <heading>".
 */
export function annualReportCsv(report: AnnualReport): string {
  const columns = sheetColumns(report);
  const lines = [
    columns.map((c) => csvField(c.group ? `${c.group}: ${c.heading}` : c.heading)).join(SEPARATOR),
    ...report.rows.map((row) => columns.map((c) => cellText(c.cell(row))).join(SEPARATOR)),
  ];
  return BOM + lines.join(LINE_END) + LINE_END;
}
