import type { MessagePort } from 'node:worker_threads';
import { parsePosition, SqliteEventStore, type StreamRange } from '#event-store';
import { bulkSenderOver } from './bulk-writer.js';
import { searchTextOf } from './oppdrag-view.js';
import type { SkippedEvent } from './read-model-rows.js';
import { decodeOppdragEvent, foldStreams, skippedOf } from './stream-fold.js';

/**
 * One partition of a replay from zero, on a thread of its own: the streams of a run of stream ids (see
 * `EventStore.splitStreams`), read through a connection of its own to the embedded store's file, folded
 * as the replay's own thread folds its part (see {@link foldStreams}), and handed straight to the
 * replay's writer thread through a port of their own (see `BulkReadModelWriter.openPort`). The replay's
 * thread gets each oppdrag's summary and search text, which it keeps in memory.
 */

/** What a partition's thread is started with. */
export interface ReplayPartitionData {
  /** The event store's file. */
  readonly file: string;
  /** The head the replay goes up to, as formatted (see formatPosition). */
  readonly upTo: string;
  readonly streams: StreamRange;
  readonly batchSize: number;
  /** The port to the replay's writer thread. */
  readonly writer: MessagePort;
}

export type FromReplayPartition =
  /** Oppdrag folded: for each, its summary's JSON and its search text. */
  | { readonly type: 'oppdrag'; readonly items: string[] }
  | { readonly type: 'skipped'; readonly skipped: SkippedEvent; readonly message: string }
  /** Everything is folded and written by the writer thread (not yet committed). */
  | { readonly type: 'done'; readonly events: number }
  | { readonly type: 'failed'; readonly message: string };

/** Oppdrag per message to the replay's thread. */
const OPPDRAG_PER_MESSAGE = 256;

/** Runs one partition, telling `report` what it folds; resolves when done (or failed, which it reports). */
export async function runReplayPartition(
  data: ReplayPartitionData,
  report: (message: FromReplayPartition) => void,
): Promise<void> {
  let store: SqliteEventStore | null = null;
  try {
    store = new SqliteEventStore({ path: data.file });
    const sender = bulkSenderOver(data.writer);
    let items: string[] = [];
    const send = (): void => {
      if (items.length === 0) return;
      report({ type: 'oppdrag', items });
      items = [];
    };
    const skip = (skipped: SkippedEvent, error: unknown): void => {
      sender.addSkipped(skipped);
      report({ type: 'skipped', skipped, message: error instanceof Error ? error.message : String(error) });
    };
    const scan = store.scanByStream.bind(store);
    const events = await foldStreams({
      scan,
      upTo: parsePosition(data.upTo),
      streams: data.streams,
      batchSize: data.batchSize,
      stopped: () => sender.failed !== null,
      decode: (recorded) => decodeOppdragEvent(recorded, skip),
      onUnreadable: (error) => skip(skippedOf(error.event, error.reason), error),
      onViews: (finished) => {
        for (const { view, summary } of finished) {
          const id = view.oppdrag.id;
          const summaryJson = JSON.stringify(summary);
          const text = searchTextOf(view);
          sender.addView(id, JSON.stringify(view), summaryJson, text);
          items.push(summaryJson, text);
        }
        if (items.length >= OPPDRAG_PER_MESSAGE * 2) send();
      },
      onAudit: (entries) => sender.addAudit(entries),
      afterBatch: () => sender.ready(),
    });
    send();
    await sender.drained();
    data.writer.close();
    report({ type: 'done', events });
  } catch (error) {
    report({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
  } finally {
    await store?.close().catch(() => undefined);
  }
}
