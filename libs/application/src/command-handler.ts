import {
  decide,
  decodeEvent,
  DomainError,
  encodeEvent,
  evolve,
  fold,
  initialState,
  streamIdFor,
  type Actor,
  type OppdragCommand,
  type OppdragEvent,
  type OppdragState,
} from '#domain';
import {
  EventStoreError,
  isNormalInstant,
  normalInstant,
  type EventStore,
  type EventToAppend,
  type Position,
  type RecordedEvent,
} from '#event-store';
import { LRUCache } from 'lru-cache';
import type { Clock } from './clock.js';
import { commandDigest, eventIdFor, isUuid } from './ids.js';
import { loadOppdrag } from './oppdrag-repository.js';
import { toStoredOppdragEvent, type OppdragEventMetadata, type StoredOppdragEvent } from './stored-events.js';

export interface CommandMetadata {
  /** A UUID chosen by the caller; a retry with the same id is answered without writing again. */
  readonly commandId: string;
  readonly actor: Actor;
  readonly correlationId?: string;
  readonly causationId?: string;
}

export interface HandleOptions {
  /** The revision the caller last saw; a stale one is refused with CONFLICT instead of being retried. */
  readonly expectedRevision?: number | 'no_stream';
}

export interface CommandResult {
  readonly oppdragId: string;
  readonly events: readonly OppdragEvent[];
  /** The stream's revision after the command. */
  readonly revision: number;
  /** The global position of the command's last event (or of the stream's last event for a replay). */
  readonly position: Position | null;
  readonly state: OppdragState;
  /** True when the command had been handled before and this answer repeats it. */
  readonly duplicate: boolean;
}

/** An oppdrag as folded up to a revision, with the ids of the commands that wrote it. */
interface Snapshot {
  readonly revision: number;
  readonly state: OppdragState;
  /** The command ids of the events up to `revision` (and possibly of later ones: only ever stored ids). */
  readonly commandIds: Set<string>;
  /** When the event at `revision` was recorded (null before the first event). */
  readonly recordedAt: string | null;
}

/** An oppdrag as loaded for a command: a snapshot, or nothing stored yet. */
interface Loaded extends Omit<Snapshot, 'revision'> {
  readonly revision: number | 'no_stream';
}

/** How many folded oppdrag a handler keeps by default (least recently used ones go first). */
export const DEFAULT_SNAPSHOT_CAPACITY = 10_000;

/**
 * The one generic command handler: load → fold → decide → append with the revision it read. A conflict
 * with another writer is retried by re-reading, a bounded number of times, unless the caller named the
 * revision it expected, in which case the conflict is the caller's answer.
 *
 * The load starts from the state this handler last folded from the stream, if it still has it, and
 * reads only the events stored after that revision: stored events never change, so folding the new ones
 * onto it gives the same state as folding the whole stream, and events appended by anyone else (another
 * process, another handler) are read as before. Snapshots are folded from stored events only: an append
 * the store answered as new stored exactly the events sent, right after the revision read, so those are
 * folded as stored (their JSON, decoded) without reading them back; an append answered as a repeat stored
 * nothing (the store answered with an identical append made earlier, perhaps decided otherwise by another
 * writer), so its events are read. The append still states the revision read, so the store decides
 * conflicts exactly as without the snapshot.
 *
 * A command on an oppdrag with a kept snapshot is first decided on it without reading at all, since this
 * handler usually wrote the stream's last events itself. That is safe because the append states the
 * snapshot's revision: the store takes it only if the stream is still exactly there, so the decision was
 * made on the stored state. If the store refuses it (another writer moved the stream, or the command's
 * events are already stored) or the decision fails, the command is handled as without the snapshot:
 * read, decide again, append, so that every answer, refusal and repeat is the one the stored stream
 * gives.
 */
export class OppdragCommandHandler {
  /** Folded oppdrag by id, the least recently used let go beyond the capacity (at least one). */
  private readonly snapshots: LRUCache<string, Snapshot>;
  /** Per oppdrag, the end of the last command queued on it in this handler. */
  private readonly inFlight = new Map<string, Promise<void>>();

  constructor(
    private readonly store: EventStore,
    private readonly clock: Clock,
    private readonly maxAttempts = 10,
    snapshotCapacity = DEFAULT_SNAPSHOT_CAPACITY,
  ) {
    this.snapshots = new LRUCache({ max: Math.max(1, snapshotCapacity) });
  }

  /**
   * Handles a command. Commands on one oppdrag are handled one after another in this handler (those on
   * different oppdrag side by side), so that commands that do not conflict never fail for racing each
   * other here; a conflict with another process's writer is retried with a jittered back-off.
   */
  handle(
    command: OppdragCommand,
    metadata: CommandMetadata,
    options: HandleOptions = {},
  ): Promise<CommandResult> {
    if (!isUuid(metadata.commandId))
      return Promise.reject(new DomainError('VALIDATION', 'commandId: must be a UUID', 'commandId'));
    const oppdragId = command.data.oppdragId;
    const previous = this.inFlight.get(oppdragId);
    const run = previous
      ? previous.then(() => this.handleNow(command, metadata, options))
      : this.handleNow(command, metadata, options);
    const done = (): void => {
      if (this.inFlight.get(oppdragId) === settled) this.inFlight.delete(oppdragId);
    };
    const settled: Promise<void> = run.then(done, done);
    this.inFlight.set(oppdragId, settled);
    return run;
  }

  private async handleNow(
    command: OppdragCommand,
    metadata: CommandMetadata,
    options: HandleOptions,
  ): Promise<CommandResult> {
    const oppdragId = command.data.oppdragId;
    const digest = commandDigest(command);
    // First on what this handler last folded, without reading: the append states that revision, so the
    // store refuses it if anyone wrote since, and any refusal is answered by deciding again on the stream
    // as stored. Only a store that cannot answer (UNAVAILABLE) is not a reason to read again. An oppdrag
    // it holds nothing of is read first, as it may well be stored.
    const kept = this.snapshots.get(oppdragId);
    if (kept && (options.expectedRevision === undefined || options.expectedRevision === kept.revision)) {
      try {
        return await this.attempt(oppdragId, kept, command, digest, metadata, options);
      } catch (error) {
        const mayBeStale =
          error instanceof DomainError || (error instanceof EventStoreError && error.code !== 'UNAVAILABLE');
        if (!mayBeStale) throw error;
      }
    }
    for (let attempt = 1; ; attempt++) {
      const loaded = await this.load(oppdragId);
      try {
        return await this.attempt(oppdragId, loaded, command, digest, metadata, options);
      } catch (error) {
        if (error instanceof EventStoreError && error.code === 'CONFLICT') {
          if (options.expectedRevision === undefined && attempt < this.maxAttempts) {
            await backOff(attempt);
            continue;
          }
          throw new DomainError(
            'CONFLICT',
            `oppdrag ${oppdragId} kept changing while the command was handled; try again`,
          );
        }
        throw error;
      }
    }
  }

  /**
   * Decides the command on `loaded` and appends its events stating the revision read; throws the store's
   * CONFLICT when the stream is no longer at that revision.
   */
  private async attempt(
    oppdragId: string,
    loaded: Loaded,
    command: OppdragCommand,
    digest: string,
    metadata: CommandMetadata,
    options: HandleOptions,
  ): Promise<CommandResult> {
    if (loaded.commandIds.has(metadata.commandId)) {
      // Handled before: answer from the stored events of that command, if it is the same command.
      const repeat = await this.repeatOf(oppdragId, command, digest, metadata);
      if (repeat) return repeat;
    }
    if (options.expectedRevision !== undefined && options.expectedRevision !== loaded.revision) {
      throw new DomainError(
        'CONFLICT',
        `oppdrag ${oppdragId} is at revision ${String(loaded.revision)}, not ${String(options.expectedRevision)}: it changed since you read it`,
        'expectedRevision',
      );
    }
    const now = notBefore(this.clock.now(), loaded.recordedAt);
    const events = decide(command, loaded.state, { actor: metadata.actor, now });
    if (command.type === 'CloseOppdrag' && command.data.supersededBy != null)
      await this.checkReferences(command.data.supersededBy);
    const toAppend = events.map((event, index) =>
      this.toAppend(event, index, command, digest, metadata, now),
    );
    const result = await this.store.appendToStream(streamIdFor(oppdragId), toAppend, {
      expectedRevision: loaded.revision,
    });
    if (result.repeated) {
      // The same command raced itself and the other attempt wrote first: answer with what it wrote.
      const repeat = await this.repeatOf(oppdragId, command, digest, metadata);
      if (repeat) return repeat;
    }
    const state = result.repeated
      ? fold(events, loaded.state)
      : this.rememberAppended(oppdragId, loaded, events, toAppend, result.nextExpectedRevision);
    return {
      oppdragId,
      events,
      revision: result.nextExpectedRevision,
      position: result.position,
      state,
      duplicate: false,
    };
  }

  /**
   * The answer to a command id seen before on this oppdrag: the stored events of that command, when it
   * was this actor's and this command. A command id is one actor's name for one command: another user
   * sending it is refused (it would learn of a command not theirs), and so is the same user sending
   * another command under it (it would be taken for done and silently dropped).
   */
  private async repeatOf(
    oppdragId: string,
    command: OppdragCommand,
    digest: string,
    metadata: CommandMetadata,
  ): Promise<CommandResult | null> {
    const full = await loadOppdrag(this.store, oppdragId);
    const earlier = full.events.filter((e) => e.metadata.commandId === metadata.commandId);
    const first = earlier[0];
    if (!first) return null;
    const by = first.metadata.actor;
    if (by.userId !== metadata.actor.userId || by.organisationId !== metadata.actor.organisationId) {
      throw new DomainError(
        'FORBIDDEN',
        'commandId: was used by another user; a command id belongs to the user who sent it first (choose a new UUID)',
        'commandId',
      );
    }
    const sameCommand =
      first.metadata.commandType === command.type &&
      (first.metadata.commandDigest === undefined || first.metadata.commandDigest === digest);
    if (!sameCommand) {
      throw new DomainError(
        'VALIDATION',
        `commandId: was used for another command (${first.metadata.commandType}); a retry must send the same command, a new command a new UUID`,
        'commandId',
      );
    }
    return repeatOf(oppdragId, earlier, full.state);
  }

  /**
   * What the decider cannot see, since it reads one stream: an oppdrag named as superseding another must
   * exist. Checked after the decision, so that the role and lifecycle rules answer first.
   */
  private async checkReferences(target: string): Promise<void> {
    const found = await this.store.readStream(streamIdFor(target), { maxCount: 1 });
    if (found.length === 0) {
      throw new DomainError('VALIDATION', `supersededBy: oppdrag ${target} does not exist`, 'supersededBy');
    }
  }

  /** The oppdrag as stored now: the kept snapshot, if any, with the events stored after it folded on. */
  private async load(oppdragId: string): Promise<Loaded> {
    // Kept as the most recently used; a later snapshot kept meanwhile wins over this one below.
    const known = this.snapshots.get(oppdragId);
    const recorded = await this.store.readStream(
      streamIdFor(oppdragId),
      known ? { fromRevision: known.revision + 1 } : {},
    );
    if (recorded.length === 0) return known ?? nothingStored();
    let state = known ? known.state : initialState();
    const commandIds = known ? known.commandIds : new Set<string>();
    for (const stored of recorded) {
      const event = toStoredOppdragEvent(stored);
      state = evolve(state, event.event);
      commandIds.add(event.metadata.commandId);
    }
    const last = recorded[recorded.length - 1] as RecordedEvent;
    const snapshot = { revision: last.revision, state, commandIds, recordedAt: last.recordedAt };
    this.remember(oppdragId, snapshot);
    return snapshot;
  }

  /**
   * After an append the store answered as new (not a repeat): the stream holds exactly these events at
   * the revisions after the one read, so they are folded onto the snapshot as the store will give them
   * back (their stored JSON, decoded), and the next command on the oppdrag need not read them again.
   * Returns the state after them.
   */
  private rememberAppended(
    oppdragId: string,
    loaded: Loaded,
    decided: readonly OppdragEvent[],
    appended: readonly EventToAppend[],
    revision: number,
  ): OppdragState {
    let state = loaded.state;
    try {
      for (let i = 0; i < appended.length; i++) {
        const event = appended[i] as EventToAppend;
        // Plain JSON data is read back as it is: the decided event, whose data the stored payload is
        // (with its schema version). Anything else goes through JSON as the store stored it.
        state = evolve(
          state,
          isPlainJson(event.data)
            ? (decided[i] as OppdragEvent)
            : decodeEvent(event.type, JSON.parse(JSON.stringify(event.data)) as unknown),
        );
      }
    } catch {
      // Cannot happen with the codec's own output; should it, the command is stored all the same, and
      // the next command folds the oppdrag from the store.
      this.snapshots.delete(oppdragId);
      return fold(decided, loaded.state);
    }
    for (const event of appended) loaded.commandIds.add((event.metadata as OppdragEventMetadata).commandId);
    const last = appended[appended.length - 1];
    // As the store keeps it (the append was taken, so the instant is one).
    const recordedAt = last ? normalInstant(last.metadata.recordedAt) : loaded.recordedAt;
    this.remember(oppdragId, { revision, state, commandIds: loaded.commandIds, recordedAt });
    return state;
  }

  /** Keeps a snapshot as the most recently used, unless a later one is kept already. */
  private remember(oppdragId: string, snapshot: Snapshot): void {
    const kept = this.snapshots.peek(oppdragId);
    if (kept && kept.revision > snapshot.revision) return;
    this.snapshots.set(oppdragId, snapshot);
  }

  private toAppend(
    event: OppdragEvent,
    index: number,
    command: OppdragCommand,
    digest: string,
    metadata: CommandMetadata,
    now: string,
  ): EventToAppend {
    const encoded = encodeEvent(event);
    const eventMetadata: OppdragEventMetadata = {
      recordedAt: now,
      actor: metadata.actor,
      commandId: metadata.commandId,
      commandType: command.type,
      commandDigest: digest,
      correlationId: metadata.correlationId ?? metadata.commandId,
      causationId: metadata.causationId ?? metadata.commandId,
    };
    return {
      id: eventIdFor(metadata.commandId, index),
      type: encoded.type,
      data: encoded.data,
      metadata: eventMetadata,
    };
  }
}

/** An oppdrag with no events stored. */
function nothingStored(): Loaded {
  return { state: initialState(), revision: 'no_stream', commandIds: new Set(), recordedAt: null };
}

/**
 * Whether JSON gives back a value equal to this one: strings, booleans, null, finite numbers other than
 * -0, and arrays and plain objects of these (no undefined, no holes, no toJSON, no class instances).
 */
function isPlainJson(value: unknown): boolean {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      return Number.isFinite(value) && !Object.is(value, -0);
    case 'object': {
      if (value === null) return true;
      if (Array.isArray(value)) {
        const items = value as readonly unknown[];
        for (let i = 0; i < items.length; i++) if (!(i in items) || !isPlainJson(items[i])) return false;
        return Object.getPrototypeOf(value) === Array.prototype;
      }
      const prototype: unknown = Object.getPrototypeOf(value);
      if (prototype !== Object.prototype && prototype !== null) return false;
      if (Object.getOwnPropertySymbols(value).length > 0) return false;
      const record = value as Record<string, unknown>;
      if ('toJSON' in record) return false;
      for (const key of Object.keys(record)) if (!isPlainJson(record[key])) return false;
      return true;
    }
    default:
      return false;
  }
}

/**
 * Waits before retrying a conflicting append: a random time up to a ceiling that doubles with each
 * attempt (1, 2, 4 … ms, at most 100 ms), so that writers that collided do not collide again in step.
 */
function backOff(attempt: number): Promise<void> {
  const ceiling = Math.min(100, 2 ** (attempt - 1));
  return new Promise((resolve) => setTimeout(resolve, Math.random() * ceiling));
}

/**
 * The instant a command's events are recorded at: the clock's, but never before the stream's last event,
 * so that a stream's `recordedAt` never goes backwards when instances' clocks disagree (as-of reads and
 * auditors' timelines rely on it).
 */
function notBefore(now: string, last: string | null): string {
  if (last === null) return now;
  // Instants in the store's form (as clocks give them too) compare as text.
  const later =
    isNormalInstant(last) && isNormalInstant(now) ? last > now : Date.parse(last) > Date.parse(now);
  return later ? last : now;
}

function repeatOf(
  oppdragId: string,
  earlier: readonly StoredOppdragEvent[],
  state: OppdragState,
): CommandResult {
  const last = earlier[earlier.length - 1] as StoredOppdragEvent;
  return {
    oppdragId,
    events: earlier.map((e) => e.event),
    revision: last.revision,
    position: last.position,
    state,
    duplicate: true,
  };
}
