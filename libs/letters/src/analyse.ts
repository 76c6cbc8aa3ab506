/**
 * Reads who an oppdrag is addressed to, who leads it and who takes part, from its text. The rules follow the
 * letters' fixed phrasing in bokmål and nynorsk (see LABELLING.md): "under ledelse av / under leiing av X",
 * "Arbeidet ledes av X", "X leder arbeidet", "X skal lede/leie arbeidet", "X bes om å koordinere",
 * "De regionale helseforetakene, ved X, skal", and for partners "i samarbeid med X, Y og Z", "samarbeide med X",
 * "X skal involveres", "bidra i Xs arbeid", "X gis en koordinerende rolle".
 */
import { HOD_ID, RHF_IDS, type OrganisationRef, type RhfId } from '#domain';
import {
  ALL_RHFS_SOURCE,
  RHF_NAME_SOURCE,
  organisationAt,
  organisationListAt,
  rhfIdOf,
  type OrganisationHit,
} from './organisations-in-text.js';
import { splitSentences, squash } from './text.js';

const END = '(?![\\p{L}])';
/** "blir bedt", "vert bedne", "er bedt", "ble bedt": asked to. */
const ASKED = '(?:blir|vert|er|ble|vart|blei)\\s+bed(?:t|d|e|en|ne)';
/** A date inside a clause: "Foretaksmøtet 14. januar 2020 ba …". */
const MEETING_DATE = '(?:\\s+(?:i\\s+|den\\s+)?\\d{1,2}\\.\\s*\\p{L}+\\s+\\d{4})?';
/**
 * Statements about every hospital or health trust ("Alle akuttsjukehus skal …", "Alle helseforetak skal …")
 * bind every region: they address all RHFs, not the letter's recipient.
 */
export const ALL_HOSPITALS_SOURCE =
  '(?:alle|samtlege|samtlige)\\s+(?:(?:dei|de|offentlege|offentlige|norske|regionale|lokale)\\s+)?(?:akutt|lokal|regional)?(?:sjukehus|sykehus|helseføretak|helseforetak)(?:a|ene|et)?(?![\\p{L}])';
const SUBJECT = `(?<subject>${ALL_RHFS_SOURCE}|${ALL_HOSPITALS_SOURCE}|${RHF_NAME_SOURCE})`;
/** "tek/tar ei/en leiarrolle/lederrolle": an RHF that takes the lead for the regions. */
const TAKES_LEAD_ROLE =
  '(?:tek|tar|har|får|fekk|fikk|skal\\s+ta|skal\\s+ha)\\s+(?:ei\\s+|en\\s+|den\\s+|det\\s+)?(?:leiarrolle|lederrolle|leiarrolla|lederrollen|leiande\\s+rolle|ledende\\s+rolle|koordinatorrolle(?:n|a)?|koordinerande\\s+rolle|koordinerende\\s+rolle|leiaransvar(?:et)?|lederansvar(?:et)?|koordineringsansvar(?:et)?)';
const INSERTED_CLAUSE = '(?:\\s*,[^.]{1,220}?,)?';
const MODAL =
  `(?:skal|bes|bør|må|${ASKED}|gis|får|leder|leiar|leier|har\\s+ansvar|har\\s+fått|ba|bad|${TAKES_LEAD_ROLE})` +
  END;
const OPENERS = '(?:(?:Videre|Vidare|I\\s+tillegg|Samtidig|Deretter|Dessuten|Også|Særlig|Særleg)\\s*,?\\s+)?';

/** Each pattern with a cheap test a sentence must pass before the pattern is tried. */
const SUBJECT_PATTERNS: readonly { readonly hint: RegExp; readonly re: RegExp }[] = [
  {
    hint: /helse|region|rhf|sjukehus|sykehus/iu,
    re: new RegExp(
      `^(?:[«"“]\\s*)?${OPENERS}${SUBJECT}${INSERTED_CLAUSE}\\s+(?:også\\s+|òg\\s+)?${MODAL}`,
      'iu',
    ),
  },
  {
    hint: /(?:skal|bes|må|bør)\s+(?:helse|de|dei|region|rhf)/iu,
    re: new RegExp(`(?:^|[\\s,])(?:skal|bes|må|bør)\\s+${SUBJECT}${END}`, 'iu'),
  },
  {
    hint: /taksmøte/iu,
    re: new RegExp(
      `(?:føre|fore)taksmøtet${MEETING_DATE}(?:\\s+[^.]{0,60}?)?\\s+(?:ba|bad|ber|bed|(?:vedtok|(?:la|legg|legger)\\s+til\\s+grunn|føreset|føresette|forutsetter|forutsatte|forventar|forventer|presiserte|understreka|understreket)\\s+at)\\s+${SUBJECT}`,
      'iu',
    ),
  },
  {
    // "Departementet ber dei regionale helseføretaka om å …", "Vi ber Helse Vest RHF om å …".
    hint: /(?:ber|bed)\s/iu,
    re: new RegExp(
      `^(?:[«"“]\\s*)?(?:departementet|vi|hod|helse-\\s+og\\s+omsorgsdepartementet)\\s+(?:ber|bed)\\s+${SUBJECT}`,
      'iu',
    ),
  },
  {
    hint: /\sat\s/iu,
    re: new RegExp(`(?:^|\\s)at\\s+${SUBJECT}${INSERTED_CLAUSE}\\s+(?:skal|må|bør)${END}`, 'iu'),
  },
  {
    hint: /bed/iu,
    re: new RegExp(
      `(?:^|\\s)(?:ble|blei|vart|blir|vert)\\s+${SUBJECT}${INSERTED_CLAUSE}\\s+(?:også\\s+|òg\\s+)?bed(?:t|d|e|ne)\\s+om${END}`,
      'iu',
    ),
  },
];

const LEAD_ROLE = new RegExp(TAKES_LEAD_ROLE, 'iu');
const FOR_ALL_REGIONS = new RegExp(`^\\s*(?:for|på\\s+vegner?\\s+av)\\s+(?:${ALL_RHFS_SOURCE})`, 'iu');

export interface Subject {
  /** `all` for the RHFs together, else the RHF the sentence addresses. */
  readonly addressed: 'all' | RhfId;
  readonly phrase: string;
}

/** The first sentence that gives an RHF (or all RHFs) a task, and whom it addresses. */
export function findSubject(text: string): Subject | null {
  for (const sentence of splitSentences(text)) {
    let best: { index: number; subject: string; phrase: string } | null = null;
    for (const { hint, re } of SUBJECT_PATTERNS) {
      if (!hint.test(sentence.text)) continue;
      const m = re.exec(sentence.text);
      const subject = m?.groups?.subject;
      if (!m || !subject) continue;
      if (!best || m.index < best.index) best = { index: m.index, subject, phrase: squash(m[0]) };
    }
    if (!best) continue;
    const rhf = rhfIdOf(best.subject);
    // "Helse Vest RHF tek ei leiarrolle for helseregionane …": one RHF leads a task that all of them do.
    const forAll = FOR_ALL_REGIONS.test(sentence.text.slice(best.index + best.phrase.length));
    if (rhf && !(forAll && LEAD_ROLE.test(best.phrase))) return { addressed: rhf, phrase: best.phrase };
    return { addressed: 'all', phrase: best.phrase };
  }
  return null;
}

/** True when a text opens with the subject of a task: "Helse Vest RHF skal", "Alle akuttsjukehus skal" … */
export function opensWithSubject(text: string): boolean {
  return SUBJECT_PATTERNS[0]?.re.test(text) ?? false;
}

/** True when a text opens with a named RHF that takes a lead role: "Helse Vest RHF tek ei leiarrolle …". */
export function opensWithLeadRole(text: string): boolean {
  const m = SUBJECT_PATTERNS[0]?.re.exec(text);
  return m?.groups?.subject !== undefined && rhfIdOf(m.groups.subject) !== null && LEAD_ROLE.test(m[0]);
}

/** True when a text contains a sentence that assigns a task to an RHF. */
export function isTaskLike(text: string): boolean {
  return findSubject(text) !== null;
}

const RHF = `(?<rhf>${RHF_NAME_SOURCE})`;
/** "ledes av", "leiast av", "blir leidd av", "vert leia av", "koordineres av"… (without "av"). */
const LED_BY =
  '(?:ledes|leies|leiast|ledast|(?:blir|vert)\\s+(?:leia|leidd|leda|ledet|leiet|koordinert)|koordineres|koordinerast)';
/** Each pattern with a cheap test a text must pass before the pattern is tried. */
const LEAD_PATTERNS: readonly { readonly hint: RegExp; readonly re: RegExp }[] = [
  {
    hint: /under\s/iu,
    re: new RegExp(
      `under\\s+(?:ledelse|leiing|leiinga|ledelsen|ledning)\\s+(?:av|frå|fra|til)\\s+${RHF}`,
      'giu',
    ),
  },
  {
    hint: /(?:led|lei|koordiner)\p{L}*\s+av\s/iu,
    re: new RegExp(
      `(?:(?:arbeidet|oppdraget|dette|utredningen|utgreiinga|prosjektet|samarbeidet)\\s+(?:skal\\s+)?)?${LED_BY}\\s+av\\s+${RHF}`,
      'giu',
    ),
  },
  {
    hint: /(?:lede|leie|leder|leiar|leier|koordinere|koordinerer)\s/iu,
    re: new RegExp(
      `${RHF}(?:\\s+(?!helse\\s)[\\p{L}-]+){0,5}?\\s+(?:å\\s+)?(?:lede|leie|leder|leiar|leier|koordinere|koordinerer)\\s+(?:arbeidet|oppdraget|dette|utredningen|utredningsarbeidet|utgreiinga|prosjektet|samarbeidet|evalueringa|evalueringen|gjennomgangen|det\\s+vidare\\s+arbeidet|det\\s+videre\\s+arbeidet|arbeid)${END}`,
      'giu',
    ),
  },
  {
    hint: /koordinere|lede|leie/iu,
    re: new RegExp(
      `${RHF}\\s+(?:bes|${ASKED})\\s+(?:om\\s+)?(?:å\\s+)?(?:koordinere|lede|leie)${END}`,
      'giu',
    ),
  },
  {
    hint: /\sved\s/iu,
    re: new RegExp(`(?:${ALL_RHFS_SOURCE})\\s*,?\\s+ved\\s+${RHF}\\s*,?\\s+(?:skal|bes|må|bør)${END}`, 'giu'),
  },
  { hint: /regi\s/iu, re: new RegExp(`i\\s+regi\\s+av\\s+${RHF}`, 'giu') },
  {
    hint: /\ssom\s/iu,
    re: new RegExp(
      `med\\s+${RHF}\\s+som\\s+(?:ansvarlig|ansvarleg|koordinator|leder|leiar|hovedansvarlig|hovudansvarleg)${END}`,
      'giu',
    ),
  },
  {
    hint: /ansvar/iu,
    re: new RegExp(
      `${RHF}\\s+(?:(?:har|får|skal\\s+ha|gis)\\s+(?:hoved|hovud)?ansvar(?:et)?|(?:er|blir|vert)\\s+(?:hoved|hovud)?ansvarl[ei]g)\\s+for\\s+(?:å\\s+)?(?:lede|leie|koordinere|arbeidet|oppdraget)${END}`,
      'giu',
    ),
  },
  {
    // "Helse Vest RHF tek ei leiarrolle for helseregionane i arbeidet med …", "… tar en lederrolle …".
    hint: /roll|ansvar/iu,
    re: new RegExp(`${RHF}(?:\\s*,[^.]{1,120}?,)?\\s+${TAKES_LEAD_ROLE}${END}`, 'giu'),
  },
  {
    // "… med Helse Nord RHF i spissen", "… med Helse Vest RHF som pådrivar".
    hint: /spissen|pådriv/iu,
    re: new RegExp(`med\\s+${RHF}\\s+(?:i\\s+spissen|som\\s+pådriv(?:ar|er))${END}`, 'giu'),
  },
  {
    // "Helse Sør-Øst RHF får i oppgåve å koordinere arbeidet".
    hint: /oppg|oppdrag/iu,
    re: new RegExp(
      `${RHF}\\s+(?:får|fekk|fikk|har\\s+fått|gis|blir\\s+gitt|vert\\s+gitt)\\s+(?:i\\s+)?(?:oppgåve|oppgave|oppdrag)\\s+(?:med\\s+)?(?:å\\s+)?(?:lede|leie|koordinere)${END}`,
      'giu',
    ),
  },
  {
    hint: /koordinerende|koordinerande/iu,
    re: new RegExp(
      `${RHF}\\s+(?:gis|får|har|skal\\s+ha)\\s+(?:en\\s+|ei\\s+|det\\s+)?koordiner[ea]nde\\s+(?:rolle|rolla|ansvar(?:et)?)`,
      'giu',
    ),
  },
];

const LEAD_HINT = /led|lei|koordin|ved\s|regi|ansvar|spissen|pådriv/iu;

export interface LeadPhrase {
  readonly rhf: RhfId;
  readonly phrase: string;
  readonly index: number;
}

/** Every explicit lead phrase in a text, in text order. */
export function findLeadPhrases(text: string): LeadPhrase[] {
  const found: LeadPhrase[] = [];
  // Every lead phrase names an RHF ("Helse …") next to a word about leading or coordinating.
  if (!/helse/iu.test(text) || !LEAD_HINT.test(text)) return found;
  for (const { hint, re } of LEAD_PATTERNS) {
    if (!hint.test(text)) continue;
    for (const m of text.matchAll(re)) {
      const rhf = m.groups?.rhf ? rhfIdOf(m.groups.rhf) : null;
      if (rhf) found.push({ rhf, phrase: squash(m[0]), index: m.index });
    }
  }
  return found.sort((a, b) => a.index - b.index);
}

export interface LeadDecision {
  readonly lead: RhfId | null;
  readonly evidence: string | null;
  /** Distinct RHFs named as lead in the text; more than one lowers the confidence. */
  readonly distinctLeads: number;
}

/**
 * The lead: the first explicit lead phrase; else the RHF the task is addressed to when it alone is
 * addressed; else none (all RHFs, each for itself).
 */
export function decideLead(text: string, subject: Subject | null, addressed: 'all' | RhfId): LeadDecision {
  const phrases = findLeadPhrases(text);
  const first = phrases[0];
  const distinctLeads = new Set(phrases.map((p) => p.rhf)).size;
  if (first) return { lead: first.rhf, evidence: first.phrase, distinctLeads };
  if (addressed !== 'all') return { lead: addressed, evidence: subject?.phrase ?? null, distinctLeads };
  return { lead: null, evidence: null, distinctLeads };
}

export interface AddresseeDecision {
  /** The RHFs that must do and report the oppdrag, in the registry's order. */
  readonly addressees: readonly RhfId[];
  /** The phrases that named them. */
  readonly evidence: readonly string[];
}

/**
 * The RHFs an oppdrag is addressed to: all four when the RHFs together (or every hospital) are its subject;
 * else the RHF that is its subject — and, when that is another RHF than the letter's recipient, the recipient
 * too if the next sentence gives it a part ("Helse Sør-Øst RHF skal … . Helse Vest RHF skal bidra …"). The
 * lead, when named, is always among them.
 */
export function decideAddressees(
  text: string,
  subject: Subject | null,
  addressed: 'all' | RhfId,
  lead: RhfId | null,
  recipient: RhfId | null,
): AddresseeDecision {
  if (addressed === 'all') return { addressees: RHF_IDS, evidence: subject ? [subject.phrase] : [] };
  const ids = new Set<RhfId>([addressed]);
  const evidence = subject ? [subject.phrase] : [];
  if (recipient && recipient !== addressed && subject) {
    const sentences = splitSentences(text);
    const at = sentences.findIndex((s) => findSubject(s.text)?.phrase === subject.phrase);
    const next = at >= 0 ? sentences[at + 1] : undefined;
    const nextSubject = next ? findSubject(next.text) : null;
    if (nextSubject && (nextSubject.addressed === recipient || nextSubject.addressed === 'all')) {
      ids.add(recipient);
      evidence.push(nextSubject.phrase);
    }
  }
  if (lead && !ids.has(lead)) ids.add(lead);
  return { addressees: RHF_IDS.filter((id) => ids.has(id)), evidence };
}

export interface CollaboratorFinding {
  readonly ref: OrganisationRef;
  readonly phrase: string;
}

const TRIGGERS_FORWARD: readonly { re: RegExp; ownSideFirst?: boolean; skipRhfs?: boolean }[] = [
  // A body that is no RHF leading the work ("under ledelse av Helsedirektoratet") takes part; an RHF there
  // is a lead, read by the lead rules.
  {
    re: new RegExp(`(?:under\\s+(?:ledelse|leiing|leiinga)\\s+(?:av|frå|fra)|${LED_BY}\\s+av)\\s+`, 'giu'),
    skipRhfs: true,
  },
  {
    re: /(?:i\s+(?:et\s+|eit\s+)?(?:nært\s+|nær\s+|tett\s+|godt\s+)?samarbeid|i\s+samråd|sammen|saman)\s+med\s+/giu,
  },
  { re: /samarbeid(?:e|a|er|ar|et|ast|es)?\s+(?:tett\s+|nært\s+|godt\s+|også\s+)?med\s+/giu },
  { re: /samarbeid(?:et|a)?\s+mellom\s+/giu, ownSideFirst: true },
  {
    re: /bidra\s+(?:inn\s+)?i\s+(?:oppdrag(?:et)?|arbeid(?:et)?|utgreiing(?:a)?|utredning(?:en)?)\s+(?:til|hos|i\s+regi\s+av|fra|frå)\s+/giu,
  },
  {
    re: new RegExp(
      `bidra\\s+(?:inn\\s+)?i\\s+(?:samarbeidet|arbeidet|nettverket)[^.]{0,160}?\\bsom\\s+${LED_BY}\\s+av\\s+`,
      'giu',
    ),
  },
  { re: /(?:^|\s)involvere\s+/giu },
];
const GENITIVE_WORK = /bidra\s+(?:inn\s+)?i\s+/giu;
const JOINT_VERB = /\s+(?:skal|bør|må)\s+(?:også\s+|òg\s+)?samarbeid(?:e|a)\s+(?:om|med|i)(?![\p{L}])/giu;
const TRIGGERS_BACKWARD: readonly RegExp[] = [
  /\s+(?:skal|bør|må)\s+(?:også\s+|òg\s+)?(?:involveres|involverast|trekkes\s+inn|trekkjast\s+inn|konsulteres|høyrast)(?![\p{L}])/giu,
  /\s+(?:gis|får|skal\s+ha)\s+(?:en\s+|ei\s+)?koordiner[ea]nde\s+rolle/giu,
];
const OWN_SIDE =
  /^(?:spesialisthelsetjenesten|spesialisthelsetenesta|helseforetak(?:ene)?|helseføretak(?:a)?|sykehus(?:ene)?|sjukehus(?:a)?|(?:de|dei)\s+regionale\s+helse(?:foretakene|føretaka))\s+og\s+/iu;

/**
 * The partners an oppdrag names, resolved through the registry, without the lead, HOD, or the RHFs as a
 * group (their joint role is implied by the task being addressed to all).
 */
export function findCollaborators(text: string, exclude: readonly string[]): CollaboratorFinding[] {
  const found: CollaboratorFinding[] = [];
  const excluded = new Set([HOD_ID, ...exclude]);
  const add = (hits: readonly OrganisationHit[], phrase: string, ownSide = false, skipRhfs = false): void => {
    for (const hit of hits) {
      if (hit.allRhfs || excluded.has(hit.ref.id)) continue;
      if ((ownSide || skipRhfs) && rhfIdOf(hit.text)) continue;
      if (ownSide && hit.ref.id === 'helseforetakene') continue;
      if (found.some((f) => f.ref.id === hit.ref.id)) continue;
      found.push({ ref: hit.ref, phrase: squash(phrase) });
    }
  };
  for (const { re, ownSideFirst, skipRhfs } of TRIGGERS_FORWARD) {
    for (const m of text.matchAll(re)) {
      let start = m.index + m[0].length;
      if (ownSideFirst) {
        const own = OWN_SIDE.exec(text.slice(start));
        if (own) start += own[0].length;
      }
      const list = organisationListAt(text, start);
      add(list.hits, text.slice(m.index, list.end), ownSideFirst, skipRhfs);
    }
  }
  for (const m of text.matchAll(GENITIVE_WORK)) {
    const start = m.index + m[0].length;
    const hit = organisationAt(text, start);
    if (!hit) continue;
    // "bidra i Helsedirektoratets arbeid" or, in nynorsk, "bidra i Helsedirektoratet sitt arbeid".
    const after = text.slice(hit.end);
    const work = /^\s+(?:(?:sitt|sin|si|sine)\s+)?(?:arbeid|oppdrag|utredning|utgreiing|prosjekt)/iu.exec(
      after,
    );
    if (!work || (!/s$/u.test(hit.text) && !/^\s+(?:sitt|sin|si|sine)\s/iu.test(after))) continue;
    add([hit], text.slice(m.index, hit.end + work[0].length));
  }
  for (const re of TRIGGERS_BACKWARD) {
    for (const m of text.matchAll(re)) {
      const before = text.slice(0, m.index);
      // The phrase before the verb starts after the last clause boundary: a stop, comma, semicolon, colon or "og".
      const boundary = Math.max(
        0,
        ...['. ', ', ', '; ', ': ', ' og '].map((sep) => {
          const at = before.lastIndexOf(sep);
          return at < 0 ? 0 : at + sep.length;
        }),
      );
      const subject = before.slice(boundary).trim();
      if (!subject) continue;
      const list = organisationListAt(subject, 0);
      // The whole phrase before the verb must be organisations: "Helsedirektoratet skal involveres".
      if (list.hits.length === 0 || list.end < subject.length) continue;
      add(list.hits, `${subject}${m[0]}`);
    }
  }
  // "Helse Sør-Øst RHF og Helse Vest RHF skal samarbeide om …": every body named before the verb takes part.
  for (const m of text.matchAll(JOINT_VERB)) {
    const before = text.slice(0, m.index);
    const boundary = Math.max(0, ...['. ', '; ', ': '].map((sep) => before.lastIndexOf(sep) + 1));
    const subject = before.slice(boundary).trim();
    const list = organisationListAt(subject, 0);
    if (list.hits.length < 2 || list.end < subject.length) continue;
    add(list.hits, `${subject}${m[0]}`);
  }
  return found;
}
