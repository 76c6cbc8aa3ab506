import {
  HOD_ID,
  RHF_IDS,
  isRhfId,
  type CalendarDate,
  type AssignData,
  type OrganisationRef,
  type PlannedMilestone,
  type RhfId,
  type SourceReference,
} from '#domain';
import { fingerprint } from './hash.js';
import { organisationListAt } from './organisations-in-text.js';
import { similarity, taskSentence, wordPairs } from './parse-letter.js';
import { asciiSlug, normaliseForMatch, shorten, signatures, squash } from './text.js';
import type {
  ImportPlan,
  LetterSummary,
  ParsedLetter,
  ParsedOppdrag,
  PlannedEvidence,
  PlannedOppdrag,
} from './types.js';

/** Joint oppdrag whose texts differ only by small corrections between letters still merge at this overlap. */
const JOINT_SIMILARITY = 0.9;
const TITLE_MAX = 300;
const DESCRIPTION_MAX = 20_000;
const MAX_COLLABORATORS = 50;
/** At most this many groups sharing a signature are compared: bounds the work on huge inputs. */
const MAX_CANDIDATES = 16;

interface Passage {
  readonly letter: ParsedLetter;
  readonly oppdrag: ParsedOppdrag;
  /** Normalised text: what the id is derived from. */
  readonly key: string;
  readonly pairs: Set<string>;
}

/** Words that say who is addressed or how, not what the task is: left out of readable ids. */
const SLUG_STOP_WORDS = new Set(
  (
    'de dei den det denne dette regionale helseforetakene helseføretaka helseforetaka helseforetak regionene regionane ' +
    'rhf rhfene skal bes blir vert bedt bedne om å og i samarbeid med under ledelse leiing av ved helse sør øst aust vest ' +
    'midt norge noreg nord en et ei eit for til på som at er har fra frå samt herunder jf vises viser tråd også òg ' +
    'seg sin sitt sine the nye ny nytt'
  ).split(' '),
);

/** A readable, deterministic oppdrag id: year, a few words of the task and a fingerprint of its text. */
export function oppdragIdFor(year: number, title: string, normalisedText: string): string {
  // Leave out who does it with whom ("…, under ledelse av X," / "…, i samarbeid med X og Y,") and the
  // subject before the verb, so the words name the task itself.
  const task = withoutPartnerClauses(title).replace(/^.*?\b(?:skal|bes|må)\s+/iu, '');
  const words = normaliseForMatch(task)
    .split(' ')
    .filter((w) => w && !SLUG_STOP_WORDS.has(w) && !/^\d+$/.test(w))
    .slice(0, 4)
    .map((w) => asciiSlug(w).slice(0, 14))
    .filter(Boolean);
  const slug = words.join('-').slice(0, 44).replace(/-+$/, '') || 'oppdrag';
  return `${year}-${slug}-${fingerprint(`${year}\n${normalisedText}`).slice(0, 10)}`;
}

/** Removes ", i samarbeid med X, Y og Z," and ", under ledelse av X," from a sentence. */
function withoutPartnerClauses(sentence: string): string {
  let text = sentence;
  const clause =
    /,?\s*(?:i\s+samarbeid\s+med|saman\s+med|sammen\s+med|under\s+ledelse\s+av|under\s+leiing\s+av|ved)\s+/iu;
  for (let guard = 0; guard < 4; guard++) {
    const m = clause.exec(text);
    if (!m) break;
    const list = organisationListAt(text, m.index + m[0].length);
    if (list.hits.length === 0) break;
    const rest = text.slice(list.end).replace(/^\s*,?/, '');
    text = `${text.slice(0, m.index)} ${rest}`;
  }
  return text;
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function comparePassages(a: Passage, b: Passage): number {
  return (
    compareText(a.letter.letterId, b.letter.letterId) ||
    compareText(a.oppdrag.source.letterKind, b.oppdrag.source.letterKind) ||
    a.oppdrag.source.lineStart - b.oppdrag.source.lineStart ||
    compareText(a.key, b.key)
  );
}

/**
 * Merges parsed letters into one import plan. A joint oppdrag that stands in several letters (most
 * "De regionale helseforetakene skal, under ledelse av …" tasks stand word for word in all four regions'
 * letters) becomes one planned oppdrag that lists every letter it came from. Ids derive from the year and the
 * normalised text, so the same letters in any order give the same plan, and importing a letter again changes
 * nothing.
 */
export function mergeLetters(parsed: readonly ParsedLetter[]): ImportPlan {
  const passages = uniquePassages(parsed);
  const groups = groupPassages(passages);
  const planned = groups.map((members) => planGroup(members));
  assignUniqueIds(planned);
  planned.sort(
    (a, b) =>
      a.year - b.year ||
      compareText(a.sources[0]?.letter ?? '', b.sources[0]?.letter ?? '') ||
      (a.sources[0]?.lineStart ?? 0) - (b.sources[0]?.lineStart ?? 0) ||
      compareText(a.oppdragId, b.oppdragId),
  );
  const letters = summarise(parsed, passages);
  const warnings = [
    ...new Set(
      [...new Map(parsed.map((l) => [l.letterId, l])).values()]
        .sort((a, b) => compareText(a.letterId, b.letterId))
        .flatMap((l) => l.warnings.map((w) => `${l.letterId}: ${w}`)),
    ),
  ];
  for (const p of planned) {
    if (p.evidence.passages > 1 && p.confidence < 0.5) {
      warnings.push(`${p.oppdragId}: the letters disagree; check lead and dates`);
    }
  }
  return { letters, oppdrag: planned.map((p) => p), warnings };
}

function uniquePassages(parsed: readonly ParsedLetter[]): Passage[] {
  const seen = new Set<string>();
  const passages: Passage[] = [];
  for (const letter of parsed) {
    for (const oppdrag of letter.oppdrag) {
      const key = normaliseForMatch(oppdrag.description);
      const identity = `${letter.letterId}|${oppdrag.source.letterKind}|${oppdrag.source.lineStart}|${key}`;
      if (seen.has(identity)) continue;
      seen.add(identity);
      passages.push({ letter, oppdrag, key, pairs: wordPairs(key) });
    }
  }
  return passages.sort(comparePassages);
}

/** Groups passages by year and normalised text; joint oppdrag with nearly equal texts and leads join too. */
function groupPassages(passages: readonly Passage[]): Passage[][] {
  const exact = new Map<string, Passage[]>();
  for (const p of passages) {
    const k = `${p.oppdrag.year}|${p.key}`;
    const list = exact.get(k) ?? [];
    list.push(p);
    exact.set(k, list);
  }
  const groups = [...exact.entries()].sort((a, b) => compareText(a[0], b[0])).map(([, members]) => members);
  // Union joint groups whose texts differ by small corrections between the regions' letters. Candidates
  // share their first or last words, so not every pair of groups is compared.
  const parent = groups.map((_, i) => i);
  const find = (i: number): number => {
    let root = i;
    while (parent[root] !== root) root = parent[root] ?? root;
    return root;
  };
  const bySignature = new Map<string, number[]>();
  groups.forEach((members, i) => {
    const a = members[0];
    if (!a || a.oppdrag.addressedTo !== 'all') return;
    const candidates = new Set(
      signatures(a.key).flatMap((sig) => bySignature.get(`${a.oppdrag.year}|${sig}`) ?? []),
    );
    for (const j of [...candidates].sort((x, y) => x - y)) {
      const b = groups[j]?.[0];
      if (!b || b.oppdrag.lead !== a.oppdrag.lead) continue;
      if (groups[i]?.some((x) => groups[j]?.some((y) => x.letter.letterId === y.letter.letterId))) continue;
      if (similarity(a.pairs, b.pairs) >= JOINT_SIMILARITY) parent[find(i)] = find(j);
    }
    for (const sig of signatures(a.key)) {
      const key = `${a.oppdrag.year}|${sig}`;
      const list = bySignature.get(key);
      if (!list) bySignature.set(key, [i]);
      else if (list.length < MAX_CANDIDATES) list.push(i);
    }
  });
  const merged = new Map<number, Passage[]>();
  groups.forEach((members, i) => {
    const root = find(i);
    merged.set(root, [...(merged.get(root) ?? []), ...members]);
  });
  return [...merged.values()].map((members) => members.sort(comparePassages));
}

function mostCommon<T>(values: readonly T[], fallback: T): T {
  const counts = new Map<T, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  let best = fallback;
  let bestCount = counts.get(fallback) ?? 0;
  for (const [v, c] of counts) {
    if (c > bestCount) {
      best = v;
      bestCount = c;
    }
  }
  return best;
}

function planGroup(members: readonly Passage[]): PlannedOppdrag {
  // The representative: the smallest normalised text, then the first letter — independent of input order.
  const rep = [...members].sort((a, b) => compareText(a.key, b.key) || comparePassages(a, b))[0];
  if (!rep) throw new Error('an oppdrag group cannot be empty');
  const o = rep.oppdrag;
  const leadCandidate = mostCommon(
    members.map((m) => m.oppdrag.lead),
    o.lead,
  );
  const lead = leadCandidate !== null && isRhfId(leadCandidate) ? leadCandidate : null;

  const collaborators: OrganisationRef[] = [];
  for (const m of members) {
    for (const c of m.oppdrag.collaborators) {
      if (c.id === lead || c.id === HOD_ID || collaborators.some((x) => x.id === c.id)) continue;
      if (collaborators.length < MAX_COLLABORATORS) collaborators.push({ id: c.id, name: c.name });
    }
  }

  const deadlines = members.map((m) => m.oppdrag.deadline).filter((d): d is CalendarDate => d !== null);
  const deadline = o.deadline ?? [...deadlines].sort()[0] ?? null;
  const milestones: PlannedMilestone[] = [];
  for (const m of members) {
    for (const ms of m.oppdrag.milestones) {
      if (ms.dueDate === deadline || milestones.some((x) => x.id === ms.id)) continue;
      milestones.push(ms);
    }
  }
  milestones.sort((a, b) => compareText(a.dueDate, b.dueDate) || compareText(a.id, b.id));

  const sources: SourceReference[] = members.map((m) => ({
    letter: m.letter.letterId,
    recipient: m.letter.recipient,
    // The domain knows main letters and supplements; a foretaksmøte protocol is another kind of source.
    letterKind: m.oppdrag.source.letterKind === 'foretaksprotokoll' ? 'other' : m.oppdrag.source.letterKind,
    section: m.oppdrag.source.section
      ? { number: m.oppdrag.source.section.number, title: m.oppdrag.source.section.title }
      : null,
    heading: m.oppdrag.source.heading,
    lineStart: m.oppdrag.source.lineStart,
    lineEnd: m.oppdrag.source.lineEnd,
  }));

  const leadsAgree = new Set(members.map((m) => m.oppdrag.lead)).size === 1;
  const meanConfidence = members.reduce((sum, m) => sum + m.oppdrag.confidence, 0) / members.length;
  const confidence = Math.round(Math.max(0.05, meanConfidence - (leadsAgree ? 0 : 0.2)) * 100) / 100;

  const collaboratorEvidence: { id: string; phrase: string }[] = [];
  for (const m of members) {
    for (const e of m.oppdrag.evidence.collaborators) {
      if (!collaboratorEvidence.some((x) => x.id === e.id) && collaborators.some((c) => c.id === e.id)) {
        collaboratorEvidence.push({ id: e.id, phrase: e.phrase });
      }
    }
  }
  const addressed = new Set<RhfId>(members.flatMap((m) => m.oppdrag.addressees));
  if (lead) addressed.add(lead);
  const addressees = RHF_IDS.filter((id) => addressed.has(id));
  const addresseeEvidence = [...new Set(members.flatMap((m) => m.oppdrag.evidence.addressees))];

  const evidence: PlannedEvidence = {
    subject: o.evidence.subject,
    addressees: addresseeEvidence,
    lead: members.find((m) => m.oppdrag.lead === lead)?.oppdrag.evidence.lead ?? null,
    collaborators: collaboratorEvidence,
    dates: o.evidence.dates,
    addressedTo: o.addressedTo,
    outsideList: o.outsideList,
    passages: members.length,
  };

  return {
    // The readable words of the id come from the task sentence (with its subject), as they always have, so
    // that a shorter title does not change the id of an oppdrag imported before.
    oppdragId: oppdragIdFor(o.year, taskSentence(squash(o.description.replace(/\n- /g, ' '))), rep.key),
    year: o.year,
    title: shorten(o.title, TITLE_MAX),
    description: shorten(o.description, DESCRIPTION_MAX),
    hovedmal: o.source.section ? { number: o.source.section.number, title: o.source.section.title } : null,
    sources,
    addressees,
    lead,
    collaborators,
    deadline,
    milestones,
    assignedOn: assignedOnOf(members),
    confidence,
    evidence,
  };
}

/**
 * The day an oppdrag was given: the date of the earliest letter (or supplement) it stands in, as dated in
 * that letter part, or null when no letter it stands in is dated (the domain then takes 1 January of the
 * letter's year). A date outside the oppdrag's year is a misreading and is not used.
 */
function assignedOnOf(members: readonly Passage[]): CalendarDate | null {
  const dates = members
    .map((m) => {
      const line = m.oppdrag.source.lineStart;
      const part = m.letter.parts.find((p) => line >= p.lineStart && line <= p.lineEnd);
      return part?.date ?? m.letter.date;
    })
    .filter((d): d is CalendarDate => d !== null && d.startsWith(`${String(members[0]?.oppdrag.year)}-`));
  return [...dates].sort()[0] ?? null;
}

/** Gives a suffix to ids that two different texts happen to share (a fingerprint collision). */
function assignUniqueIds(planned: PlannedOppdrag[]): void {
  const byId = new Map<string, number[]>();
  planned.forEach((p, i) => byId.set(p.oppdragId, [...(byId.get(p.oppdragId) ?? []), i]));
  for (const [id, indexes] of byId) {
    if (indexes.length < 2) continue;
    const ordered = [...indexes].sort((a, b) =>
      compareText(
        normaliseForMatch(planned[a]?.description ?? ''),
        normaliseForMatch(planned[b]?.description ?? ''),
      ),
    );
    ordered.forEach((index, n) => {
      const p = planned[index];
      if (p && n > 0) planned[index] = { ...p, oppdragId: `${id.slice(0, 76)}-${n + 1}` };
    });
  }
}

function summarise(parsed: readonly ParsedLetter[], passages: readonly Passage[]): LetterSummary[] {
  const byId = new Map<string, ParsedLetter>();
  for (const l of parsed) if (!byId.has(l.letterId)) byId.set(l.letterId, l);
  return [...byId.values()]
    .sort((a, b) => compareText(a.letterId, b.letterId))
    .map((l) => ({
      letter: l.letterId,
      recipient: l.recipient,
      year: l.year,
      kind: l.kind,
      date: l.date,
      parts: l.parts.length,
      oppdrag: passages.filter((p) => p.letter.letterId === l.letterId).length,
    }));
}

/** Exactly the data of an `AssignOppdrag` command (`OppdragAssigned['data']`), without the reader's extras. */
export function toAssignData(planned: PlannedOppdrag): AssignData {
  return {
    oppdragId: planned.oppdragId,
    year: planned.year,
    title: planned.title,
    description: planned.description,
    hovedmal: planned.hovedmal,
    sources: planned.sources,
    addressees: planned.addressees,
    lead: planned.lead,
    collaborators: planned.collaborators,
    deadline: planned.deadline,
    milestones: planned.milestones,
    assignedOn: planned.assignedOn ?? null,
    // The letter names the organisation: an import registers the ones the registry does not know.
    registerNewOrganisation: true,
  };
}
