import { availableParallelism } from 'node:os';
import type { StoredOppdragEvent } from '#application/stored-events.js';
import {
  CheckpointBeyondHeadError,
  comparePositions,
  formatPosition,
  parsePosition,
  UnreadableEventError,
  type EventStore,
  type Position,
  type RecordedEvent,
  type StreamRange,
  type Subscription,
} from '#event-store';
import {
  applyToView,
  searchTextOf,
  summaryOf,
  type OppdragSummary,
  type OppdragView,
} from './oppdrag-view.js';
import { auditIndexEntryOf } from './audit-trail.js';
import { HeldAuditRows } from './held-audit.js';
import { DEFAULT_REPLAY_WORKER, ReplayPartitions, type ReplayWorker } from './replay-partitions.js';
import { decodeOppdragEvent, foldStreams, skippedOf } from './stream-fold.js';
import type { AuditIndexEntry, ReadModelStore, SkippedEvent } from './read-model-store.js';
import type { ViewSource } from './queries.js';
import { SummaryMap } from './view-index.js';

export interface ProjectionChange {
  readonly view: OppdragView;
  readonly event: StoredOppdragEvent;
  /** True while the projector is still catching up on history (no live notification is due). */
  readonly replaying: boolean;
}

export interface ProjectorOptions {
  /**
   * Write views and checkpoint at least every this many events (default 500,000). In between, views let
   * go of and audit rows are written into the transaction in progress; a crash before the next checkpoint
   * only means replaying from the last one, since applying an event a view already has changes nothing.
   */
  readonly flushEveryEvents?: number;
  /**
   * Once caught up, write views and checkpoint after a batch when this many milliseconds have passed
   * since the last write (default 5,000), so that a restart after a crash has little to replay.
   */
  readonly liveFlushMs?: number;
  readonly batchSize?: number;
  /** How many whole views to keep in memory (default 50,000); others are read from the file when needed. */
  readonly cachedViews?: number;
  readonly onProblem?: (message: string, error: unknown) => void;
  /**
   * How the projector starts again after a failure (see {@link RetryPolicy}); `false` for one-shot tools:
   * the first failure stops it, and `start` rejects with it.
   */
  readonly retry?: RetryPolicy | false;
  /** A number in [0, 1) for the jitter of the retry delays (default Math.random). */
  readonly random?: () => number;
  /**
   * Whether a replay from zero reads the store stream by stream when the store can (default true; see
   * {@link OppdragProjector}). False replays in global order, as a catch-up from a checkpoint does.
   */
  readonly byStream?: boolean;
  /**
   * A replay stream by stream up to a head at or beyond this position (default 50,000: in the embedded
   * store, that many events) writes through a rollback journal instead of the write-ahead log (see
   * {@link ReadModelStore.bulkWrites}); a shorter one does not earn back the syncs of changing journal.
   */
  readonly bulkJournalFromPosition?: number;
  /**
   * A replay stream by stream into a read-model file, up to a head at or beyond this position (default
   * 50,000), writes the file on a thread of its own (see `BulkReadModelWriter`); a shorter one does not
   * earn back starting the thread and handing the file over. A database in memory is always written on
   * this thread.
   */
  readonly writerThreadFromPosition?: number;
  /**
   * How many threads a replay from zero with a writer thread folds on, side by side, each a run of
   * streams (default: the processors available, at most 4). More than one needs a store with a file
   * other threads can read (the embedded store) and {@link replayWorker}.
   */
  readonly replayThreads?: number;
  /**
   * A replay from zero up to a head at or beyond this position (default 200,000) uses replayThreads: a
   * shorter one gains little (8% at 100,000 events, on two processors) for the heap each thread adds
   * (about 70 MiB).
   */
  readonly partitionFromPosition?: number;
  /**
   * The module a partition's thread runs (see `replay-partition-thread.ts`): by default the compiled one
   * beside this file; null (and the default where this file is not compiled) folds on this thread only.
   */
  readonly replayWorker?: ReplayWorker | null;
}

/** The most threads a replay folds on by default (see ProjectorOptions.replayThreads). */
const MAX_REPLAY_THREADS = 4;

/**
 * After a failure (the subscription dropped, a read-model write failed, e.g. on a full disk) the projector
 * goes back to what its file holds and subscribes again from that checkpoint after a delay that doubles
 * from `firstDelayMs` up to `maxDelayMs`, each with up to half of it taken off at random so that
 * instances do not retry in step.
 */
export interface RetryPolicy {
  /** Default 500 ms. */
  readonly firstDelayMs?: number;
  /** Default 30 s. */
  readonly maxDelayMs?: number;
  /**
   * Failing without a break for longer than this (default 5 minutes) counts as unable to recover: the
   * state becomes `failed` (the instance's liveness check then fails, so that it is restarted). It goes
   * on retrying all the same, and is live again if it recovers.
   */
  readonly giveUpAfterMs?: number;
}

/** What the projector is doing, for readiness and liveness checks. */
export interface ProjectorStatus {
  /**
   * `catching-up` until it has applied everything stored (again after a failure), `live` after that,
   * `retrying` while it waits to try again after a failure, `failed` when it has failed for longer than
   * the retry policy's `giveUpAfterMs` (or at once when retrying cannot help: a checkpoint beyond the
   * store's last event), `interrupted` while the store resubscribes after losing its subscription (the
   * read models still answer, but fall behind until it has), `stopped` before start and after stop.
   */
  readonly state: 'catching-up' | 'live' | 'retrying' | 'interrupted' | 'failed' | 'stopped';
  /** What is wrong, in words, when it is retrying or failed; null otherwise. */
  readonly reason: string | null;
  /** Failures since it was last caught up. */
  readonly failures: number;
  /** When it has been failing since (ISO instant), or null. */
  readonly failingSince: string | null;
}

/**
 * Feeds the read models from the store's catch-up subscription, never from an in-process bus. A summary
 * of every oppdrag lives in memory for the queries; whole views live in the read-model file, with the
 * most recently used and those changed since the last write kept in memory. Views, summaries, the audit
 * index and the checkpoint are written in one transaction whenever the projector catches up, at
 * intervals during a long replay, and when it stops.
 */
export class OppdragProjector implements ViewSource {
  /** A summary of every oppdrag, by id (a Map that tells query indexes about changes). */
  readonly summaries = new SummaryMap();
  private subscription: Subscription | null = null;
  private applied: Position | null = null;
  /** Views in memory (those changed or read lately), each with when it was last used. */
  private loaded = new Map<string, { view: OppdragView; used: number }>();
  private uses = 0;
  /** The folded search text of every oppdrag, read from the file when a query first searches text. */
  private texts: Map<string, string> | null = null;
  /** Views in memory changed since they were last written. */
  private dirty = new Set<string>();
  /** Changed views whose summaries are not yet made (see {@link summarise}). */
  private unsummarised = new Set<string>();
  private sinceFlush = 0;
  private lastFlush = performance.now();
  /** Writes live changes left unwritten when no further batch comes (see {@link liveFlushMs}). */
  private idleFlush: NodeJS.Timeout | null = null;
  private caughtUp = false;
  private waiters: Array<{ commit: bigint; resolve: () => void }> = [];
  private listeners = new Set<(change: ProjectionChange) => void>();
  /** The latest problems (at most {@link PROBLEMS_KEPT}), and how many there have been. */
  private problems: string[] = [];
  private problemCount = 0;
  /** The positions of the events skipped (each counted once). */
  private skipped = new Set<string>();
  private failure: unknown = null;
  /** Why the read models are not following the store just now, while the store resubscribes. */
  private interruption: string | null = null;
  private failures = 0;
  private failingSince: number | null = null;
  /** Set when a failure cannot heal by retrying (see {@link fail}): the instance must be restarted. */
  private permanentFailure = false;
  private retryTimer: NodeJS.Timeout | null = null;
  private running = false;
  private generation = 0;
  /** A replay from zero under way (see {@link replayByStream}). */
  private replay: Promise<void> | null = null;
  /** Its partitions on threads of their own, while it has them (a stop ends them at once). */
  private partitions: ReplayPartitions | null = null;
  /** Settles the promise `start` returned: once caught up, or on a failure when there are no retries. */
  private started: { resolve: () => void; reject: (error: Error) => void } | null = null;

  constructor(
    private readonly store: EventStore,
    private readonly readModels: ReadModelStore,
    private readonly options: ProjectorOptions = {},
  ) {}

  /**
   * Loads the stored views, subscribes from the stored checkpoint and resolves once caught up. A failure
   * on the way is retried (see {@link RetryPolicy}) rather than rejected: it resolves when caught up
   * (without retries, it rejects with the failure).
   */
  start(): Promise<void> {
    this.running = true;
    this.backToCommitted();
    const skipped = this.readModels.skippedEvents();
    this.skipped = new Set(skipped.map((s) => s.position));
    this.problems = skipped.slice(-PROBLEMS_KEPT).map(skippedMessage);
    this.problemCount = skipped.length;
    return new Promise<void>((resolve, reject) => {
      this.started = { resolve, reject };
      this.subscribe();
    });
  }

  /** Subscribes from what is applied; a replay from zero goes stream by stream unless `byStream` is false. */
  private subscribe(byStream = true): void {
    const batchSize = this.options.batchSize ?? 1000;
    // Callbacks of a subscription given up (after a failure, or stopped) are ignored; a store may call
    // them before subscribeToAll returns.
    const generation = ++this.generation;
    const fromZero =
      byStream &&
      this.applied === null &&
      this.summaries.size === 0 &&
      this.store.scanByStream !== undefined &&
      this.options.byStream !== false;
    try {
      const subscription = this.store.subscribeToAll({
        after: this.applied,
        // Batches of 1,000 keep a long replay's peak memory down (fewer events alive at once) at no cost
        // in speed compared with 5,000. Before a replay from zero, the first batch only says that there is
        // history (which is then read stream by stream): one event does.
        batchSize: fromZero ? 1 : batchSize,
        handle: (batch) => {
          if (this.generation !== generation) return undefined;
          // A replay from zero: the first batch says there is history, which is then read stream by stream.
          if (fromZero && this.applied === null && this.summaries.size === 0) {
            const replay = this.replayByStream(generation, batchSize);
            this.replay = replay;
            return replay.finally(() => {
              if (this.replay === replay) this.replay = null;
            });
          }
          this.handleBatch(batch);
          // After a full batch (more is probably waiting), let the event loop run (a health check, a
          // timer, a request), so that an instance far behind keeps answering while it catches up.
          return batch.length < batchSize ? undefined : new Promise<void>((resolve) => setImmediate(resolve));
        },
        onRetry: (retry) => {
          this.interruption = `the event store subscription was lost (${retry.error.message}); resubscribing from ${
            retry.after === null ? 'the start' : formatPosition(retry.after)
          } in ${retry.delayMs} ms, attempt ${retry.attempt}`;
          this.options.onProblem?.(this.interruption, retry.error);
        },
        onCaughtUp: () => {
          this.interruption = null;
          // The store says so each time it has delivered everything; the first time ends the catch-up.
          // Live changes after that are written on the interval (see liveFlushMs), not after every batch.
          if (this.caughtUp || this.generation !== generation) return;
          try {
            this.flush();
          } catch (error) {
            this.fail(error);
            return;
          }
          this.caughtUp = true;
          this.failure = null;
          this.failures = 0;
          this.failingSince = null;
          this.started?.resolve();
          this.started = null;
        },
        onError: (error) => {
          if (this.generation === generation) this.fail(error);
        },
      });
      if (this.generation === generation) this.subscription = subscription;
      else void subscription.stop().catch(() => undefined);
    } catch (error) {
      this.fail(error);
    }
  }

  /**
   * A replay from zero, stream by stream: each view is folded from its first event to its last in one go,
   * written once and let go, so that neither a view cache nor its writes and reads back grow with the
   * number of oppdrag. Everything up to the store's head at the start is written in one transaction with
   * that head as the checkpoint (a failure or a stop before then leaves the file as it was); the
   * subscription then goes on from the head. Views and summaries come out as a replay in global order
   * makes them, since each oppdrag's view depends on its own stream only. It starts from the first batch
   * of the subscription, which it then replaces by one from the head.
   *
   * Each stream's state is folded with the domain's `evolve` and its view made once, at the end of the
   * stream (see `foldStreams`); the audit rows are held until the end and added in position order (see
   * {@link HeldAuditRows}); a long replay writes through a rollback journal (see `bulkJournalFromPosition`).
   * A long one writes on a thread of its own (`writerThreadFromPosition`), and a longer one also folds
   * runs of streams on threads of their own side by side with this one (`replayThreads`), each sending
   * straight to that writer: the streams of an oppdrag are independent, so the result is the same.
   */
  private async replayByStream(generation: number, batchSize: number): Promise<void> {
    const head = await this.store.headPosition();
    const scan = this.store.scanByStream?.bind(this.store);
    if (head === null || !scan) return;
    const stopped = (): boolean => this.generation !== generation;
    const withoutLog = head.commit >= BigInt(this.options.bulkJournalFromPosition ?? 50_000);
    // The file's writes go to a thread of their own where the file allows (see BulkReadModelWriter).
    const threaded = head.commit >= BigInt(this.options.writerThreadFromPosition ?? 50_000);
    const bulk = threaded ? this.readModels.bulkReplay(withoutLog) : null;
    let events = 0;
    // Without a writer thread, audit rows are held and added at the end, in position order (see
    // HeldAuditRows); the writer thread orders them itself.
    const held = bulk ? null : new HeldAuditRows();
    let committed = false;
    let partitions: ReplayPartitions | null = null;
    if (!bulk) this.readModels.bulkWrites(true, withoutLog);
    try {
      await bulk?.started();
      // Streams of other runs of ids are folded on threads of their own, side by side with this one.
      const plan = bulk ? await this.partitionPlan(head) : null;
      const cuts = plan?.cuts ?? [];
      if (bulk && plan)
        partitions = new ReplayPartitions({
          ...plan,
          upTo: head,
          batchSize,
          openPort: () => bulk.openPort(),
          onOppdrag: (summary, text) => {
            this.summaries.set(summary.id, summary);
            this.texts?.set(summary.id, text);
          },
          // The partition writes its skipped events through its own port; here they are problems.
          onSkipped: (skipped, error) => this.noteSkipped(skipped, error),
        });
      this.partitions = partitions;
      const mine: StreamRange | undefined = cuts.length > 0 ? { from: '', before: cuts[0] } : undefined;
      const mainFold = foldStreams({
        scan,
        upTo: head,
        ...(mine ? { streams: mine } : {}),
        batchSize,
        stopped: () => stopped() || (partitions !== null && partitions.failure !== null),
        decode: (recorded) => this.decode(recorded),
        onUnreadable: (error) => this.recordSkipped(skippedOf(error.event, error.reason), error),
        onViews: (finished) => {
          if (bulk) bulk.addViews(finished);
          else this.readModels.stageViews(finished);
          for (const { view, summary } of finished) {
            this.summaries.set(summary.id, summary);
            this.texts?.set(summary.id, searchTextOf(view));
          }
        },
        onAudit: (audit) => (bulk ? bulk.addAudit(audit) : this.readModels.addAudit(audit)),
        onApplied: (stored, fold) => {
          const taken = held?.add(stored, stored.oppdragId) ?? false;
          if (this.listeners.size === 0) return taken;
          const view = fold.view();
          if (view) for (const listener of this.listeners) listener({ view, event: stored, replaying: true });
          return taken;
        },
        // Let the event loop run between batches (health checks, timers, a partition's messages), as the
        // subscription does; and with a writer thread, wait while it has much to catch up on.
        afterBatch: () => {
          const next = new Promise<void>((resolve) => setImmediate(resolve));
          return bulk ? next.then(() => bulk.ready()) : next;
        },
      });
      // A partition that fails stops this thread's fold (see stopped above); this thread's failure, or a
      // stop, stops the partitions.
      const settled = await Promise.allSettled([
        mainFold.then(
          async (n) => {
            if (stopped()) await partitions?.stop();
            return n;
          },
          async (error: unknown) => {
            await partitions?.stop();
            throw error;
          },
        ),
        ...(partitions?.done ?? []),
      ]);
      if (stopped()) return;
      const failed = settled.find((result) => result.status === 'rejected');
      // The writer's own failure (a full disk) says more than a partition that lost its writer.
      if (bulk?.writeFailure) throw bulk.writeFailure;
      if (partitions?.failure) throw partitions.failure;
      if (failed) throw failed.reason;
      for (const result of settled) if (result.status === 'fulfilled') events += result.value;
      if (bulk) {
        await bulk.commit(formatPosition(head));
        committed = true;
      } else if (held) this.readModels.addHeldAudit(held);
    } finally {
      if (this.partitions === partitions) this.partitions = null;
      await partitions?.stop();
      if (bulk && !committed) await bulk.abort();
      if (!bulk) this.readModels.bulkWrites(false);
    }
    this.applied = head;
    // With a writer thread, everything up to the head is written; otherwise the flush writes it.
    this.sinceFlush += bulk ? 0 : events;
    this.flush();
    this.releaseWaiters();
    // The subscription that brought the first batch is behind the head now: go on from the head instead.
    const behind = this.subscription;
    this.subscription = null;
    this.generation += 1;
    void behind?.stop().catch(() => undefined);
    this.subscribe(false);
  }

  /**
   * Where a replay from zero up to `head` cuts the streams for partitions on threads of their own (see
   * {@link ProjectorOptions.replayThreads}), with the module they run and the file they read: null for a
   * short replay, a store without a file for other threads to read, one thread, or while something
   * listens to the replay's changes (which are delivered from this thread only).
   */
  private async partitionPlan(
    head: Position,
  ): Promise<{ worker: ReplayWorker; file: string; cuts: string[] } | null> {
    const threads = this.options.replayThreads ?? Math.min(availableParallelism(), MAX_REPLAY_THREADS);
    const worker =
      this.options.replayWorker === undefined ? DEFAULT_REPLAY_WORKER : this.options.replayWorker;
    const file = this.store.file;
    if (threads < 2 || worker === null || this.listeners.size > 0) return null;
    if (file === undefined || !this.store.splitStreams) return null;
    if (head.commit < BigInt(this.options.partitionFromPosition ?? 200_000)) return null;
    const cuts = await this.store.splitStreams(head, threads);
    return cuts.length > 0 ? { worker, file, cuts } : null;
  }

  /**
   * The subscription stopped or a write failed. An event the store cannot decode is skipped like an
   * event of an unknown type, and the subscription goes on after it at once; anything else is retried
   * from the last checkpoint after a delay.
   */
  private fail(error: unknown): void {
    const dropped = this.subscription;
    this.subscription = null;
    this.generation += 1;
    void dropped?.stop().catch(() => undefined);
    if (!this.running) return;
    if (error instanceof UnreadableEventError && comparePositions(error.event.position, this.applied) > 0) {
      this.skipUnreadable(error);
      return;
    }
    this.failure = error;
    this.caughtUp = false;
    this.failures += 1;
    this.failingSince ??= Date.now();
    // A checkpoint beyond the store's last event cannot heal by waiting: the read models must be rebuilt.
    const permanent = error instanceof CheckpointBeyondHeadError;
    if (permanent) this.permanentFailure = true;
    if (this.options.retry === false || permanent) {
      this.options.onProblem?.(`the read models stopped: ${describe(error)}`, error);
      this.running = false;
      this.started?.reject(error instanceof Error ? error : new Error(String(error)));
      this.started = null;
      return;
    }
    const retry = this.retryPolicy();
    const first = retry.firstDelayMs ?? 500;
    const longest = retry.maxDelayMs ?? 30_000;
    const full = Math.min(longest, first * 2 ** Math.min(this.failures - 1, 30));
    const delay = Math.round(full * (1 - 0.5 * (this.options.random ?? Math.random)()));
    this.options.onProblem?.(
      `the read models stopped (failure ${this.failures}): ${describe(error)}; trying again in ${delay} ms from the last checkpoint`,
      error,
    );
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      if (!this.running) return;
      try {
        this.backToCommitted();
      } catch (failure) {
        this.fail(failure);
        return;
      }
      this.subscribe();
    }, delay);
    this.retryTimer.unref();
  }

  /** Skips an event the store cannot decode, records it, and subscribes again after it. */
  private skipUnreadable(error: UnreadableEventError): void {
    const { event } = error;
    try {
      this.recordSkipped(skippedOf(event, error.reason), error);
      this.applied = event.position;
      this.sinceFlush += 1;
      // Live, the skip is written at once (skips are rare), so that a restart does not meet it again.
      if (this.caughtUp) this.flush();
      this.releaseWaiters();
    } catch (failure) {
      this.fail(failure);
      return;
    }
    this.subscribe();
  }

  /** Records an event that cannot be read: a problem now, and a row in the write in progress. */
  private recordSkipped(skipped: SkippedEvent, error: unknown): void {
    this.readModels.addSkipped(skipped);
    this.noteSkipped(skipped, error);
  }

  /** Counts and reports an event that cannot be read, once (see {@link recordSkipped}). */
  private noteSkipped(skipped: SkippedEvent, error: unknown): void {
    // A replay after a failure meets again the events skipped since the last checkpoint.
    if (this.skipped.has(skipped.position)) return;
    this.skipped.add(skipped.position);
    const message = skippedMessage(skipped);
    this.problemCount += 1;
    this.problems.push(message);
    if (this.problems.length > PROBLEMS_KEPT) this.problems.shift();
    this.options.onProblem?.(message, error);
  }

  /**
   * Forgets what is in memory and not written, and goes back to what the file holds: its checkpoint and
   * summaries. After a failed write the transaction in progress is gone, and with it rows the memory
   * no longer holds; replaying from the checkpoint makes them again.
   */
  private backToCommitted(): void {
    this.cancelIdleFlush();
    this.readModels.discardPending();
    this.summaries.clear();
    this.loaded.clear();
    this.dirty.clear();
    this.unsummarised.clear();
    this.texts = null;
    this.sinceFlush = 0;
    const checkpoint = this.readModels.checkpoint();
    for (const summary of this.readModels.loadSummaries()) this.summaries.set(summary.id, summary);
    this.applied = checkpoint === null ? null : parsePosition(checkpoint);
  }

  private retryPolicy(): RetryPolicy {
    return this.options.retry === false ? {} : (this.options.retry ?? {});
  }

  /** What the projector is doing and, when it is not well, why. */
  status(): ProjectorStatus {
    const failingSince = this.failingSince === null ? null : new Date(this.failingSince).toISOString();
    const reason = this.failure === null ? null : describe(this.failure);
    const common = { failures: this.failures, failingSince };
    if (this.permanentFailure) return { state: 'failed', reason, ...common };
    if (!this.running) return { state: 'stopped', reason, ...common };
    if (this.failure !== null) {
      const giveUpAfter = this.retryPolicy().giveUpAfterMs ?? 300_000;
      const failed = this.failingSince !== null && Date.now() - this.failingSince > giveUpAfter;
      return { state: failed ? 'failed' : 'retrying', reason, ...common };
    }
    if (this.interruption !== null) return { state: 'interrupted', reason: this.interruption, ...common };
    return { state: this.caughtUp ? 'live' : 'catching-up', reason: null, ...common };
  }

  async stop(): Promise<void> {
    this.running = false;
    this.generation += 1;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    // A replay from zero in progress sees the stop at its next batch and drops what it wrote (its writer
    // thread, if any, is gone when it settles); its partitions are ended now, not at their runs' ends
    // (the subscription's stop waits for the replay, which waits for them).
    await this.partitions?.stop();
    const subscription = this.subscription;
    this.subscription = null;
    await subscription?.stop();
    await this.replay?.catch(() => undefined);
    this.cancelIdleFlush();
    // After a failure the memory may hold what the file lacks only in part: the next start replays.
    if (this.failure === null) this.flush();
  }

  /** Forgets every read model and replays all history from the first event. */
  async rebuild(): Promise<void> {
    await this.stop();
    this.readModels.clear();
    // start() goes back to what the (now empty) file holds.
    this.caughtUp = false;
    this.failure = null;
    this.failures = 0;
    this.failingSince = null;
    await this.start();
  }

  /** The whole view of one oppdrag: from memory when changed or used lately, else from the file. */
  view(id: string): OppdragView | undefined {
    // The summaries say which oppdrag exist (with the changed ones not yet summarised).
    if (!this.summaries.has(id) && !this.unsummarised.has(id)) return undefined;
    const inMemory = this.loaded.get(id);
    if (inMemory) {
      inMemory.used = ++this.uses;
      return inMemory.view;
    }
    const read = this.readModels.loadView(id);
    if (read) this.keep(read, false);
    return read;
  }

  searchText(id: string): string {
    if (!this.texts) {
      const texts = this.readModels.loadSearchTexts();
      // Views changed since they were written may be newer than their stored text.
      for (const id of this.dirty) {
        const view = this.loaded.get(id)?.view;
        if (view) texts.set(id, searchTextOf(view));
      }
      this.texts = texts;
    }
    return this.texts.get(id) ?? '';
  }

  /** Every view, in id order, read one at a time (for tools that compare or digest all of them). */
  *allViews(): Generator<OppdragView> {
    for (const id of [...this.summaries.keys()].sort()) {
      const view = this.view(id);
      if (view) yield view;
    }
  }

  /** True once the projector has applied everything stored when it last looked. */
  isCaughtUp(): boolean {
    return this.caughtUp && this.failure === null;
  }

  /** The position of the last event applied to the in-memory views. */
  position(): Position | null {
    return this.applied;
  }

  /** The latest problems (events skipped, failures), oldest first; see {@link problemTotal}. */
  problemLog(): readonly string[] {
    return this.problems;
  }

  /** How many events have been skipped, including those the list no longer holds and earlier runs'. */
  problemTotal(): number {
    return this.problemCount;
  }

  /** Resolves when the views include the event at `position`: read-your-writes for a mutation. */
  waitFor(position: Position, timeoutMs = 5000): Promise<void> {
    if (this.applied && this.applied.commit >= position.commit) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w.resolve !== done);
        reject(new Error(`read models did not reach position ${position.commit} within ${timeoutMs} ms`));
      }, timeoutMs);
      const done = (): void => {
        clearTimeout(timer);
        resolve();
      };
      this.waiters.push({ commit: position.commit, resolve: done });
    });
  }

  onChange(listener: (change: ProjectionChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** An oppdrag event decoded, or null for another stream's event or one that cannot be read (recorded). */
  private decode(recorded: RecordedEvent): StoredOppdragEvent | null {
    return decodeOppdragEvent(recorded, (skipped, error) => this.recordSkipped(skipped, error));
  }

  private handleBatch(batch: readonly RecordedEvent[]): void {
    const replaying = !this.caughtUp;
    const audit: AuditIndexEntry[] = [];
    for (const recorded of batch) {
      this.applied = recorded.position;
      const stored = this.decode(recorded);
      if (!stored) continue;
      const id = stored.oppdragId;
      const before = this.view(id);
      const after = applyToView(before, stored);
      if (!after || after === before) continue;
      this.unsummarised.add(id);
      this.keep(after, true);
      audit.push(auditIndexEntryOf(stored));
      for (const listener of this.listeners) listener({ view: after, event: stored, replaying });
    }
    // The batch's audit rows go into the read-model write in progress; the next flush commits them with
    // the views and the checkpoint, in one transaction.
    this.readModels.addAudit(audit);
    this.sinceFlush += batch.length;
    // While catching up, summaries are made when the views are written (once per view instead of once per
    // event); once live, after every batch, so that a query after a command sees its effect.
    if (
      this.sinceFlush >= (this.options.flushEveryEvents ?? 500_000) ||
      (!replaying && performance.now() - this.lastFlush >= (this.options.liveFlushMs ?? 5000))
    )
      this.flush();
    else if (!replaying) {
      this.summarise();
      // Live changes are written with the next batch once the interval has passed, or by this timer
      // if no batch comes.
      this.idleFlush ??= setTimeout(() => {
        this.idleFlush = null;
        this.flushWhenIdle();
      }, this.options.liveFlushMs ?? 5000).unref();
    }
    this.releaseWaiters();
  }

  private cancelIdleFlush(): void {
    if (this.idleFlush) clearTimeout(this.idleFlush);
    this.idleFlush = null;
  }

  /** A write from the idle timer: a failure is handled as the subscription's would be. */
  private flushWhenIdle(): void {
    if (this.failure !== null || !this.subscription) return;
    try {
      this.flush();
    } catch (error) {
      this.fail(error);
    }
  }

  private flush(): void {
    this.cancelIdleFlush();
    if (!this.applied || (this.sinceFlush === 0 && this.dirty.size === 0)) return;
    this.summarise();
    this.readModels.write(this.changedViews([...this.dirty]), formatPosition(this.applied));
    this.dirty.clear();
    this.sinceFlush = 0;
    this.lastFlush = performance.now();
  }

  /** The views of these ids with their summaries, in id order (the upserts then walk the table in order). */
  private changedViews(ids: string[]): Array<{ view: OppdragView; summary: OppdragSummary }> {
    const changed: Array<{ view: OppdragView; summary: OppdragSummary }> = [];
    for (const id of ids.sort()) {
      const view = this.loaded.get(id)?.view;
      const summary = this.summaries.get(id);
      if (view && summary) changed.push({ view, summary });
    }
    return changed;
  }

  /** Brings the summaries of the views changed since they were last made up to date. */
  private summarise(): void {
    for (const id of this.unsummarised) {
      const view = this.loaded.get(id)?.view;
      if (!view) continue;
      this.summaries.set(id, summaryOf(view));
      this.texts?.set(id, searchTextOf(view));
    }
    this.unsummarised.clear();
  }

  /**
   * Keeps a view in memory as the most recently used. Beyond the limit, the least recently used are let
   * go; those changed since they were written are first added to the write in progress (committed with
   * the next checkpoint), so nothing is lost and a later event reads them back from the file.
   */
  private keep(view: OppdragView, changed: boolean): void {
    const id = view.oppdrag.id;
    const entry = this.loaded.get(id);
    if (entry) {
      entry.view = view;
      entry.used = ++this.uses;
    } else this.loaded.set(id, { view, used: ++this.uses });
    if (changed) this.dirty.add(id);
    const limit = this.options.cachedViews ?? 50_000;
    // Never the view just kept (the most recently used), whatever the limit.
    if (this.loaded.size > limit)
      this.letGo(Math.min(this.loaded.size - 1, this.loaded.size - limit + Math.ceil(limit / 10)));
  }

  /** Lets go of the `count` least recently used views (a tenth of the limit at a time, so writes batch). */
  private letGo(count: number): void {
    const oldest = [...this.loaded].sort((a, b) => a[1].used - b[1].used).slice(0, count);
    const toWrite: string[] = [];
    for (const [id, { view }] of oldest) {
      if (!this.dirty.has(id)) continue;
      toWrite.push(id);
      if (this.unsummarised.delete(id)) {
        this.summaries.set(id, summaryOf(view));
        this.texts?.set(id, searchTextOf(view));
      }
    }
    if (toWrite.length > 0) {
      this.readModels.stageViews(this.changedViews(toWrite));
      for (const id of toWrite) this.dirty.delete(id);
    }
    for (const [id] of oldest) this.loaded.delete(id);
  }

  private releaseWaiters(): void {
    if (!this.applied || this.waiters.length === 0) return;
    const reached = this.applied.commit;
    const ready = this.waiters.filter((w) => w.commit <= reached);
    this.waiters = this.waiters.filter((w) => w.commit > reached);
    for (const w of ready) w.resolve();
  }
}

/** How many problem messages the projector keeps in memory (the count goes on). */
const PROBLEMS_KEPT = 100;

const skippedMessage = (skipped: SkippedEvent): string =>
  `event ${skipped.eventId} at ${skipped.position.split('/')[0]} in ${skipped.streamId} (${skipped.type}) cannot be read and was skipped: ${skipped.reason}`;

const describe = (error: unknown): string => (error instanceof Error ? error.message : String(error));
