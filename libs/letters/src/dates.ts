/**
 * Dates an oppdrag must meet, read from bokmål and nynorsk prose.
 *
 * Only a date introduced by a deadline word counts: "innen/innan", "senest/seinast", "før", "i løpet av",
 * "frist(en) (for …) er", "med frist", or a delivery verb in a sentence that asks for something
 * ("skal leveres 1. mars 2021"). A date that is merely mentioned ("brev av 8. februar 2024", "leverte en
 * statusrapport 1. desember 2023", "rapport … 7.12.2023") has no such word and is ignored. Inside an oppdrag
 * (`DateContext.task`), a named period the task is placed in also counts (see `placedPeriods`).
 *
 * Conventions for dates that name a period rather than a day — always the last day of the period:
 * - a year ("innen utgangen av 2024", "innen 2025", "i løpet av 2024") → 31 December;
 * - a month ("innen utgangen av mars 2024", "innen juni 2024") → the month's last day;
 * - a half-year, quarter or tertial ("første halvår 2024", "andre tertial") → its last day;
 * - a season: vår/våren → 30 June (the first half-year), sommer/sommaren → 31 August,
 *   høst/hausten → 31 December (the second half-year), vinter/vinteren → the last day of February;
 * - "årsskiftet", "nyttår" → 31 December of the letter's year.
 * A day and month without a year take the letter's year, or the next year when that day is already past at the
 * letter's date.
 */
import { calendarDate, daysInMonth, type CalendarDate } from '#domain';
import { splitSentences, shorten, squash } from './text.js';

export type DateKind = 'frist' | 'statusrapport' | 'underveisrapportering' | 'rapport' | 'årlig melding';

export interface FoundDate {
  readonly date: CalendarDate;
  readonly kind: DateKind;
  /** The sentence that sets the date, shortened. */
  readonly evidence: string;
  /** The words that express the date, as written. */
  readonly expression: string;
  /** Set when the date stands for a period (year, month, season…): which convention turned it into a day. */
  readonly convention: string | null;
  /** Offset of the expression in the text that was searched. */
  readonly offset: number;
}

export interface DateContext {
  /** The letter's year: used when a date omits the year. */
  readonly year: number;
  /** The letter's date, when known: a day-month before it rolls over to the next year. */
  readonly letterDate: CalendarDate | null;
  /**
   * True when the text is one oppdrag: then a named period the task is placed in ("blir publisert første
   * halvår 2021", "for oppstart hausten 2021", "skal gjennomførast i 2021") is a deadline without a deadline
   * word, unless the words around it show it is only mentioned (see `periodIsPlaced`).
   */
  readonly task?: boolean;
}

const MONTHS: Record<string, number> = {
  januar: 1,
  jan: 1,
  februar: 2,
  feb: 2,
  mars: 3,
  mar: 3,
  april: 4,
  apr: 4,
  mai: 5,
  juni: 6,
  jun: 6,
  juli: 7,
  jul: 7,
  august: 8,
  aug: 8,
  september: 9,
  sept: 9,
  sep: 9,
  oktober: 10,
  okt: 10,
  november: 11,
  nov: 11,
  desember: 12,
  des: 12,
};
const MONTH =
  '(januar|februar|mars|april|mai|juni|juli|august|september|oktober|november|desember|jan|feb|mar|apr|jun|jul|aug|sept|sep|okt|nov|des)\\.?';
const ORDINAL_HALF = '(første|fyrste|andre|1\\.|2\\.)';
const ORDINAL_FOUR = '(første|fyrste|andre|tredje|fjerde|1\\.|2\\.|3\\.|4\\.)';
const SEASON =
  '(våren|vår|sommeren|sommaren|sumaren|sommer|sommar|høsten|hausten|høst|haust|vinteren|vinter)';
const YEAR = '((?:19|20)\\d\\d)';

/** The date expressions, longest forms first. Each yields a date and, for periods, a convention. */
const EXPRESSION = new RegExp(
  [
    `(?<dmy>(?<d1>\\d{1,2})\\.\\s*${MONTH.replace('(', '(?<m1>')}(?:\\s+(?<y1>(?:19|20)\\d\\d))?)`,
    `(?<num>(?<d2>\\d{1,2})\\.(?<m2>\\d{1,2})\\.(?<y2>(?:19|20)?\\d\\d))(?!\\d)`,
    `(?<iso>(?<y3>(?:19|20)\\d\\d)-(?<m3>\\d{2})-(?<d3>\\d{2}))`,
    `(?<half>${ORDINAL_HALF.replace('(', '(?<h>')}\\s+(?:halvår|halvåret|halvdel\\s+av)(?:\\s+(?:av\\s+)?${YEAR.replace('(', '(?<y4>')})?)`,
    `(?<quarter>${ORDINAL_FOUR.replace('(', '(?<q>')}\\s+kvartal(?:et)?(?:\\s+(?:av\\s+)?${YEAR.replace('(', '(?<y5>')})?)`,
    `(?<tertial>${ORDINAL_FOUR.replace('(', '(?<t>')}\\s+tertial(?:et)?(?:\\s+(?:av\\s+)?${YEAR.replace('(', '(?<y6>')})?)`,
    `(?<season>${SEASON.replace('(', '(?<s>')}(?:\\s+${YEAR.replace('(', '(?<y7>')})?)`,
    `(?<monthyear>${MONTH.replace('(', '(?<m8>')}\\s+${YEAR.replace('(', '(?<y8>')})`,
    `(?<span>(?:(?:plan|strategi|avtale|program)?perioden\\s+)?${YEAR.replace('(', '(?<y11a>')}\\s*[-–]\\s*(?<y11>(?:19|20)?\\d\\d))(?![\\d/])`,
    `(?<yearend>(?:året|årsskiftet|nyttår)(?:\\s+${YEAR.replace('(', '(?<y9>')}(?:\\s*[/-]\\s*\\d{2,4})?)?)`,
    `(?<year>${YEAR.replace('(', '(?<y10>')})(?![\\d/–-])`,
  ]
    .map((alternative) => `(?<![\\p{L}\\d])${alternative}(?![\\p{L}])`)
    .join('|'),
  'iuy',
);

/** Words that make the next date a deadline; the date expression must follow right after them. */
const TRIGGER = new RegExp(
  '(?<![\\p{L}])(?:innen\\s+og\\s+med|til\\s+og\\s+med|i\\s+løpet\\s+av|ikke\\s+senere\\s+enn|ikkje\\s+seinare\\s+enn|med\\s+frist|' +
    '(?:fristen|frist)(?:\\s+for\\s+[^.;]{1,80}?)?\\s+(?:(?:er|blir|vert)\\s+(?:satt|sett)\\s+til|settes\\s+til|setjast\\s+til|er|blir|vert)|' +
    'innen|innan|senest|seinast|seinest|før|fristen|frist|ved(?=\\s+(?:utgangen|slutten|enden)\\s+av))' +
    '(?:\\s+(?:utgangen|slutten|enden)\\s+av)?(?:\\s+(?:den|dato))?\\s*:?\\s*',
  'giu',
);

/** A present or future delivery verb a few words before the date ("skal leveres 1. mars", "skal levere rapporten 1. mars"). */
const DELIVERY =
  /(?<![\p{L}])(?:leveres|leverast|levere|sendes|sendast|sende|oversendes|oversendast|oversende|rapporteres|rapporterast|rapportere|foreligge|ligge\s+føre|liggje\s+føre|ferdigstilles|ferdigstillast|ferdigstille|legges\s+fram|leggjast\s+fram|legges\s+frem|legge\s+fram|leggje\s+fram|legge\s+frem|presenteres|presenterast|(?:være|vere)\s+(?:ferdigstilt|ferdigstilt|gjennomført|levert|klar|ferdig|på\s+plass|etablert|oversendt|sendt))(?![\p{L}])/giu;
const AND_NEXT = /\s*,\s*|\s+(?:og|samt|eller)\s+/uy;
/** Words between a delivery verb and a date that show the date is only mentioned ("sendt brev av 1. mars"). */
const MENTION_WORDS = new Set(['av', 'datert', 'fra', 'frå', 'i']);
/** A cheap first test: a sentence without any of these words holds no deadline. */
const MAY_HOLD_DEADLINE =
  /innen|innan|senest|seinast|seinest|før|løpet|til og med|frist|enn\s|utgangen|lever|send|rapporter|ferdigstil|gjennomført|være|vere|legg\p{L}*\s+fr|presenter|foreligge|ligg\p{L}*\s+føre/iu;
const ASKING = /(?<![\p{L}])(?:skal|bes|må|bør|(?:blir|vert|er)\s+bed(?:t|d|e|ne))(?![\p{L}])/iu;

const LAST_MONTH_OF_HALF: Record<string, number> = { første: 6, fyrste: 6, '1.': 6, andre: 12, '2.': 12 };
const ORDINAL_INDEX: Record<string, number> = {
  første: 1,
  fyrste: 1,
  '1.': 1,
  andre: 2,
  '2.': 2,
  tredje: 3,
  '3.': 3,
  fjerde: 4,
  '4.': 4,
};

function lastDayOfMonth(year: number, month: number): CalendarDate | undefined {
  return calendarDate(year, month, daysInMonth(year, month));
}

/**
 * Spring and autumn stand for the half-years (LABELLING.md: "våren 2020" → 30 June, "hausten 2020" →
 * 31 December); summer and winter, which the labels do not name, end with August and February.
 */
function seasonEnd(season: string, year: number): { date: CalendarDate | undefined; convention: string } {
  const s = season.toLowerCase();
  if (s.startsWith('vår')) {
    return { date: calendarDate(year, 6, 30), convention: 'season: spring is the first half-year (30 June)' };
  }
  if (s.startsWith('som') || s.startsWith('sum')) {
    return { date: calendarDate(year, 8, 31), convention: 'season: end of summer (31 August)' };
  }
  if (s.startsWith('høst') || s.startsWith('haust')) {
    return {
      date: calendarDate(year, 12, 31),
      convention: 'season: autumn is the second half-year (31 December)',
    };
  }
  return { date: lastDayOfMonth(year, 2), convention: 'season: end of winter (last day of February)' };
}

interface Resolved {
  readonly date: CalendarDate;
  readonly convention: string | null;
  /** True when the expression alone is a date (a day, or a named period); a bare year needs a trigger word. */
  readonly bareYear: boolean;
}

function resolve(groups: Record<string, string | undefined>, ctx: DateContext): Resolved | null {
  const yearOf = (y: string | undefined): number =>
    y ? (y.length === 2 ? 2000 + Number(y) : Number(y)) : ctx.year;
  if (groups.dmy) {
    const month = MONTHS[(groups.m1 ?? '').toLowerCase().replace('.', '')];
    if (!month) return null;
    let year = yearOf(groups.y1);
    let date = calendarDate(year, month, Number(groups.d1));
    if (date && !groups.y1 && ctx.letterDate && date < ctx.letterDate) {
      year += 1;
      date = calendarDate(year, month, Number(groups.d1));
    }
    return date
      ? { date, convention: groups.y1 ? null : `year taken from the letter (${year})`, bareYear: false }
      : null;
  }
  if (groups.num) {
    const date = calendarDate(yearOf(groups.y2), Number(groups.m2), Number(groups.d2));
    return date ? { date, convention: null, bareYear: false } : null;
  }
  if (groups.iso) {
    const date = calendarDate(Number(groups.y3), Number(groups.m3), Number(groups.d3));
    return date ? { date, convention: null, bareYear: false } : null;
  }
  if (groups.half) {
    const month = LAST_MONTH_OF_HALF[(groups.h ?? '').toLowerCase()] ?? 12;
    const date = lastDayOfMonth(yearOf(groups.y4), month);
    return date ? { date, convention: 'period: last day of the half-year', bareYear: false } : null;
  }
  if (groups.quarter) {
    const index = ORDINAL_INDEX[(groups.q ?? '').toLowerCase()] ?? 4;
    const date = lastDayOfMonth(yearOf(groups.y5), index * 3);
    return date ? { date, convention: 'period: last day of the quarter', bareYear: false } : null;
  }
  if (groups.tertial) {
    const index = Math.min(ORDINAL_INDEX[(groups.t ?? '').toLowerCase()] ?? 3, 3);
    const date = lastDayOfMonth(yearOf(groups.y6), index * 4);
    return date ? { date, convention: 'period: last day of the tertial', bareYear: false } : null;
  }
  if (groups.season) {
    const { date, convention } = seasonEnd(groups.s ?? '', yearOf(groups.y7));
    return date ? { date, convention, bareYear: false } : null;
  }
  if (groups.monthyear) {
    const month = MONTHS[(groups.m8 ?? '').toLowerCase().replace('.', '')];
    const date = month ? lastDayOfMonth(yearOf(groups.y8), month) : undefined;
    return date ? { date, convention: 'period: last day of the month', bareYear: false } : null;
  }
  if (groups.span) {
    const from = Number(groups.y11a);
    const to = yearOf(
      (groups.y11 ?? '').length === 2 ? `${String(from).slice(0, 2)}${groups.y11}` : groups.y11,
    );
    const date = to >= from ? calendarDate(to, 12, 31) : undefined;
    return date ? { date, convention: 'period: last day of the period’s last year', bareYear: true } : null;
  }
  if (groups.yearend) {
    const date = calendarDate(yearOf(groups.y9), 12, 31);
    return date ? { date, convention: 'period: last day of the year', bareYear: true } : null;
  }
  if (groups.year) {
    const date = calendarDate(yearOf(groups.y10), 12, 31);
    return date ? { date, convention: 'period: last day of the year', bareYear: true } : null;
  }
  return null;
}

/** Classifies a deadline by the words of its sentence before the date. */
export function classifyDate(clause: string): DateKind {
  const text = clause.toLowerCase();
  if (
    /underveis|undervegs|delrapport|midtveis|foreløpig\s+rapport|førebels|foreløpige\s+vurderinger/u.test(
      text,
    )
  ) {
    return 'underveisrapportering';
  }
  if (/status/u.test(text)) return 'statusrapport';
  if (/årlig\s+melding|årleg\s+melding/u.test(text)) return 'årlig melding';
  if (
    /frist(en)?\s+for\s+oppdraget|sluttrapport|oppdraget\s+skal\s+(?:være|vere)\s+(?:ferdig|gjennomført|sluttført)/u.test(
      text,
    )
  ) {
    return 'frist';
  }
  if (/rapport|redegjør|gjere\s+greie|gjøre\s+rede|melding\s+til/u.test(text)) return 'rapport';
  return 'frist';
}

/**
 * The deadline dates in a text (an oppdrag's flattened description), in text order, each with its kind and
 * the sentence it comes from. The same date named twice is returned once.
 */
export function findDeadlines(text: string, ctx: DateContext): FoundDate[] {
  const found: FoundDate[] = [];
  for (const sentence of splitSentences(text)) {
    const s = sentence.text;
    if (!MAY_HOLD_DEADLINE.test(s) && !(ctx.task && MAY_HOLD_PERIOD.test(s))) continue;
    const hits = new Map<number, { match: RegExpExecArray; resolved: Resolved }>();
    for (const trigger of s.matchAll(TRIGGER)) {
      let hit = dateAt(s, trigger.index + trigger[0].length, ctx);
      // One deadline word may govern a list of dates: "innen 1. oktober 2024 og 1. april 2025".
      while (hit) {
        hits.set(hit.match.index, hit);
        AND_NEXT.lastIndex = hit.match.index + hit.match[0].length;
        const and = AND_NEXT.exec(s);
        hit = and ? dateAt(s, and.index + and[0].length, ctx) : null;
      }
    }
    if (ctx.task) {
      for (const hit of placedPeriods(s, ctx)) if (!hits.has(hit.match.index)) hits.set(hit.match.index, hit);
    }
    if (ASKING.test(s) && !OTHER_ACTOR.test(s)) {
      for (const verb of s.matchAll(DELIVERY)) {
        const hit = dateAfterWords(s, verb.index + verb[0].length, ctx);
        if (hit && !hit.resolved.bareYear && !hits.has(hit.match.index)) hits.set(hit.match.index, hit);
      }
    }
    let previousEnd = 0;
    for (const { match, resolved } of [...hits.values()].sort((a, b) => a.match.index - b.match.index)) {
      // The clause that sets this date: from the previous date in the sentence (or its start) to this one.
      const end = match.index + match[0].length;
      // A list item after a colon has its own clause: "… følgje opp rapporten, mellom anna: bidra til …".
      const colon = s.lastIndexOf(':', match.index) + 1;
      const kind = classifyDate(s.slice(Math.max(previousEnd, colon), end));
      previousEnd = end;
      if (found.some((f) => f.date === resolved.date && f.kind === kind)) continue;
      found.push({
        date: resolved.date,
        kind,
        evidence: shorten(squash(s), 300),
        expression: match[0],
        convention: resolved.convention,
        offset: sentence.start + match.index,
      });
    }
  }
  return found;
}

/** A cheap first test for `placedPeriods`: a sentence without a year or a season names no period. */
const MAY_HOLD_PERIOD = /(?:19|20)\d\d|vår|høst|haust|sommer|sommar|sumar|vinter/iu;
/** Every date expression, wherever it stands (the sticky `EXPRESSION` reads one at a given position). */
const ANY_EXPRESSION = new RegExp(EXPRESSION.source, 'giu');
/** Words right before a period that make it a reference or a range, not the task's own time. */
const MENTIONED_BEFORE =
  /(?<![\p{L}])(?:av|datert|dagsett|frå|fra|sidan|siden|etter|jf\.?|per|pr\.|til|for|mellom|om|med|ved|under|over|enn)\s+$/iu;
/** A verb in the past tense in the clause before the period: something that happened, not a task. */
const PAST_IN_CLAUSE =
  /(?<![\p{L}])(?:ble|blei|vart|var|har\s+(?:vore|vært|blitt|vorte)|hadde|skulle|ville|kunne|måtte|fastsatte|fastsette|bestemte|leverte|sendte|la\s+(?:fram|frem)|vedtok|kom|gjennomførte|publiserte|innførte|starta|startet|fekk|fikk)(?![\p{L}])/iu;
/**
 * Subjects that are not the RHFs: a sentence about what the government, the ministry, the parliament or a
 * directorate will do in a period sets no deadline for the RHF ("Regjeringa vil leggje fram … våren 2021").
 */
const OTHER_ACTOR =
  /^(?:[«"“]\s*)?(?:(?:Videre|Vidare|I\s+tillegg|Samtidig)\s*,?\s+)?(?:regjering(?:a|en)|departementet|helse-\s+og\s+omsorgsdepartementet|stortinget|hod|vi|helsedirektoratet|folkehelseinstituttet|fhi|direktoratet\s+for\s+[\p{L}-]+(?:\s+[\p{L}-]+)?|statens\s+[\p{L}-]+|nav|kommunane|kommunene|(?:ekspert|arbeids)?utvalet|(?:ekspert|arbeids)?utvalget)(?![\p{L}])/iu;

/**
 * Named periods the task is placed in, read in one sentence of an oppdrag without a deadline word: a half-year,
 * quarter, tertial, season or month with its year anywhere ("blir publisert første halvår 2020", "for oppstart
 * andre halvår 2020"), a year or a plan period after "i" ("skal gjennomførast i 2021", "i planperioden
 * 2020–2023"). Left out: a period that ends before the letter's year (an earlier oppdrag, a past report), a
 * period right after a word of reference or range ("rapporten frå våren 2020", "fram til 2021", "planen for
 * 2021"), one after a past-tense verb in its clause ("vart innført i mai 2020"), and sentences whose subject is
 * the government, the ministry or another agency.
 */
function placedPeriods(s: string, ctx: DateContext): { match: RegExpExecArray; resolved: Resolved }[] {
  if (!MAY_HOLD_PERIOD.test(s) || OTHER_ACTOR.test(s)) return [];
  const found: { match: RegExpExecArray; resolved: Resolved }[] = [];
  for (const match of s.matchAll(ANY_EXPRESSION)) {
    const g = match.groups ?? {};
    const named = g.half ?? g.quarter ?? g.tertial ?? g.season ?? g.monthyear;
    const before = s.slice(0, match.index);
    const afterI = /(?<![\p{L}])i\s+$/iu.test(before);
    if (!named && !((g.year || g.span) && afterI)) continue;
    // "i mai 2021", "i 2021": "i" itself is the word that places the period.
    if (!afterI && MENTIONED_BEFORE.test(before)) continue;
    const clause = before.slice(Math.max(0, before.search(/[^,;:–]*$/u)));
    if (PAST_IN_CLAUSE.test(clause)) continue;
    const resolved = resolve(g, ctx);
    if (!resolved || resolved.date < `${ctx.year}-01-01`) continue;
    found.push({ match, resolved });
  }
  return found;
}

function dateAt(
  s: string,
  position: number,
  ctx: DateContext,
): { match: RegExpExecArray; resolved: Resolved } | null {
  EXPRESSION.lastIndex = position;
  const match = EXPRESSION.exec(s);
  if (!match) return null;
  const resolved = resolve(match.groups ?? {}, ctx);
  return resolved ? { match, resolved } : null;
}

/** A date at most four words after a delivery verb, unless a word shows it is only mentioned. */
function dateAfterWords(
  s: string,
  position: number,
  ctx: DateContext,
): { match: RegExpExecArray; resolved: Resolved } | null {
  const word = /\s+([\p{L}-]+)/uy;
  const lead = /\s+(?:den\s+|per\s+|pr\.\s*)?/uy;
  let pos = position;
  for (let words = 0; words <= 4; words++) {
    lead.lastIndex = pos;
    const spaces = lead.exec(s);
    if (spaces) {
      const hit = dateAt(s, pos + spaces[0].length, ctx);
      if (hit) return hit;
    }
    word.lastIndex = pos;
    const next = word.exec(s);
    if (!next?.[1] || MENTION_WORDS.has(next[1].toLowerCase())) return null;
    pos = next.index + next[0].length;
  }
  return null;
}

/** Mentions of the Årlig melding as the place to report, which set no date of their own. */
export function findAnnualReportMentions(text: string): string[] {
  const phrases: string[] = [];
  for (const sentence of splitSentences(text)) {
    if (
      /\b(?:rapportere|rapporterast|redegjøre|gjere\s+greie|gjøre\s+rede|omtale)\b[^.]*\bi\s+årl[ie]g\s+melding/iu.test(
        sentence.text,
      )
    ) {
      phrases.push(shorten(squash(sentence.text), 300));
    }
  }
  return phrases;
}

const STANDALONE_DATE = new RegExp(
  `^(?:[\\p{L}.]+(?:\\s+[\\p{L}.]+)?[\\s,:]+)?(\\d{1,2})\\.\\s*${MONTH}\\s+((?:19|20)\\d\\d)\\.?` +
    // A meeting's time may follow: "Tid: 14. januar 2020 kl. 12.00–13.00".
    `(?:,?\\s*(?:kl\\.?|klokka|klokken)\\s*\\d{1,2}(?:[.:]\\d{2})?(?:\\s*[-–]\\s*\\d{1,2}(?:[.:]\\d{2})?)?)?$`,
  'iu',
);

/** "Dato: 19.12.2019", "Vår dato 19.12.2019", "Oslo, 19.12.2019": a numeric date after a short label. */
const NUMERIC_STANDALONE_DATE =
  /^(?:[\p{L}.]+(?:\s+[\p{L}.]+)?[\s,:]+)?(\d{1,2})\.(\d{1,2})\.((?:19|20)\d\d)$/u;

/**
 * Reads a date standing on its own ("16. JANUAR 2024", "Oppdatert 24. januar 2024", "Bergen, 16. januar 2024",
 * "Tid: 14. januar 2020 kl. 12.00", "Dato: 19.12.2019").
 */
export function parseStandaloneDate(line: string): CalendarDate | null {
  const text = line.trim();
  if (text.length > 60 || !/\d/.test(text)) return null;
  const numeric = NUMERIC_STANDALONE_DATE.exec(text);
  if (numeric) return calendarDate(Number(numeric[3]), Number(numeric[2]), Number(numeric[1])) ?? null;
  const m = STANDALONE_DATE.exec(text);
  if (!m) return null;
  const month = MONTHS[(m[2] ?? '').toLowerCase().replace('.', '')];
  if (!month) return null;
  return calendarDate(Number(m[3]), month, Number(m[1])) ?? null;
}
