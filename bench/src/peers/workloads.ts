import {
  addDays,
  decide,
  decodeEvent,
  evolve,
  initialState,
  type Actor,
  type OppdragCommand,
  type OppdragState,
} from '#domain';
import type { EventToAppend } from '#event-store';
import { COORDINATORS } from '../data/corpus.js';
import { toAppend } from '../data/generate.js';
import { todayOf, type Lifecycle } from '../data/lifecycle.js';
import { median, now } from '../stats.js';
import { lifecycles, singles, type AppendCounts, type Single } from '../suites/append.js';
import type {
  EmmettCommandHandler,
  EmmettEvent,
  EmmettStore,
  ExpectedStreamVersion,
  ReadBatch,
} from './emmett.js';

/** A timed run against a peer: what was done, in how long, and what was refused. */
export interface PeerMeasured {
  readonly count: number;
  readonly ms: number;
  /** Appends or commands the store refused or failed; the run goes on with the next stream. */
  readonly failed: number;
  readonly firstError: string | null;
}

export interface PeerAppendResults {
  readonly singleSequential: PeerMeasured;
  readonly singleConcurrent: PeerMeasured;
  readonly commandsSequential: PeerMeasured;
  readonly commandsConcurrent: PeerMeasured;
}

/** The project's stored event as Emmett appends it: the same type, payload and metadata. */
export const toEmmettEvent = (event: EventToAppend): EmmettEvent => ({
  type: event.type,
  data: event.data,
  metadata: event.metadata,
});

/** The project's `evolve`, fed the stored payload through the project's own decoder. */
export const evolveStored = (state: OppdragState, event: EmmettEvent): OppdragState =>
  evolve(state, decodeEvent(event.type, event.data));

/** Emmett counts a stream's version from 1 (events in it); the project names the last revision from 0. */
const expectedVersion = (expected: Single['expected']): ExpectedStreamVersion =>
  expected === 'no_stream' ? 'STREAM_DOES_NOT_EXIST' : BigInt(expected + 1);

const message = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/**
 * Failures after which a run stops: enough to show that the store refuses this load, without spending
 * minutes on appends that would only be refused as well.
 */
export const MAX_FAILURES = 100;

/**
 * Runs `work` on each unit (a stream of appends, or a lifecycle of commands) with `inFlight` units at once;
 * a unit stops at its first failure (its later steps would only fail on the stream's version), and the run
 * stops after {@link MAX_FAILURES}.
 */
async function runUnits<T>(
  units: readonly (readonly T[])[],
  inFlight: number,
  step: (item: T) => Promise<void>,
  limit: number,
): Promise<PeerMeasured> {
  let next = 0;
  let count = 0;
  let failed = 0;
  let firstError: string | null = null;
  const worker = async (): Promise<void> => {
    for (let u = next++; u < units.length; u = next++) {
      for (const item of units[u] as readonly T[]) {
        if (count + failed >= limit || failed >= MAX_FAILURES) return;
        try {
          await step(item);
          count += 1;
        } catch (error) {
          failed += 1;
          firstError ??= message(error);
          break;
        }
      }
    }
  };
  const t0 = now();
  await Promise.all(Array.from({ length: inFlight }, worker));
  return { count, ms: now() - t0, failed, firstError };
}

/** The handler runs the project's decide on the state Emmett folded, and stores what the project stores. */
function commandStep(handler: EmmettCommandHandler<OppdragState>, store: EmmettStore, nowIso: string) {
  return async (unit: { life: Lifecycle; index: number }): Promise<void> => {
    const c = unit.life.commands[unit.index]!;
    await handler(store, unit.life.streamId, (state) =>
      decide(c.command, state, { actor: c.actor, now: nowIso }).map((event, i) =>
        toEmmettEvent(toAppend(event, i, c.command, c.actor, c.commandId, nowIso)),
      ),
    );
  };
}

const commandUnits = (lives: readonly Lifecycle[]) =>
  lives.map((life) => life.commands.map((_c, index) => ({ life, index })));

/**
 * The project's append and command workloads against an Emmett store: the same single events and the same
 * lifecycles (same tags) as `appendBench`, sequential and with `inFlight` at once.
 */
export async function peerAppends(
  store: EmmettStore,
  handler: EmmettCommandHandler<OppdragState>,
  counts: AppendCounts,
  tag: string,
): Promise<PeerAppendResults> {
  const nowMs = Date.now();
  const nowIso = new Date(nowMs).toISOString();
  const append = async (s: Single): Promise<void> => {
    await store.appendToStream(s.streamId, [toEmmettEvent(s.event)], {
      expectedStreamVersion: expectedVersion(s.expected),
    });
  };
  const singleSequential = await runUnits(
    singles(`${tag}-s`, counts.singleSequential, nowMs),
    1,
    append,
    counts.singleSequential,
  );
  const singleConcurrent = await runUnits(
    singles(`${tag}-c`, counts.singleConcurrent, nowMs),
    counts.inFlight,
    append,
    counts.singleConcurrent,
  );
  const step = commandStep(handler, store, nowIso);
  const commandsSequential = await runUnits(
    commandUnits(lifecycles(`${tag}-h`, counts.commandsSequential, nowMs)),
    1,
    step,
    counts.commandsSequential,
  );
  const commandsConcurrent = await runUnits(
    commandUnits(lifecycles(`${tag}-k`, counts.commandsConcurrent, nowMs)),
    counts.inFlight,
    step,
    Number.MAX_SAFE_INTEGER,
  );
  return { singleSequential, singleConcurrent, commandsSequential, commandsConcurrent };
}

/** Every event in global order, in batches, each stream folded with the project's evolve. */
export async function peerFold(
  readBatch: (after: bigint) => Promise<ReadBatch>,
): Promise<{ events: number; streams: number; ms: number }> {
  const states = new Map<string, OppdragState>();
  let events = 0;
  const t0 = now();
  for (let after = 0n; ;) {
    const batch = await readBatch(after);
    for (const m of batch.messages) {
      const stream = m.metadata.streamName;
      states.set(stream, evolveStored(states.get(stream) ?? initialState(), m));
    }
    events += batch.messages.length;
    if (!batch.areEventsLeft || batch.messages.length === 0) break;
    after = batch.currentGlobalPosition;
  }
  return { events, streams: states.size, ms: now() - t0 };
}

/**
 * One long stream read and folded through Emmett, then the project's decide on the state: the work of
 * `aggregate.loadDecide`, median of `runs`.
 */
export async function peerLongStream(
  store: EmmettStore,
  streamName: string,
  oppdragId: string,
  runs: number,
): Promise<{ events: number; ms: number }> {
  const nowIso = new Date().toISOString();
  const today = todayOf(Date.now());
  const coordinator = COORDINATORS[0] as Actor;
  const times: number[] = [];
  let events = 0;
  for (let r = 0; r < runs; r++) {
    const t0 = now();
    const loaded = await store.aggregateStream(streamName, { evolve: evolveStored, initialState });
    const command: OppdragCommand = {
      type: 'ChangeDeadline',
      // Later than any deadline the aggregate benchmark set, so that the decision is never a no-op refusal.
      data: { oppdragId, deadline: addDays(today, 1000 + r), reason: 'Måling av lang historikk.' },
    };
    decide(command, loaded.state, { actor: coordinator, now: nowIso });
    times.push(now() - t0);
    events = Number(loaded.currentStreamVersion);
  }
  return { events, ms: median(times) };
}
