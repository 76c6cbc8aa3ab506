import { Worker, type MessagePort } from 'node:worker_threads';
import { formatPosition, type Position } from '#event-store';
import { sharedParts, type OppdragSummary } from './oppdrag-view.js';
import type { FromReplayPartition, ReplayPartitionData } from './replay-partition.js';
import type { SkippedEvent } from './read-model-rows.js';

/** The module a partition of a replay runs on its thread, with the flags its thread needs to load it. */
export interface ReplayWorker {
  readonly url: URL;
  readonly execArgv?: readonly string[];
}

/** The compiled partition module beside this file; none where this file runs from its TypeScript source. */
export const DEFAULT_REPLAY_WORKER: ReplayWorker | null = import.meta.url.endsWith('.js')
  ? { url: new URL('./replay-partition-thread.js', import.meta.url) }
  : null;

/** What {@link ReplayPartitions} starts, and where what the partitions tell goes. */
export interface ReplayPartitionsOptions {
  readonly worker: ReplayWorker;
  /** The event store's file, which each partition opens. */
  readonly file: string;
  readonly upTo: Position;
  readonly batchSize: number;
  /** Stream ids, ascending: a partition folds the streams from each cut on, up to the next. */
  readonly cuts: readonly string[];
  /** A port to the replay's writer thread, for one partition (see BulkReadModelWriter.openPort). */
  readonly openPort: () => MessagePort;
  /** An oppdrag a partition folded: its summary and its search text. */
  readonly onOppdrag: (summary: OppdragSummary, text: string) => void;
  /** An event a partition could not read. */
  readonly onSkipped: (skipped: SkippedEvent, error: Error) => void;
}

/**
 * The partitions of a replay from zero on threads of their own (see `replay-partition.ts`), one for each
 * cut: each folds its streams and writes them through its own port to the replay's writer thread, and
 * sends each oppdrag's summary and search text here.
 */
export class ReplayPartitions {
  /** The first failure of a partition (a stop is not one). */
  failure: Error | null = null;
  /** Each partition's count of events read, once everything it folded is written (not committed). */
  readonly done: Promise<number>[] = [];
  private readonly threads: Worker[] = [];
  private stopping = false;

  constructor(private readonly options: ReplayPartitionsOptions) {
    try {
      options.cuts.forEach((from, i) => this.start(from, options.cuts[i + 1], i + 1));
    } catch (error) {
      void this.stop();
      throw error;
    }
  }

  /** Stops every partition's thread; what they sent is dropped with the replay's write. */
  async stop(): Promise<void> {
    this.stopping = true;
    await Promise.all(this.threads.map((thread) => thread.terminate()));
  }

  private start(from: string, before: string | undefined, n: number): void {
    const { options } = this;
    const writer = options.openPort();
    const data: ReplayPartitionData = {
      file: options.file,
      upTo: formatPosition(options.upTo),
      streams: before === undefined ? { from } : { from, before },
      batchSize: options.batchSize,
      writer,
    };
    const thread = new Worker(options.worker.url, {
      workerData: data,
      transferList: [writer],
      execArgv: [...(options.worker.execArgv ?? [])],
      name: `replay-partition-${n}`,
    });
    this.threads.push(thread);
    const done = new Promise<number>((resolve, reject) => {
      let settled = false;
      const failed = (error: Error): void => {
        if (settled) return;
        settled = true;
        if (!this.stopping) {
          this.failure ??= error;
          // The replay fails with it: the other partitions need not finish their runs.
          void this.stop();
        }
        reject(error);
      };
      thread.on('message', (message: FromReplayPartition) => {
        // What it tells is kept on this thread (which may fail: the writer may have failed meanwhile);
        // a failure here fails the partition, never the process.
        try {
          if (message.type === 'oppdrag') {
            const { items } = message;
            for (let k = 0; k < items.length; k += 2)
              // Parts shared as summaryOf makes them (a summary of every oppdrag stays in memory).
              options.onOppdrag(
                sharedParts(JSON.parse(items[k] as string) as OppdragSummary),
                items[k + 1] as string,
              );
          } else if (message.type === 'skipped') {
            options.onSkipped(message.skipped, new Error(message.message));
          } else if (message.type === 'done') {
            settled = true;
            resolve(message.events);
          } else failed(new Error(`a partition of the replay failed: ${message.message}`));
        } catch (error) {
          failed(error instanceof Error ? error : new Error(String(error)));
          void thread.terminate();
        }
      });
      thread.on('error', (error) => failed(error));
      thread.on('exit', (code) =>
        failed(new Error(`a partition of the replay stopped before it was done (exit code ${code})`)),
      );
    });
    // Whoever started the partitions waits on `done`; a partition stopped before that (see the
    // constructor) must not leave its rejection unhandled.
    done.catch(() => undefined);
    this.done.push(done);
  }
}
