/**
 * Finds organisations in letter prose: the four RHFs (to name recipients, subjects and leads) and the
 * partners named after phrases such as "i samarbeid med X, Y og Z". Names come from the domain registry, so
 * aliases, abbreviations and nynorsk forms resolve to one id; a partner the registry does not know gets a
 * slug id through `organisationRef`.
 */
import {
  ORGANISATIONS,
  isRhfId,
  organisationRef,
  resolveOrganisation,
  type OrganisationRef,
  type RhfId,
} from '#domain';

/** Builds a pattern for a name that tolerates extra spaces and spacing around hyphens and commas. */
function flexible(name: string): string {
  return name
    .trim()
    .split('')
    .map((ch) => {
      if (/\s/.test(ch)) return '\\s+';
      if (/[-‐‑–]/.test(ch)) return '\\s*[-‐‑–]\\s*';
      if (ch === ',') return '\\s*,';
      return ch.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    })
    .join('')
    .replace(/(\\s\+)+/g, '\\s+');
}

const BOUNDARY_AFTER = '(?![\\p{L}\\p{N}])(?!\\s*[-‐‑–]\\s*\\p{L})';
const BOUNDARY_BEFORE = '(?<![\\p{L}\\p{N}-])';

interface NameEntry {
  readonly pattern: string;
  readonly id: string;
  readonly length: number;
}

/** RHF names as they appear in prose: "Helse Sør-Øst RHF", "Helse Vest", "Helse Sør-Aust RHF"... */
const rhfEntries: NameEntry[] = [];
for (const org of ORGANISATIONS) {
  if (!isRhfId(org.id)) continue;
  const names = new Set([org.name, org.shortName, ...org.aliases].filter((n) => /^Helse\s/i.test(n)));
  for (const name of names) {
    const base = name.replace(/\s+RHF$/i, '');
    // A name that is a prefix of another RHF's name ("Helse Sør" of "Helse Sør-Øst") counts only with "RHF".
    const key = base.toLowerCase();
    const isPrefixOfOther = ORGANISATIONS.some(
      (o) =>
        isRhfId(o.id) &&
        [o.name, ...o.aliases]
          .map((n) => n.replace(/\s+RHF$/i, '').toLowerCase())
          .some((n) => n !== key && n.startsWith(key)),
    );
    // Every RHF name starts with "Helse ": the prefix is written once, outside the alternation, so the
    // engine can skip positions quickly.
    const rest = flexible(base.replace(/^Helse\s+/i, ''));
    const pattern = isPrefixOfOther ? `${rest}\\s+RHF` : `${rest}(?:\\s+RHF)?`;
    if (!rhfEntries.some((e) => e.pattern === pattern))
      rhfEntries.push({ pattern, id: org.id, length: base.length });
  }
}
rhfEntries.sort((a, b) => b.length - a.length);

/** Source of a pattern that matches any RHF name; use with the `u` and `i` flags. */
export const RHF_NAME_SOURCE = `Helse(?<![\\p{L}\\p{N}-]Helse)\\s+(?:${rhfEntries.map((e) => `(?:${e.pattern})`).join('|')})${BOUNDARY_AFTER}`;

const rhfExact = rhfEntries.map((e) => ({ re: new RegExp(`^Helse\\s+(?:${e.pattern})$`, 'iu'), id: e.id }));

/** The RHF a matched name denotes, or null. */
export function rhfIdOf(name: string): RhfId | null {
  const text = name.replace(/\s+/g, ' ').trim();
  for (const entry of rhfExact) {
    if (entry.re.test(text) && isRhfId(entry.id)) return entry.id;
  }
  return null;
}

export interface RhfMention {
  readonly id: RhfId;
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

/** Every RHF named in a text, in order. */
export function findRhfMentions(text: string): RhfMention[] {
  const re = new RegExp(RHF_NAME_SOURCE, 'giu');
  const found: RhfMention[] = [];
  for (const match of text.matchAll(re)) {
    const id = rhfIdOf(match[0]);
    if (id) found.push({ id, start: match.index, end: match.index + match[0].length, text: match[0] });
  }
  return found;
}

/** "De regionale helseforetakene", "(Alle) dei regionale helseføretaka", "Regionane", "RHF-ene", "RHF-a"... */
export const ALL_RHFS_SOURCE =
  '(?:(?:alle\\s+(?:de|dei)|de|dei|alle)\\s+(?:fire\\s+)?regionale\\s+helse(?:foretakene|føretaka|foretaka|føretakene|foretak|føretak)|(?:alle\\s+|(?:alle\\s+)?(?:de|dei)\\s+fire\\s+)?RHF-?(?:ene|a|ane)|(?:alle\\s+)?(?:helse)?regionene|(?:alle\\s+)?(?:helse)?regionane)(?![\\p{L}])';

// Known partner names: every registry name and alias except the RHFs themselves and too generic words.
const GENERIC_ALIASES = new Set(['brukere', 'departementet']);
const knownEntries: { name: string; id: string; caseSensitive: boolean }[] = [];
for (const org of ORGANISATIONS) {
  const names = new Set([org.name, ...org.aliases]);
  if (/^[A-ZÆØÅ][A-ZÆØÅa-zæøå-]{1,7}$/.test(org.shortName)) names.add(org.shortName);
  for (const name of names) {
    if (GENERIC_ALIASES.has(name)) continue;
    const caseSensitive = name.length <= 7 && !/\s/.test(name);
    knownEntries.push({ name, id: org.id, caseSensitive });
  }
}
knownEntries.sort((a, b) => b.name.length - a.name.length);
const knownInsensitive = new RegExp(
  `${BOUNDARY_BEFORE}(?:${knownEntries
    .filter((e) => !e.caseSensitive)
    .map((e) => flexible(e.name))
    .join('|')})(?:s)?${BOUNDARY_AFTER}`,
  'iuy',
);
const knownSensitive = new RegExp(
  `${BOUNDARY_BEFORE}(?:${knownEntries
    .filter((e) => e.caseSensitive)
    .map((e) => flexible(e.name))
    .join('|')})(?:s)?${BOUNDARY_AFTER}`,
  'uy',
);
const rhfSticky = new RegExp(RHF_NAME_SOURCE, 'iuy');
const allRhfsSticky = new RegExp(ALL_RHFS_SOURCE, 'iuy');

/** Adjectives that may open a group of partners ("lokale tillitsvalgte", "øvrige sentrale aktører"). */
const GROUP_ADJECTIVES =
  'lokale|øvrige|øvrege|andre|relevante|aktuelle|berørte|sentrale|kommunale|private|ideelle|nasjonale|frivillige|offentlege|offentlige|dei|de|alle|ulike';
/** Stems of the generic partner groups letters name in lower case. */
const GROUP_STEMS =
  'kommune|fylkeskommune|helseforetak|helseføretak|sykehus|sjukehus|fagskole|fagskule|universitet|høgskole|høyskole|høgskule|utdanningsinstitusjon|tillitsvalgt|tillitsvald|vernetjeneste|verneteneste|verneombud|brukerorganisasjon|brukarorganisasjon|pasientorganisasjon|pasient- og brukerorganisasjon|pasient- og brukarorganisasjon|fastleg|aktør|partene|fagmiljø|forskningsmiljø|forskingsmiljø|kompetansetjeneste|kompetanseteneste|kompetansesenter|avtalespesialist|statsforvalter|statsforvaltar|direktorat|etatene|etatane|tjenesteyter|tenesteytar|leverandør|arbeidsgiverorganisasjon|arbeidstakerorganisasjon|arbeidstakarorganisasjon|fagorganisasjon|brukerrepresentant|brukarrepresentant|helsefellesskap|helsefellesskap';
const groupSticky = new RegExp(
  `(?:(?:${GROUP_ADJECTIVES})\\s+){0,3}(?:${GROUP_STEMS})[\\p{L}]*(?![\\p{L}])`,
  'iuy',
);

/** Lower-case words that end an organisation name read from running text. */
const NAME_STOP_WORDS = new Set(
  (
    'og eller samt om som med skal bør må kan vil er blir vert har hadde at å der når slik gjennom på mot jf ' +
    'under etter innen innan frå fra til ved hvor kor både og for-å sin sitt sine hans deira deres den det de ein en ' +
    'et eit ei ikke ikkje også dessutan dessuten samt særlig særleg spesielt herunder mellom knyttet knytt sammen saman'
  ).split(' '),
);
const NAME_CONNECTORS = new Set(['for', 'av', 'i', 'ved', 'til']);
/** Lower-case words that close a place name as part of the body's name ("Bergen kommune"). */
const PLACE_SUFFIX = /^(?:kommune|fylkeskommune|bydel|universitetssykehus|universitetssjukehus)$/u;
const NAME_OPENERS =
  /^(Nasjonal|Nasjonalt|Nasjonale|Statens|Norsk|Norske|Norges|Regionalt|Regional|Regionale|Senter|Senteret|Avdeling|Kompetansesenter|Kompetansesenteret|Universitetet|Høgskolen|Høyskolen|Det|Den)$/u;

export interface OrganisationHit {
  readonly ref: OrganisationRef;
  readonly text: string;
  readonly end: number;
  /** True when the phrase names the RHFs collectively ("de regionale helseforetakene"). */
  readonly allRhfs: boolean;
}

function stickyAt(re: RegExp, text: string, pos: number): RegExpExecArray | null {
  re.lastIndex = pos;
  return re.exec(text);
}

/** Strips a genitive s ("Helsedirektoratets" → "Helsedirektoratet", "Politidirektoratets" → "Politidirektoratet"). */
function withoutGenitive(name: string): string {
  if (!/s$/u.test(name) || resolveOrganisation(name)) return name;
  const bare = name.slice(0, -1);
  if (resolveOrganisation(bare)) return bare;
  return /(?:et|en|at|an)s$/u.test(name) ? bare : name;
}

/** Reads one organisation name at a position (after spaces), or returns null. */
export function organisationAt(text: string, position: number): OrganisationHit | null {
  let pos = position;
  while (pos < text.length && /\s/.test(text[pos] ?? '')) pos++;
  const all = stickyAt(allRhfsSticky, text, pos);
  if (all)
    return { ref: { id: 'all-rhfs', name: all[0] }, text: all[0], end: pos + all[0].length, allRhfs: true };
  const candidates = [
    stickyAt(rhfSticky, text, pos),
    stickyAt(knownInsensitive, text, pos),
    stickyAt(knownSensitive, text, pos),
  ].filter((m): m is RegExpExecArray => m !== null);
  const best = candidates.sort((a, b) => b[0].length - a[0].length)[0];
  if (best) {
    const name = withoutGenitive(best[0].replace(/\s+/g, ' '));
    const rhf = rhfIdOf(name);
    const ref = rhf ? organisationRef(rhf) : organisationRef(name);
    return { ref, text: best[0], end: pos + best[0].length, allRhfs: false };
  }
  const group = stickyAt(groupSticky, text, pos);
  if (group) {
    // "Universitetet i Tromsø" is one named body, not the group "universitetet": prefer the longer name.
    if (/^\p{Lu}/u.test(group[0])) {
      const proper = properNameAt(text, pos);
      if (proper && proper.end > pos + group[0].length) return proper;
    }
    const name = group[0].replace(/\s+/g, ' ');
    return { ref: organisationRef(name), text: group[0], end: pos + group[0].length, allRhfs: false };
  }
  return properNameAt(text, pos);
}

/**
 * A name the registry does not know, read from a capitalised word: a single proper noun ("Sametinget",
 * "Kilden") or a sentence-case name opened by a word such as "Nasjonal" or "Statens"
 * ("Nasjonal behandlingstjeneste for organtransplantasjon").
 */
function properNameAt(text: string, pos: number): OrganisationHit | null {
  const first = /(\p{Lu}[\p{L}\p{N}'’]*(?:-(?:,\s*\p{L}+-)*\s+(?:og|eller)\s+\p{L}+|-\p{L}[\p{L}\p{N}]*)*)/uy;
  first.lastIndex = pos;
  const m = first.exec(text);
  if (!m?.[1]) return null;
  const firstWord = m[1];
  if (NAME_STOP_WORDS.has(firstWord.toLowerCase())) return null;
  let end = pos + firstWord.length;
  const words = [firstWord];
  const opener = NAME_OPENERS.test(firstWord);
  const next = /\s+([\p{L}][\p{L}\p{N}'’-]*)/uy;
  let lowerCount = 0;
  let closedByPlace = false;
  for (;;) {
    next.lastIndex = end;
    const w = next.exec(text);
    const word = w?.[1];
    if (!w || !word) break;
    const isCapital = /^\p{Lu}/u.test(word);
    const lower = word.toLowerCase();
    if (isCapital && !NAME_STOP_WORDS.has(lower)) {
      words.push(word);
      end = w.index + w[0].length;
      continue;
    }
    if (PLACE_SUFFIX.test(lower)) {
      // "Bergen kommune", "Troms fylkeskommune": the body's kind closes a place name.
      words.push(word);
      end = w.index + w[0].length;
      break;
    }
    if (!opener && !NAME_CONNECTORS.has(lower)) break;
    if (NAME_STOP_WORDS.has(lower) || lowerCount >= 4) break;
    if (NAME_CONNECTORS.has(lower)) {
      next.lastIndex = w.index + w[0].length;
      const after = next.exec(text);
      const afterWord = after?.[1];
      if (!after || !afterWord || NAME_STOP_WORDS.has(afterWord.toLowerCase())) break;
      if (!opener && !/^\p{Lu}/u.test(afterWord)) break;
      words.push(word, afterWord);
      end = after.index + after[0].length;
      lowerCount += 2;
      // "Universitetet i Tromsø": a place name closes the name; lower-case words after it are the sentence.
      if (/^\p{Lu}/u.test(afterWord)) closedByPlace = true;
      continue;
    }
    if (closedByPlace) break;
    words.push(word);
    end = w.index + w[0].length;
    lowerCount++;
  }
  if (opener && words.length === 1) return null;
  const name = withoutGenitive(words.join(' '));
  return { ref: organisationRef(name), text: text.slice(pos, end), end, allRhfs: false };
}

/** Separators between the items of a list of partners. */
const LIST_SEPARATOR =
  /\s*(?:,\s*(?:og\s+|samt\s+|særlig\s+|særleg\s+|spesielt\s+|herunder\s+|blant\s+annet\s+|mellom\s+anna\s+)?|\s+(?:og|samt|eller)\s+(?:med\s+)?)/uy;

export interface OrganisationListHit {
  readonly hits: OrganisationHit[];
  readonly end: number;
}

/**
 * Reads a list of organisations starting at a position: "Direktoratet for medisinske produkter,
 * Folkehelseinstituttet og Helsedirektoratet". Stops at the first item that names no organisation.
 */
export function organisationListAt(text: string, position: number): OrganisationListHit {
  const hits: OrganisationHit[] = [];
  let pos = position;
  let end = position;
  for (;;) {
    const hit = organisationAt(text, pos);
    if (!hit) break;
    hits.push(hit);
    end = hit.end;
    LIST_SEPARATOR.lastIndex = end;
    const sep = LIST_SEPARATOR.exec(text);
    if (!sep) break;
    pos = end + sep[0].length;
  }
  return { hits, end };
}
