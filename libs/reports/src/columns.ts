import {
  organisationById,
  type CalendarDate,
  type CloseOutcome,
  type OppdragStatus,
  type PartStatus,
} from '#domain';
import type { AnnualReport, AnnualReportOwed, AnnualReportPart, AnnualReportRow } from '#projections';

/**
 * The columns of the Årlig melding sheet, with their Norwegian headings, shared by every writer so that
 * the XLSX and the CSV say the same thing in the same order.
 */

/** A cell: text, a calendar date, a whole number, or nothing. */
export type CellValue =
  | { readonly kind: 'text'; readonly value: string }
  | { readonly kind: 'date'; readonly value: CalendarDate }
  | { readonly kind: 'number'; readonly value: number }
  | { readonly kind: 'empty' };

export interface SheetColumn {
  /** The group heading: an RHF's name for its part's columns, null for the oppdrag's own columns. */
  readonly group: string | null;
  readonly heading: string;
  /** How wide the column may grow, in characters (long texts wrap beyond it). */
  readonly maxWidth: number;
  readonly cell: (row: AnnualReportRow) => CellValue;
}

const text = (value: string | null | undefined): CellValue =>
  value === null || value === undefined || value === '' ? { kind: 'empty' } : { kind: 'text', value };
const date = (value: CalendarDate | null | undefined): CellValue =>
  value ? { kind: 'date', value } : { kind: 'empty' };
const yesNo = (value: boolean): CellValue => ({ kind: 'text', value: value ? 'Ja' : 'Nei' });

export const OPPDRAG_STATUS_TEXT: Readonly<Record<OppdragStatus, string>> = {
  assigned: 'Tildelt',
  started: 'Startet',
  reported: 'Rapportert',
  closed: 'Avsluttet',
};

export const PART_STATUS_TEXT: Readonly<Record<PartStatus, string>> = {
  assigned: 'Ikke startet',
  started: 'Startet',
  reported: 'Rapportert',
};

const OUTCOME_TEXT: Readonly<Record<CloseOutcome, string>> = {
  completed: 'fullført',
  withdrawn: 'trukket',
  superseded: 'erstattet',
  continued: 'videreført',
};

/** A calendar date as Norwegians write it: dd.mm.yyyy. */
export function norwegianDate(day: CalendarDate): string {
  return `${day.slice(8, 10)}.${day.slice(5, 7)}.${day.slice(0, 4)}`;
}

/** An organisation's name, or its id when the registry does not know it. */
export const organisationName = (id: string): string => organisationById(id)?.name ?? id;

/** What a part still owes, in one cell: "Rapport (15.03.2025); Statusrapport til HOD (01.06.2024)". */
export function owedText(owes: readonly AnnualReportOwed[]): string {
  return owes
    .map((o) => `${o.what === 'report' ? 'Rapport' : (o.title ?? 'Milepæl')} (${norwegianDate(o.dueDate)})`)
    .join('; ');
}

function statusText(row: AnnualReportRow): string {
  const status = OPPDRAG_STATUS_TEXT[row.status];
  return row.closedOutcome ? `${status} (${OUTCOME_TEXT[row.closedOutcome]})` : status;
}

const OPPDRAG_COLUMNS: readonly SheetColumn[] = [
  {
    group: null,
    heading: 'Hovedmål',
    maxWidth: 40,
    cell: (r) =>
      text(r.hovedmal ? [r.hovedmal.number, r.hovedmal.title].filter((x) => x !== null).join(' ') : null),
  },
  { group: null, heading: 'Oppdrag-ID', maxWidth: 24, cell: (r) => text(r.oppdragId) },
  { group: null, heading: 'Oppdrag', maxWidth: 60, cell: (r) => text(r.title) },
  { group: null, heading: 'Kildebrev', maxWidth: 40, cell: (r) => text(r.source?.letter) },
  {
    group: null,
    heading: 'Ansvarlig RHF',
    maxWidth: 24,
    cell: (r) => text(r.lead ? organisationName(r.lead) : 'Ingen (hvert RHF for seg)'),
  },
  { group: null, heading: 'Status', maxWidth: 24, cell: (r) => text(statusText(r)) },
  { group: null, heading: 'Oppgitt frist', maxWidth: 12, cell: (r) => date(r.deadline) },
  { group: null, heading: 'Gjeldende frist', maxWidth: 12, cell: (r) => date(r.effectiveDeadline) },
  {
    group: null,
    heading: 'Fristen gjelder fra',
    maxWidth: 20,
    cell: (r) => text(r.deadlineSource === 'stated' ? 'Oppgitt frist' : 'Årlig melding'),
  },
  { group: null, heading: 'Forfalt', maxWidth: 8, cell: (r) => yesNo(r.overdue) },
  { group: null, heading: 'Levert for sent', maxWidth: 8, cell: (r) => yesNo(r.reportedLate) },
  {
    group: null,
    heading: 'Felles rapport levert',
    maxWidth: 12,
    cell: (r) => date(r.jointReport?.reportedOn),
  },
  {
    group: null,
    heading: 'Felles rapport (dokument)',
    maxWidth: 40,
    cell: (r) => text(r.jointReport?.documentRef),
  },
];

/** The columns of one RHF's part; `index` is the RHF's place in the sheet. */
function partColumns(rhf: string, index: number): SheetColumn[] {
  const group = organisationName(rhf);
  const of =
    (read: (part: AnnualReportPart) => CellValue) =>
    (row: AnnualReportRow): CellValue => {
      const part = row.parts[index];
      return part ? read(part) : { kind: 'empty' };
    };
  return [
    {
      group,
      heading: 'Rolle',
      maxWidth: 16,
      cell: (row) => {
        const part = row.parts[index];
        return text(part ? (part.leads ? 'Ansvarlig' : 'Adressat') : 'Ikke adressat');
      },
    },
    { group, heading: 'Status for delen', maxWidth: 14, cell: of((p) => text(PART_STATUS_TEXT[p.status])) },
    { group, heading: 'Startet', maxWidth: 12, cell: of((p) => date(p.startedOn)) },
    { group, heading: 'Rapportert', maxWidth: 12, cell: of((p) => date(p.reportedOn)) },
    { group, heading: 'Dokumentreferanse', maxWidth: 40, cell: of((p) => text(p.documentRef)) },
    { group, heading: 'Frist for delen', maxWidth: 12, cell: of((p) => date(p.dueDate)) },
    { group, heading: 'Forfalt', maxWidth: 8, cell: of((p) => yesNo(p.overdue)) },
    { group, heading: 'Levert for sent', maxWidth: 8, cell: of((p) => yesNo(p.reportedLate)) },
    { group, heading: 'Gjenstår', maxWidth: 50, cell: of((p) => text(owedText(p.owes))) },
  ];
}

/** Every column of a sheet: the oppdrag's own, then a group per RHF, in the sheet's order. */
export function sheetColumns(report: AnnualReport): SheetColumn[] {
  return [...OPPDRAG_COLUMNS, ...report.rhfs.flatMap((rhf, i) => partColumns(rhf, i))];
}

/** The totals, one row per RHF, with their headings. */
export const TOTALS_HEADINGS = [
  'RHF',
  'Oppdrag adressert',
  'Leder',
  'Ikke startet',
  'Startet',
  'Rapportert',
  'Åpne',
  'Forfalt',
  'Levert for sent',
  'Gjenstår (antall)',
] as const;

export function totalsRows(report: AnnualReport): Array<[string, ...number[]]> {
  return report.totals.map((t) => [
    organisationName(t.rhf),
    t.parts,
    t.leads,
    t.assigned,
    t.started,
    t.reported,
    t.open,
    t.overdue,
    t.reportedLate,
    t.owed,
  ]);
}

/** The sheet's title, e.g. "Årlig melding 2024 – Helse Nord RHF" or "… – alle RHF". */
export function sheetTitle(report: AnnualReport): string {
  const who = report.rhfs.length === 1 ? organisationName(report.rhfs[0] as string) : 'alle RHF';
  return `Årlig melding ${report.year} – ${who}`;
}

/** A file name without spaces or letters outside ASCII: arlig-melding-2024-helse-nord.xlsx. */
export function reportFileName(report: Pick<AnnualReport, 'year' | 'rhfs'>, extension: string): string {
  const who = report.rhfs.length === 1 ? (report.rhfs[0] as string) : 'alle-rhf';
  return `arlig-melding-${report.year}-${who}.${extension}`;
}
