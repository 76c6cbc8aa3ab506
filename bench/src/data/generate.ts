import { eventIdFor, uuidFromName } from '#application';
import {
  addDays,
  decide,
  DomainError,
  effectiveDeadline,
  encodeEvent,
  evolve,
  initialState,
  osloDate,
  isRhfId,
  RHF_IDS,
  streamIdFor,
  SYSTEM_ACTOR,
  type Actor,
  type CalendarDate,
  type CloseOutcome,
  type AssignData,
  type OppdragCommand,
  type OppdragEvent,
  type OppdragState,
  type PlannedMilestone,
  type RhfId,
  type SourceReference,
} from '#domain';
import type { EventStore, EventToAppend } from '#event-store';
import { Rng } from '../rng.js';
import {
  COLLABORATORS,
  COORDINATORS,
  HOVEDMAL,
  oppdragText,
  REASONS,
  RHF_SHORT,
  RHF_USERS,
  SUMMARIES,
} from './corpus.js';

const DAY = 86_400_000;
/** Events per oppdrag this generator yields on average over full years; used to size a data set. */
export const EVENTS_PER_OPPDRAG = 5.6;

export interface GenerateOptions {
  /** Roughly how many events to generate (the exact count is reported). */
  readonly targetEvents: number;
  /** No event is recorded at or after this instant (ms); the last year is the one it falls in. */
  readonly now: number;
  /** How many letter years, ending with the year of `now`. */
  readonly years?: number;
  readonly seed?: number;
  /** Appends handed to the store per event-loop turn, so that they share one commit. */
  readonly appendsPerCommit?: number;
}

/** An oppdrag still open at the end, with what its lead may still record: targets for mutations. */
export interface OpenOppdrag {
  readonly id: string;
  readonly lead: RhfId;
  readonly status: 'assigned' | 'started' | 'reported';
  readonly unreportedMilestones: readonly string[];
}

export interface GeneratedData {
  readonly events: number;
  readonly oppdrag: number;
  readonly appends: number;
  readonly commits: number;
  /** Time spent in the store only (appendToStream and the commit), not generating events. */
  readonly storeMs: number;
  readonly generateMs: number;
  /** The first position of each commit group, and one past the last, for a raw replay of the same groups. */
  readonly groupStarts: readonly number[];
  readonly byType: Readonly<Record<string, number>>;
  readonly firstYear: number;
  readonly lastYear: number;
  readonly open: readonly OpenOppdrag[];
  /** Planned steps the decider refused (should be zero: the plans follow the lifecycle). */
  readonly refused: number;
}

type Step =
  | { readonly kind: 'start' }
  | { readonly kind: 'milestone'; readonly milestoneId: string }
  | { readonly kind: 'report' }
  | { readonly kind: 'reopen' }
  | { readonly kind: 'close'; readonly outcome: CloseOutcome }
  | { readonly kind: 'deadline'; readonly to: CalendarDate }
  | { readonly kind: 'lead'; readonly to: RhfId }
  | { readonly kind: 'collab-add' }
  | { readonly kind: 'collab-remove' };

interface Plan {
  readonly index: number;
  readonly id: string;
  readonly rng: Rng;
  readonly assign: AssignData;
  readonly assignAt: number;
  readonly steps: Array<{ readonly at: number; readonly step: Step }>;
  cursor: number;
  state: OppdragState;
  revision: number | 'no_stream';
  lastAt: number;
  assigned: boolean;
  /** The next action, computed when the plan is queued. */
  next: Action | null;
}

interface Letter {
  readonly at: number;
  readonly year: number;
  readonly kind: 'hoveddokument' | 'tilleggsdokument';
  readonly number: number;
  readonly count: number;
}

interface Emitted {
  readonly streamId: string;
  readonly expected: number | 'no_stream';
  readonly events: EventToAppend[];
}

/**
 * Generates oppdrag of several letter years with full lifecycles (assigned, started, milestones, reported,
 * reopened, closed; deadline changes, lead and collaborator changes; the engine's DeadlinePassed and
 * MilestoneDue on the day after a date passes unmet) and appends them to the store in global time order.
 * Every event comes from the domain's own `decide` and `encodeEvent`, with the metadata and event ids the
 * command handler would give it. Appends are handed over a thousand at a time, so they share a commit.
 */
export async function generateInto(store: EventStore, options: GenerateOptions): Promise<GeneratedData> {
  const started = performance.now();
  const seed = options.seed ?? 20_240_101;
  const years = options.years ?? 8;
  const perCommit = options.appendsPerCommit ?? 1000;
  const lastYear = Number(osloDate(options.now).slice(0, 4));
  const firstYear = lastYear - years + 1;
  const oppdragTotal = Math.max(8, Math.round(options.targetEvents / EVENTS_PER_OPPDRAG));
  const letters = buildLetters(new Rng(seed), firstYear, lastYear, oppdragTotal, options.now);

  const heap = new MinHeap<Plan>();
  const byType: Record<string, number> = {};
  const open: OpenOppdrag[] = [];
  const groupStarts: number[] = [];
  let pending: Emitted[] = [];
  let events = 0;
  let appends = 0;
  let commits = 0;
  let storeMs = 0;
  let refused = 0;
  let oppdrag = 0;
  let letterIndex = 0;
  let position = 1;
  const counters = new Map<string, number>();

  const flush = async (): Promise<void> => {
    if (pending.length === 0) return;
    const group = pending;
    pending = [];
    groupStarts.push(position);
    const t0 = performance.now();
    const results = group.map((e) =>
      store.appendToStream(e.streamId, e.events, { expectedRevision: e.expected }),
    );
    await Promise.all(results);
    storeMs += performance.now() - t0;
    for (const e of group) position += e.events.length;
    commits += 1;
  };

  const finish = (plan: Plan): void => {
    const s = plan.state;
    if (s.status === 'initial' || s.status === 'closed' || s.lead === null) return;
    open.push({
      id: s.id,
      lead: s.lead as RhfId,
      status: s.status,
      unreportedMilestones: s.milestones.filter((m) => m.reportedOn === null).map((m) => m.id),
    });
  };

  for (;;) {
    const letter = letters[letterIndex];
    const top = heap.peekKey();
    if (letter && (top === undefined || letter.at <= top)) {
      letterIndex += 1;
      const spacing = Math.min(20_000, (8 * 3_600_000) / Math.max(1, letter.count));
      for (let i = 0; i < letter.count; i++) {
        const plan = planOppdrag(seed, oppdrag, letter, letter.at + i * spacing, counters);
        oppdrag += 1;
        heap.push(plan.assignAt, plan);
      }
      continue;
    }
    const plan = heap.pop();
    if (!plan) break;
    const next = plan.next;
    if (!next || next.at >= options.now) {
      finish(plan);
      continue;
    }
    const emitted = emit(plan, next);
    if (emitted === 'refused') refused += 1;
    else if (emitted) {
      pending.push(emitted);
      appends += 1;
      events += emitted.events.length;
      for (const e of emitted.events) byType[e.type] = (byType[e.type] ?? 0) + 1;
      if (pending.length >= perCommit) await flush();
    }
    plan.next = nextAction(plan);
    if (!plan.next || plan.next.at >= options.now) finish(plan);
    else heap.push(plan.next.at, plan);
  }
  await flush();
  groupStarts.push(position);
  return {
    events,
    oppdrag,
    appends,
    commits,
    storeMs,
    generateMs: performance.now() - started - storeMs,
    groupStarts,
    byType,
    firstYear,
    lastYear,
    open,
    refused,
  };
}

/** The four RHF letters of each year (one hoveddokument, two tilleggsdokument), up to `now`. */
function buildLetters(rng: Rng, firstYear: number, lastYear: number, total: number, now: number): Letter[] {
  const letters: Letter[] = [];
  const perYear = total / (lastYear - firstYear + 1);
  for (let year = firstYear; year <= lastYear; year++) {
    const count = perYear * (0.9 + rng.next() * 0.2);
    const plan: Array<[Letter['kind'], number, number, number]> = [
      ['hoveddokument', 0, 1, 0.7],
      ['tilleggsdokument', 1, 6, 0.18],
      ['tilleggsdokument', 2, 10, 0.12],
    ];
    for (const [kind, number, month, share] of plan) {
      const day = rng.int(10, 25);
      const at = Date.UTC(year, month - 1, day, 8, 0, 0);
      if (at >= now) continue;
      letters.push({ at, year, kind, number, count: Math.max(1, Math.round(count * share)) });
    }
  }
  return letters.sort((a, b) => a.at - b.at);
}

// Calendar arithmetic on the hot path, cached: the generator asks the same questions millions of times.
const dateByHour = new Map<number, CalendarDate>();
/** The Oslo calendar date of an instant (cached per hour: every zone offset is whole hours). */
const dateOf = (ms: number): CalendarDate => {
  const hour = Math.floor(ms / 3_600_000);
  let date = dateByHour.get(hour);
  if (date === undefined) {
    date = osloDate(hour * 3_600_000);
    dateByHour.set(hour, date);
  }
  return date;
};
const msByDate = new Map<string, number>();
const dayMs = (date: CalendarDate): number => {
  let ms = msByDate.get(date);
  if (ms === undefined) {
    ms = Date.parse(`${date}T00:00:00Z`);
    msByDate.set(date, ms);
  }
  return ms;
};
const dateByDay = new Map<number, CalendarDate>();
const shift = (date: CalendarDate, days: number): CalendarDate => {
  const day = Math.round(dayMs(date) / DAY) + days;
  let out = dateByDay.get(day);
  if (out === undefined) {
    out = addDays(date, days);
    dateByDay.set(day, out);
  }
  return out;
};
/** A working-hours instant on a date. */
const at = (rng: Rng, date: CalendarDate): number => dayMs(date) + 7 * 3_600_000 + rng.int(0, 480) * 60_000;

function planOppdrag(
  seed: number,
  index: number,
  letter: Letter,
  assignAt: number,
  counters: Map<string, number>,
): Plan {
  const rng = new Rng(seed ^ Math.imul(index + 1, 0x9e3779b1));
  const year = letter.year;
  const joint = rng.chance(0.3);
  const recipient = rng.pick(RHF_IDS);
  let lead: RhfId | null = joint ? (rng.chance(0.75) ? rng.pick(RHF_IDS) : null) : recipient;
  const prefix = `${year}-${joint ? 'felles' : RHF_SHORT[recipient]}`;
  const n = (counters.get(prefix) ?? 0) + 1;
  counters.set(prefix, n);
  const id = `${prefix}-${String(n).padStart(4, '0')}`;
  const hovedmal = rng.pick(HOVEDMAL);
  const { title, description } = oppdragText(rng, lead, joint);
  const letterName = (rhf: RhfId): string =>
    letter.kind === 'hoveddokument'
      ? `${year}-oppdragsdokument-${rhf}.txt`
      : `${year}-tilleggsdokument-${letter.number}-${rhf}.txt`;
  const lineStart = rng.int(40, 900);
  const sources: SourceReference[] = (joint ? RHF_IDS : [recipient]).map((rhf) => ({
    letter: letterName(rhf),
    recipient: rhf,
    letterKind: letter.kind,
    section: { number: hovedmal.number, title: hovedmal.title },
    heading: letter.kind === 'hoveddokument' ? `Oppdrag ${year}` : 'Nye oppdrag',
    lineStart,
    lineEnd: lineStart + rng.int(1, 12),
  }));
  // With no lead, the oppdrag is addressed to all four RHFs: none of them also collaborates.
  const collaborators = rng
    .shuffled(COLLABORATORS.filter((c) => c.id !== lead && !(lead === null && isRhfId(c.id))))
    .slice(0, rng.pick([0, 1, 1, 2, 2, 3]))
    .map((c) => ({ id: c.id, name: c.name }));
  const assignDate = dateOf(assignAt);
  const deadline: CalendarDate | null = rng.chance(0.4) ? shift(assignDate, rng.int(90, 330)) : null;
  const eff0 = deadline ?? effectiveDeadline({ deadline: null, year });
  const milestoneCount = rng.pick([0, 0, 0, 0, 1, 1, 1, 2, 2, 3]);
  const milestones: PlannedMilestone[] = [];
  const span = Math.max(30, Math.round((dayMs(eff0) - dayMs(assignDate)) / DAY) - 14);
  for (let m = 1; m <= milestoneCount; m++) {
    const kind = rng.chance(0.6) ? 'statusrapport' : 'underveisrapportering';
    milestones.push({
      id: `${kind}-${m}`,
      kind,
      title: kind === 'statusrapport' ? `Statusrapport ${m}` : `Underveisrapportering ${m}`,
      dueDate: shift(assignDate, Math.round((span * m) / (milestoneCount + 1))),
    });
  }
  const assign: AssignData = {
    oppdragId: id,
    year,
    title,
    description,
    hovedmal: { number: hovedmal.number, title: hovedmal.title },
    sources,
    lead,
    collaborators,
    deadline,
    milestones,
  };

  // The steps people take, in time order; the engine's own facts are added as time passes (nextAction).
  const steps: Array<{ at: number; step: Step }> = [];
  let cursor = assignAt;
  const add = (when: number, step: Step): void => {
    const time = Math.max(when, cursor + 60_000);
    steps.push({ at: time, step });
    cursor = time;
  };
  if (lead === null) {
    const free = RHF_IDS.filter((r) => !collaborators.some((c) => c.id === r));
    if (rng.chance(0.4) && free.length > 0) {
      lead = rng.pick(free);
      add(at(rng, shift(assignDate, rng.int(20, 90))), { kind: 'lead', to: lead });
    } else {
      if (rng.chance(0.5)) {
        const outcome: CloseOutcome = rng.chance(0.7) ? 'withdrawn' : 'superseded';
        add(at(rng, shift(eff0, rng.int(10, 200))), { kind: 'close', outcome });
      }
      return newPlan();
    }
  }
  const base = dateOf(cursor);
  if (rng.chance(0.8)) add(at(rng, shift(base, rng.int(7, 90))), { kind: 'start' });
  if (rng.chance(0.1)) add(at(rng, shift(dateOf(cursor), rng.int(10, 60))), { kind: 'collab-add' });
  let eff = eff0;
  if (rng.chance(0.08)) {
    const when = at(rng, shift(dateOf(cursor), rng.int(20, 100)));
    const from = dateOf(when) > eff ? dateOf(when) : eff;
    const to = shift(from, rng.int(30, 120));
    add(when, { kind: 'deadline', to });
    eff = to;
  }
  const reportDay = shift(eff, rng.int(-60, 25));
  for (const m of milestones) {
    if (!rng.chance(0.85)) continue;
    const when = at(rng, shift(m.dueDate, rng.int(-20, 20)));
    if (when >= dayMs(reportDay)) continue;
    add(when, { kind: 'milestone', milestoneId: m.id });
  }
  if (rng.chance(0.05) && collaborators.length > 0) {
    add(at(rng, shift(dateOf(cursor), rng.int(5, 40))), { kind: 'collab-remove' });
  }
  if (rng.chance(0.88)) {
    add(at(rng, reportDay), { kind: 'report' });
    if (rng.chance(0.06)) {
      add(at(rng, shift(dateOf(cursor), rng.int(10, 45))), { kind: 'reopen' });
      add(at(rng, shift(dateOf(cursor), rng.int(10, 40))), { kind: 'report' });
    }
    if (rng.chance(0.85)) {
      add(at(rng, shift(dateOf(cursor), rng.int(20, 120))), {
        kind: 'close',
        outcome: rng.chance(0.88) ? 'completed' : 'continued',
      });
    }
  } else if (rng.chance(0.3)) {
    add(at(rng, shift(eff, rng.int(30, 150))), { kind: 'close', outcome: 'withdrawn' });
  }
  return newPlan();

  function newPlan(): Plan {
    return {
      index,
      id,
      rng,
      assign,
      assignAt,
      steps,
      cursor: 0,
      state: initialState(),
      revision: 'no_stream',
      lastAt: assignAt,
      assigned: false,
      next: { at: assignAt, kind: 'assign' },
    };
  }
}

type Action =
  | { readonly at: number; readonly kind: 'assign' }
  | { readonly at: number; readonly kind: 'step'; readonly step: Step }
  | { readonly at: number; readonly kind: 'deadline-passed' }
  | { readonly at: number; readonly kind: 'milestone-due'; readonly milestoneId: string };

/** The plan's next step, or the engine's next fact if a date passes unmet before it, whichever is first. */
function nextAction(plan: Plan): Action | null {
  if (!plan.assigned) return { at: plan.assignAt, kind: 'assign' };
  const s = plan.state;
  let best: Action | null = null;
  const planned = plan.steps[plan.cursor];
  if (planned) best = { at: planned.at, kind: 'step', step: planned.step };
  if (s.status === 'initial' || s.status === 'closed') return best;
  // The watcher records on its first run of the day after the date (00:30 UTC is that day in Oslo).
  const factAt = (date: CalendarDate): number =>
    Math.max(dayMs(shift(date, 1)) + 30 * 60_000, plan.lastAt + 60_000);
  if (s.status === 'assigned' || s.status === 'started') {
    const eff = effectiveDeadline(s);
    if (s.deadlinePassedFor !== eff) {
      const when = factAt(eff);
      if (!best || when < best.at) best = { at: when, kind: 'deadline-passed' };
    }
  }
  for (const m of s.milestones) {
    if (m.reportedOn !== null || m.dueRecorded) continue;
    const when = factAt(m.dueDate);
    if (!best || when < best.at) best = { at: when, kind: 'milestone-due', milestoneId: m.id };
  }
  return best;
}

function emit(plan: Plan, action: Action): Emitted | 'refused' | null {
  const now = new Date(action.at).toISOString();
  const today = dateOf(action.at);
  const state = plan.state;
  let command: OppdragCommand | null;
  let actor: Actor;
  let commandId: string;
  if (action.kind === 'assign') {
    plan.assigned = true;
    command = { type: 'AssignOppdrag', data: plan.assign };
    actor = plan.rng.pick(COORDINATORS);
    commandId = uuidFromName(`bench:${plan.index}:assign`);
  } else if (action.kind === 'deadline-passed' || action.kind === 'milestone-due') {
    // Exactly as the deadline watcher records these facts, command ids included.
    const name =
      action.kind === 'deadline-passed'
        ? `deadline-passed:${plan.id}`
        : `milestone-due:${plan.id}:${action.milestoneId}`;
    command =
      action.kind === 'deadline-passed'
        ? { type: 'RecordDeadlinePassed', data: { oppdragId: plan.id } }
        : { type: 'RecordMilestoneDue', data: { oppdragId: plan.id, milestoneId: action.milestoneId } };
    actor = SYSTEM_ACTOR;
    commandId = uuidFromName(`oppdragsflyt:watch:${name}:${today}`);
  } else {
    const stepIndex = plan.cursor;
    plan.cursor += 1;
    if (state.status === 'initial') return 'refused';
    const lead = state.lead as RhfId | null;
    const member = lead ? plan.rng.pick(RHF_USERS[lead]) : null;
    const coordinator = plan.rng.pick(COORDINATORS);
    const ref = `${plan.id}/${String(stepIndex + 1)}`;
    const step = action.step;
    actor = coordinator;
    commandId = uuidFromName(`bench:${plan.index}:${stepIndex}`);
    switch (step.kind) {
      case 'start':
        if (!member) return 'refused';
        actor = member;
        command = { type: 'StartOppdrag', data: { oppdragId: plan.id, startedOn: today } };
        break;
      case 'milestone':
        if (!member) return 'refused';
        actor = member;
        command = {
          type: 'RecordMilestone',
          data: {
            oppdragId: plan.id,
            milestoneId: step.milestoneId,
            reportedOn: today,
            documentRef: `Sak ${ref}, brev av ${today}`,
            note: plan.rng.chance(0.3) ? 'Levert etter avtale i oppfølgingsmøtet.' : null,
          },
        };
        break;
      case 'report':
        if (!member) return 'refused';
        actor = member;
        command = {
          type: 'ReportOppdrag',
          data: {
            oppdragId: plan.id,
            reportedOn: today,
            documentRef: `Årlig melding ${plan.assign.year}, sak ${ref}`,
            summary: plan.rng.pick(SUMMARIES),
          },
        };
        break;
      case 'reopen':
        command = {
          type: 'ReopenOppdrag',
          data: { oppdragId: plan.id, reason: plan.rng.pick(REASONS.reopen) },
        };
        break;
      case 'close':
        command = {
          type: 'CloseOppdrag',
          data: {
            oppdragId: plan.id,
            outcome: step.outcome,
            reason:
              step.outcome === 'withdrawn'
                ? plan.rng.pick(REASONS.withdrawn)
                : step.outcome === 'superseded'
                  ? plan.rng.pick(REASONS.superseded)
                  : null,
            supersededBy: step.outcome === 'superseded' ? `${plan.assign.year + 1}-felles-0001` : null,
          },
        };
        break;
      case 'deadline':
        command = {
          type: 'ChangeDeadline',
          data: { oppdragId: plan.id, deadline: step.to, reason: plan.rng.pick(REASONS.deadline) },
        };
        break;
      case 'lead':
        command = {
          type: 'ReassignLead',
          data: { oppdragId: plan.id, lead: step.to, reason: plan.rng.pick(REASONS.lead) },
        };
        break;
      case 'collab-add': {
        const candidate = plan.rng
          .shuffled(COLLABORATORS)
          .find(
            (c) =>
              c.id !== state.lead &&
              !state.addressees.includes(c.id) &&
              !state.collaborators.some((x) => x.id === c.id),
          );
        if (!candidate) return null;
        command = {
          type: 'AddCollaborator',
          data: {
            oppdragId: plan.id,
            collaborator: { id: candidate.id, name: candidate.name },
            reason: plan.rng.pick(REASONS.collaboratorAdded),
          },
        };
        break;
      }
      case 'collab-remove': {
        const present = state.collaborators[0];
        if (!present) return null;
        command = {
          type: 'RemoveCollaborator',
          data: {
            oppdragId: plan.id,
            collaboratorId: present.id,
            reason: plan.rng.pick(REASONS.collaboratorRemoved),
          },
        };
        break;
      }
    }
  }
  let decided: OppdragEvent[];
  try {
    decided = decide(command, state, { actor, now });
  } catch (error) {
    if (error instanceof DomainError) return 'refused';
    throw error;
  }
  let next = state;
  for (const event of decided) next = evolve(next, event);
  const expected = plan.revision;
  plan.state = next;
  plan.revision = (expected === 'no_stream' ? -1 : expected) + decided.length;
  plan.lastAt = action.at;
  return {
    streamId: streamIdFor(plan.id),
    expected,
    events: decided.map((event, i) => toAppend(event, i, command, actor, commandId, now)),
  };
}

/** The stored form of a decided event, with the metadata the command handler records. */
export function toAppend(
  event: OppdragEvent,
  index: number,
  command: OppdragCommand,
  actor: Actor,
  commandId: string,
  now: string,
): EventToAppend {
  const encoded = encodeEvent(event);
  return {
    id: eventIdFor(commandId, index),
    type: encoded.type,
    data: encoded.data,
    metadata: {
      recordedAt: now,
      actor,
      commandId,
      commandType: command.type,
      correlationId: commandId,
      causationId: commandId,
    },
  };
}

/** A binary min-heap keyed by a number. */
class MinHeap<T> {
  private keys: number[] = [];
  private items: T[] = [];

  push(key: number, item: T): void {
    const keys = this.keys;
    const items = this.items;
    let i = keys.length;
    keys.push(key);
    items.push(item);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if ((keys[parent] as number) <= key) break;
      keys[i] = keys[parent] as number;
      items[i] = items[parent] as T;
      i = parent;
    }
    keys[i] = key;
    items[i] = item;
  }

  peekKey(): number | undefined {
    return this.keys[0];
  }

  pop(): T | undefined {
    const keys = this.keys;
    const items = this.items;
    if (keys.length === 0) return undefined;
    const top = items[0];
    const lastKey = keys.pop() as number;
    const lastItem = items.pop() as T;
    const n = keys.length;
    if (n > 0) {
      let i = 0;
      for (;;) {
        const left = 2 * i + 1;
        if (left >= n) break;
        const right = left + 1;
        const child = right < n && (keys[right] as number) < (keys[left] as number) ? right : left;
        if ((keys[child] as number) >= lastKey) break;
        keys[i] = keys[child] as number;
        items[i] = items[child] as T;
        i = child;
      }
      keys[i] = lastKey;
      items[i] = lastItem;
    }
    return top;
  }
}
