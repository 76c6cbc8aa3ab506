import {
  isOppdragStream,
  toStoredOppdragEvent,
  type StoredOppdragEvent,
} from '#application/stored-events.js';
import {
  formatPosition,
  type EventStore,
  type Position,
  type RecordedEvent,
  type StreamRange,
  type UnreadableEvent,
} from '#event-store';
import { auditIndexEntryOf } from './audit-trail.js';
import { summaryOf } from './oppdrag-view.js';
import { ViewFold } from './replay-fold.js';
import type { AuditIndexEntry, ChangedView, SkippedEvent } from './read-model-rows.js';

/**
 * How many views a replay stream by stream hands over at a time: few, so that a view and the event data
 * it holds are gone before the garbage collector moves them to the old generation (with 500, more of them
 * lived there, to be collected by the costlier full collections).
 */
const VIEWS_PER_STAGE = 32;

/** What {@link foldStreams} reads, and where what it makes goes. */
export interface FoldStreamsOptions {
  readonly scan: NonNullable<EventStore['scanByStream']>;
  readonly upTo: Position;
  /** Only these streams (see `splitStreams`); all when left out. */
  readonly streams?: StreamRange;
  readonly batchSize: number;
  readonly stopped: () => boolean;
  /** An event of an oppdrag stream as stored, or null when it is not one or cannot be read (see decodeOppdragEvent). */
  readonly decode: (recorded: RecordedEvent) => StoredOppdragEvent | null;
  readonly onUnreadable: (error: UnreadableEvent) => void;
  /** Each oppdrag's view and summary, once its stream is folded, a few at a time. */
  readonly onViews: (finished: ChangedView[]) => void;
  /** The audit rows of a batch's events, in the order read (stream by stream). */
  readonly onAudit: (entries: AuditIndexEntry[]) => void;
  /**
   * Each event that changed its oppdrag, with the fold so far; true when the caller keeps its audit row
   * itself (it is then not given to onAudit).
   */
  readonly onApplied?: (stored: StoredOppdragEvent, fold: ViewFold) => boolean;
  /** After each batch: the next is read when this settles. */
  readonly afterBatch: () => Promise<void>;
}

/**
 * Folds every oppdrag stream the scan gives, one stream after another: each view is folded from its first
 * event to its last with the domain's `evolve` (see {@link ViewFold}), made once at the end of its stream,
 * and handed over with its summary; nothing of a stream is kept after it. Resolves with the number of
 * events read, when the scan has ended (or was stopped). The last views are handed over before it
 * resolves, unless stopped.
 */
export async function foldStreams(options: FoldStreamsOptions): Promise<number> {
  let current: { id: string; fold: ViewFold } | null = null;
  let finished: ChangedView[] = [];
  let events = 0;
  const handOver = (): void => {
    if (finished.length === 0) return;
    const views = finished;
    finished = [];
    options.onViews(views);
  };
  const finish = (): void => {
    const view = current?.fold.view();
    current = null;
    if (!view) return;
    finished.push({ view, summary: summaryOf(view) });
    if (finished.length >= VIEWS_PER_STAGE) handOver();
  };
  await options.scan({
    upTo: options.upTo,
    batchSize: options.batchSize,
    stopped: options.stopped,
    ...(options.streams ? { streams: options.streams } : {}),
    onUnreadable: options.onUnreadable,
    handle: (batch) => {
      const audit: AuditIndexEntry[] = [];
      for (const recorded of batch) {
        events += 1;
        const stored = options.decode(recorded);
        if (!stored) continue;
        if (current?.id !== stored.oppdragId) {
          finish();
          current = { id: stored.oppdragId, fold: new ViewFold() };
        }
        // The state is folded without a view per event; the view is made once, when handed over.
        if (!current.fold.apply(stored)) continue;
        if (!options.onApplied?.(stored, current.fold)) audit.push(auditIndexEntryOf(stored));
      }
      options.onAudit(audit);
      return options.afterBatch();
    },
  });
  if (!options.stopped()) {
    finish();
    handOver();
  }
  return events;
}

/**
 * An event as an oppdrag's stored event; null for an event of another stream, and for one that cannot be
 * read, which is given to `skip` with the reason.
 */
export function decodeOppdragEvent(
  recorded: RecordedEvent,
  skip: (skipped: SkippedEvent, error: unknown) => void,
): StoredOppdragEvent | null {
  if (!isOppdragStream(recorded.streamId)) return null;
  try {
    return toStoredOppdragEvent(recorded);
  } catch (error) {
    skip(skippedOf(recorded, error instanceof Error ? error.message : String(error)), error);
    return null;
  }
}

/** An event that cannot be read, as the read models record it. */
export const skippedOf = (
  event: Pick<RecordedEvent, 'id' | 'streamId' | 'type' | 'position'>,
  reason: string,
): SkippedEvent => ({
  position: formatPosition(event.position),
  eventId: event.id,
  streamId: event.streamId,
  type: event.type,
  reason,
});
