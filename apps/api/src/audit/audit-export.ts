import type { AuditEntry } from '#projections';

/** The columns of the CSV export, in order, with the entry field each reads. */
const COLUMNS: ReadonlyArray<readonly [string, keyof AuditEntry]> = [
  ['posisjon', 'position'],
  ['registrert', 'recordedAt'],
  ['oppdrag', 'oppdragId'],
  ['revisjon', 'revision'],
  ['hendelse', 'type'],
  ['bruker', 'actorUserId'],
  ['navn', 'actorName'],
  ['rolle', 'actorRole'],
  ['organisasjon', 'actorOrganisation'],
  ['kommando', 'commandId'],
  ['korrelasjon', 'correlationId'],
  ['hendelse-id', 'eventId'],
  ['data', 'data'],
];

/**
 * One CSV cell: quoted when it holds the separator, a quote or a line break; a text a spreadsheet would
 * run as a formula (=, +, -, @ first) is prefixed with an apostrophe.
 */
function cell(value: string | number): string {
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[;"\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The audit entries as CSV the way Norwegian Excel opens it: UTF-8 with BOM, `;`-separated, CRLF. */
export function auditCsv(entries: readonly AuditEntry[]): string {
  const lines = [COLUMNS.map(([heading]) => heading).join(';')];
  for (const entry of entries) lines.push(COLUMNS.map(([, key]) => cell(entry[key])).join(';'));
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

/** The audit entries as JSON Lines: one entry a line, its event data as JSON (not a string of it). */
export function auditJsonl(entries: readonly AuditEntry[]): string {
  return entries.map((e) => `${JSON.stringify({ ...e, data: JSON.parse(e.data) as unknown })}\n`).join('');
}
