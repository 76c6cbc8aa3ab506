// @ts-check
// Words and dates in Norwegian bokmål. Calendar dates are Europe/Oslo days (YYYY-MM-DD); instants are
// shown in Oslo time whatever the browser's own time zone is.

/** The months' names, January first. */
export const MONTHS = [
  'januar',
  'februar',
  'mars',
  'april',
  'mai',
  'juni',
  'juli',
  'august',
  'september',
  'oktober',
  'november',
  'desember',
];

// GraphQL sends enum values by their names, in capitals.
export const STATUS_LABELS = {
  ASSIGNED: 'Tildelt',
  STARTED: 'Startet',
  REPORTED: 'Rapportert',
  CLOSED: 'Lukket',
};

export const ROLE_LABELS = {
  COORDINATOR: 'koordinator',
  RHF: 'RHF',
  AUDITOR: 'revisor',
  SYSTEM: 'systemet',
};

export const OUTCOME_LABELS = {
  COMPLETED: 'fullført',
  WITHDRAWN: 'trukket tilbake',
  SUPERSEDED: 'erstattet av et annet oppdrag',
  CONTINUED: 'videreført',
};

export const EVENT_LABELS = {
  OppdragAssigned: 'Oppdraget ble tildelt',
  OppdragStarted: 'Arbeidet ble startet',
  MilestoneReported: 'Delleveranse ble rapportert',
  OppdragReported: 'En del av oppdraget ble rapportert',
  OppdragReopened: 'Oppdraget eller en rapport ble gjenåpnet',
  OppdragClosed: 'Oppdraget ble lukket',
  DeadlineChanged: 'Fristen ble endret',
  LeadReassigned: 'Nytt ledende RHF',
  CollaboratorAdded: 'Samarbeidspartner lagt til',
  CollaboratorRemoved: 'Samarbeidspartner fjernet',
  DeadlinePassed: 'Fristen gikk ut',
  MilestoneDue: 'Fristen for en delleveranse gikk ut',
  AddresseeAdded: 'Oppdraget ble rettet til et RHF til',
  AddresseeRemoved: 'Et RHF ble fjernet fra oppdraget',
  SourceAdded: 'Ny kilde (brev) ble lagt til',
  OppdragDetailsCorrected: 'Opplysninger ble rettet',
  MilestoneAdded: 'Delleveranse ble lagt til',
  MilestoneChanged: 'Delleveranse ble endret',
  MilestoneRemoved: 'Delleveranse ble fjernet',
};

/** What a part owes (Part.owes). */
export const OWES_LABELS = {
  JOINT: 'Felles leveranse',
  ANNUAL_REPORT: 'Rapport i Årlig melding',
};

/** How an RHF is involved in an oppdrag (MyPart.involvement). */
export const INVOLVEMENT_LABELS = {
  LEAD: 'Leder',
  ADDRESSEE: 'Rettet til oss',
  COLLABORATOR: 'Samarbeider',
};

/**
 * The Norwegian label of a code, or the code itself when it has none (nothing for no code).
 * @param {Record<string, string>} labels
 * @param {string | null | undefined} code
 * @returns {string}
 */
const labelOf = (labels, code) =>
  labels[String(code).toUpperCase()] ?? (code === null || code === undefined ? '' : String(code));

/** @param {string} type */
export const eventLabel = (type) => /** @type {Record<string, string>} */ (EVENT_LABELS)[type] ?? type;
/** @param {string | null | undefined} status */
export const statusLabel = (status) => labelOf(STATUS_LABELS, status);
/** @param {string | null | undefined} role */
export const roleLabel = (role) => labelOf(ROLE_LABELS, role);
/** @param {string | null | undefined} outcome */
export const outcomeLabel = (outcome) => labelOf(OUTCOME_LABELS, outcome);
/** @param {string | null | undefined} owes */
export const owesLabel = (owes) => labelOf(OWES_LABELS, owes);
/** @param {string | null | undefined} i */
export const involvementLabel = (i) => labelOf(INVOLVEMENT_LABELS, i);

/**
 * `2024-05-01` → `1. mai 2024`; null → the fallback.
 * @param {string | null | undefined} day
 * @param {string} [fallback]
 */
export function formatDate(day, fallback = '–') {
  if (!day) return fallback;
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!match) return day;
  return `${Number(match[3])}. ${MONTHS[Number(match[2]) - 1]} ${match[1]}`;
}

const OSLO_PARTS = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/Oslo',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

/**
 * The Oslo wall-clock parts of an instant.
 * @param {number} ms
 * @returns {Record<string, string>}
 */
function osloParts(ms) {
  /** @type {Record<string, string>} */
  const parts = {};
  for (const p of OSLO_PARTS.formatToParts(new Date(ms))) parts[p.type] = p.value;
  return parts;
}

/**
 * An ISO instant → `1. mai 2024 kl. 12:00` in Oslo time.
 * @param {string | null | undefined} iso
 * @param {{ seconds?: boolean }} [options]
 */
export function formatInstant(iso, { seconds = false } = {}) {
  if (!iso) return '–';
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return iso;
  const p = osloParts(ms);
  const day = formatDate(`${p.year}-${p.month}-${p.day}`);
  return `${day} kl. ${p.hour}:${p.minute}${seconds ? `:${p.second}` : ''}`;
}

/**
 * An ISO instant → the value of a datetime-local input, in Oslo time (`2024-05-01T12:00:05`).
 * @param {string} iso
 */
export function toOsloLocalInput(iso) {
  const p = osloParts(Date.parse(iso));
  return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}:${p.second}`;
}

/**
 * A datetime-local value read as Oslo wall-clock time → an ISO instant, or null if it is not one.
 * @param {string | null | undefined} value
 */
export function osloLocalToInstant(value) {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?/.exec(value ?? '');
  if (!match) return null;
  const [, y, mo, d, hh, mi, ss] = match;
  const wall = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(hh), Number(mi), Number(ss ?? 0));
  // Oslo is UTC+1 or UTC+2: guess, then correct by the offset Oslo actually had at the guess.
  let guess = wall - 3_600_000;
  for (let i = 0; i < 2; i += 1) {
    const p = osloParts(guess);
    const shown = Date.UTC(
      Number(p.year),
      Number(p.month) - 1,
      Number(p.day),
      Number(p.hour),
      Number(p.minute),
      Number(p.second),
    );
    guess += wall - shown;
  }
  return new Date(guess).toISOString();
}

/**
 * `1 dag`, `3 dager`.
 * @param {number} n
 */
export function daysText(n) {
  return n === 1 ? '1 dag' : `${n} dager`;
}

/**
 * Whole days from one calendar date to another.
 * @param {string} from
 * @param {string} to
 */
export function daysBetween(from, to) {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/**
 * `2 dager på overtid`, `frist i dag`, `om 12 dager` relative to today.
 * @param {string | null | undefined} day
 * @param {string | null | undefined} today
 */
export function relativeDeadline(day, today) {
  if (!day || !today) return '';
  const diff = daysBetween(today, day);
  if (diff === 0) return 'frist i dag';
  if (diff > 0) return `om ${daysText(diff)}`;
  return `${daysText(-diff)} siden`;
}

/**
 * A list of names in Norwegian: `A`, `A og B`, `A, B og C`.
 * @param {string[]} names
 */
export function namesList(names) {
  if (names.length <= 1) return names.join('');
  return `${names.slice(0, -1).join(', ')} og ${names[names.length - 1]}`;
}

/**
 * An organisation's short name (or its name, where a query asks for it and the short name is empty), or
 * the fallback when there is no organisation.
 * @param {{ shortName: string, name?: string } | null | undefined} org
 * @param {string} [fallback]
 * @returns {string}
 */
export function orgName(org, fallback = 'Ingen (alle RHF-er, hver for seg)') {
  return org ? org.shortName || (org.name ?? '') : fallback;
}
