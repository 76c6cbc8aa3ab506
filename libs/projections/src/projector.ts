import { isOppdragStream, toStoredOppdragEvent, type StoredOppdragEvent } from '#application';
import {
  formatPosition,
  parsePosition,
  type EventStore,
  type Position,
  type RecordedEvent,
  type Subscription,
} from '#event-store';
import { applyToView, type OppdragView } from './oppdrag-view.js';
import type { AuditIndexEntry, ReadModelStore } from './read-model-store.js';
import { ViewMap } from './view-index.js';

export interface ProjectionChange {
  readonly view: OppdragView;
  readonly event: StoredOppdragEvent;
  /** True while the projector is still catching up on history (no live notification is due). */
  readonly replaying: boolean;
}

export interface ProjectorOptions {
  /** Write views and checkpoint at least every this many events while catching up. */
  readonly flushEveryEvents?: number;
  readonly batchSize?: number;
  readonly onProblem?: (message: string, error: unknown) => void;
}

/**
 * Feeds the read models from the store's catch-up subscription, never from an in-process bus. The views
 * live in memory for queries and are written, with the audit index and the checkpoint, in one transaction
 * whenever the projector catches up (and at intervals during a long replay).
 */
export class OppdragProjector {
  /** The views by oppdrag id (a Map that tells query indexes about changes). */
  readonly views: Map<string, OppdragView> = new ViewMap();
  private subscription: Subscription | null = null;
  private applied: Position | null = null;
  private dirty = new Set<string>();
  private sinceFlush = 0;
  private caughtUp = false;
  private waiters: Array<{ commit: bigint; resolve: () => void }> = [];
  private listeners = new Set<(change: ProjectionChange) => void>();
  private readonly problems: string[] = [];
  private failure: unknown = null;

  constructor(
    private readonly store: EventStore,
    private readonly readModels: ReadModelStore,
    private readonly options: ProjectorOptions = {},
  ) {}

  /** Loads the stored views, subscribes from the stored checkpoint and resolves once caught up. */
  start(): Promise<void> {
    const checkpoint = this.readModels.checkpoint();
    for (const view of this.readModels.loadViews()) this.views.set(view.oppdrag.id, view);
    this.applied = checkpoint === null ? null : parsePosition(checkpoint);
    return new Promise<void>((resolve, reject) => {
      this.subscription = this.store.subscribeToAll({
        after: this.applied,
        // Batches of 1,000 keep a long replay's peak memory down (fewer events alive at once) at no cost
        // in speed compared with 5,000.
        batchSize: this.options.batchSize ?? 1000,
        handle: (batch) => this.handleBatch(batch),
        onCaughtUp: () => {
          this.flush();
          this.caughtUp = true;
          resolve();
        },
        onError: (error) => {
          this.failure = error;
          this.options.onProblem?.('the projection subscription stopped', error);
          reject(error instanceof Error ? error : new Error(String(error)));
        },
      });
    });
  }

  async stop(): Promise<void> {
    await this.subscription?.stop();
    this.subscription = null;
    this.flush();
  }

  /** Forgets every read model and replays all history from the first event. */
  async rebuild(): Promise<void> {
    await this.stop();
    this.readModels.clear();
    this.views.clear();
    this.applied = null;
    this.caughtUp = false;
    await this.start();
  }

  /** True once the projector has applied everything stored when it last looked. */
  isCaughtUp(): boolean {
    return this.caughtUp && this.failure === null;
  }

  /** The position of the last event applied to the in-memory views. */
  position(): Position | null {
    return this.applied;
  }

  problemLog(): readonly string[] {
    return this.problems;
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

  private handleBatch(batch: readonly RecordedEvent[]): void {
    const replaying = !this.caughtUp;
    const audit: AuditIndexEntry[] = [];
    for (const recorded of batch) {
      this.applied = recorded.position;
      if (!isOppdragStream(recorded.streamId)) continue;
      let stored: StoredOppdragEvent;
      try {
        stored = toStoredOppdragEvent(recorded);
      } catch (error) {
        const message = `event ${recorded.id} at ${recorded.position.commit} (${recorded.type}) cannot be read: ${(error as Error).message}`;
        this.problems.push(message);
        this.options.onProblem?.(message, error);
        continue;
      }
      const before = this.views.get(stored.oppdragId);
      const after = applyToView(before, stored);
      if (!after || after === before) continue;
      this.views.set(stored.oppdragId, after);
      this.dirty.add(stored.oppdragId);
      audit.push(auditIndexEntryOf(stored));
      for (const listener of this.listeners) listener({ view: after, event: stored, replaying });
    }
    // The batch's audit rows go into the read-model write in progress; the next flush commits them with
    // the views and the checkpoint, in one transaction.
    this.readModels.addAudit(audit);
    this.sinceFlush += batch.length;
    if (this.sinceFlush >= (this.options.flushEveryEvents ?? 100_000)) this.flush();
    this.releaseWaiters();
  }

  private flush(): void {
    if (!this.applied || (this.sinceFlush === 0 && this.dirty.size === 0)) return;
    // In id order: the upserts then walk the views table's index in order instead of at random.
    const views = [...this.dirty]
      .sort()
      .map((id) => this.views.get(id))
      .filter((v): v is OppdragView => v !== undefined);
    this.readModels.write(views, [], formatPosition(this.applied));
    this.dirty.clear();
    this.sinceFlush = 0;
  }

  private releaseWaiters(): void {
    if (!this.applied || this.waiters.length === 0) return;
    const reached = this.applied.commit;
    const ready = this.waiters.filter((w) => w.commit <= reached);
    this.waiters = this.waiters.filter((w) => w.commit > reached);
    for (const w of ready) w.resolve();
  }
}

function auditIndexEntryOf(stored: StoredOppdragEvent): AuditIndexEntry {
  const actor = stored.metadata.actor;
  return {
    position: stored.position.commit.toString(),
    oppdragId: stored.oppdragId,
    revision: stored.revision,
    type: stored.event.type,
    recordedAt: stored.recordedAt,
    actorUserId: actor?.userId ?? 'ukjent',
    actorOrganisation: actor?.organisationId ?? 'ukjent',
  };
}
