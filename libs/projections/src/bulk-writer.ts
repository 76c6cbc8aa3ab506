import { createRequire } from 'node:module';
import { MessageChannel, Worker, type MessagePort } from 'node:worker_threads';
import type Database from 'better-sqlite3';
import {
  WRITE_STATEMENTS,
  type AuditIndexEntry,
  type ChangedView,
  type SkippedEvent,
} from './read-model-rows.js';
import { searchTextOf } from './oppdrag-view.js';

/**
 * The writing half of a replay from zero, on a worker thread: the views, summaries, audit rows and skipped
 * events a replay makes go over to a connection of its own, which inserts them while the replay goes on
 * folding the next streams, and commits them with the checkpoint in one transaction. The replay's own
 * thread still makes every view's JSON; the worker does the SQLite work (the inserts, and ordering the
 * audit rows by position).
 *
 * The worker runs the source text of {@link runBulkWriterThread} (see {@link BULK_WRITER_SOURCE}), so that
 * it needs no compiled file of its own next to this one (tests run the TypeScript sources): that function
 * refers to nothing outside itself but Node's built-in modules and the data it is started with.
 */

/** What the worker is started with. */
interface BulkWriterData {
  readonly path: string;
  /** The resolved path of better-sqlite3, which the worker loads with createRequire. */
  readonly driver: string;
  /** Whether to write through a rollback journal instead of the write-ahead log (see ReadModelStore). */
  readonly withoutLog: boolean;
  readonly cacheKib: number;
  readonly rowsPerInsert: number;
  /** The store's own statements for what the worker writes (see WRITE_STATEMENTS). */
  readonly statements: typeof WRITE_STATEMENTS;
}

/**
 * Audit rows as columns; the texts of a row (oppdrag id, type, actor user, organisation) as numbers into
 * the list of texts sent so far, to which `texts` adds the new ones.
 */
interface AuditColumns {
  readonly positions: BigInt64Array<ArrayBuffer>;
  readonly revisions: Float64Array<ArrayBuffer>;
  readonly refs: Uint32Array<ArrayBuffer>;
  readonly texts: string[];
  readonly recordedAt: string[];
}

type ToBulkWriter =
  | {
      readonly type: 'views';
      readonly texts: Uint8Array<ArrayBuffer>;
      readonly ends: Uint32Array<ArrayBuffer>;
    }
  | { readonly type: 'audit'; readonly audit: AuditColumns }
  | { readonly type: 'skipped'; readonly row: [string, string, string, string, string] }
  | { readonly type: 'commit'; readonly checkpoint: string }
  | { readonly type: 'port'; readonly port: MessagePort };

type FromBulkWriter =
  | { readonly type: 'begun' }
  | { readonly type: 'done'; readonly count: number; readonly spare: ArrayBuffer | null }
  | { readonly type: 'committed' }
  | { readonly type: 'failed'; readonly code: string; readonly message: string };

const ENCODER = new TextEncoder();

/** Views are sent this many at a time. */
const VIEWS_PER_MESSAGE = 128;
/** Messages sent and not yet written; beyond this, {@link BulkReadModelWriter.ready} waits. */
const MAX_UNWRITTEN_MESSAGES = 16;

/** A write into the read-model file by the worker failed; nothing of the replay was committed. */
export class BulkWriteError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(`writing the read models failed: ${message}`);
    this.name = 'BulkWriteError';
  }
}

/**
 * The sending half of a replay's writes: encodes views, summaries, search texts and audit rows into
 * transferred buffers and posts them to the writer thread (see {@link runBulkWriterThread}), which
 * acknowledges each message it has written. Each sender has a channel of its own: the replay's thread
 * sends through the worker, a partition of a replay on another thread through a port (see
 * {@link BulkReadModelWriter.openPort} and {@link bulkSenderOver}).
 */
export class BulkSender {
  private views: string[] = [];
  /** Buffers of views the worker has written and handed back, for the next messages. */
  private readonly spare: ArrayBuffer[] = [];
  /** The audit rows' texts sent so far, by number (the worker keeps the same list for this channel). */
  private readonly textNumbers = new Map<string, number>();
  private sent = 0;
  private written = 0;
  private failure: Error | null = null;
  private wake: (() => void) | null = null;
  private drainedWake: (() => void) | null = null;

  constructor(private readonly post: (message: ToBulkWriter, transfer: ArrayBuffer[]) => void) {}

  /** Adds views with their summaries. */
  addViews(changed: readonly ChangedView[]): void {
    for (const { view, summary } of changed)
      this.addView(view.oppdrag.id, JSON.stringify(view), JSON.stringify(summary), searchTextOf(view));
  }

  /** Adds one view as its id, its JSON, its summary's JSON and its search text. */
  addView(id: string, view: string, summary: string, text: string): void {
    this.views.push(id, view, summary, text);
    if (this.views.length >= VIEWS_PER_MESSAGE * 4) this.sendViews();
  }

  /**
   * Adds audit rows (in any order: they are written in position order when committed), sent at once: rows
   * held for a larger message outlive the young generation, and the heap grows by them.
   */
  addAudit(entries: readonly AuditIndexEntry[]): void {
    if (entries.length === 0) return;
    const n = entries.length;
    const audit: AuditColumns = {
      positions: new BigInt64Array(n),
      revisions: new Float64Array(n),
      refs: new Uint32Array(n * 4),
      texts: [],
      recordedAt: new Array<string>(n),
    };
    const numbers = this.textNumbers;
    const numberOf = (text: string): number => {
      let k = numbers.get(text);
      if (k === undefined) {
        k = numbers.size;
        numbers.set(text, k);
        audit.texts.push(text);
      }
      return k;
    };
    // Rows come stream by stream: the oppdrag id is mostly the last one's.
    let lastId = '';
    let lastIdNumber = 0;
    entries.forEach((entry, i) => {
      audit.positions[i] = BigInt(entry.position);
      audit.revisions[i] = entry.revision;
      if (entry.oppdragId !== lastId) {
        lastId = entry.oppdragId;
        lastIdNumber = numberOf(lastId);
      }
      audit.refs[i * 4] = lastIdNumber;
      audit.refs[i * 4 + 1] = numberOf(entry.type);
      audit.refs[i * 4 + 2] = numberOf(entry.actorUserId);
      audit.refs[i * 4 + 3] = numberOf(entry.actorOrganisation);
      audit.recordedAt[i] = entry.recordedAt;
    });
    this.send({ type: 'audit', audit }, [audit.positions.buffer, audit.revisions.buffer, audit.refs.buffer]);
  }

  addSkipped(skipped: SkippedEvent): void {
    this.send({
      type: 'skipped',
      row: [skipped.position, skipped.eventId, skipped.streamId, skipped.type, skipped.reason],
    });
  }

  /**
   * Resolves when the worker has caught up enough to take more (so that what waits to be written stays
   * bounded), at once when it has; rejects when it has failed.
   */
  ready(): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.sent - this.written <= MAX_UNWRITTEN_MESSAGES) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      this.wake = () => (this.failure ? reject(this.failure) : resolve());
    });
  }

  /** Sends what is held, and resolves once the worker has written everything sent; rejects when it failed. */
  async drained(): Promise<void> {
    this.sendViews();
    while (!this.failure && this.written < this.sent)
      await new Promise<void>((resolve) => (this.drainedWake = resolve));
    if (this.failure) throw this.failure;
  }

  /** Sends the views held (they are otherwise sent {@link VIEWS_PER_MESSAGE} at a time). */
  flush(): void {
    this.sendViews();
  }

  /** The worker wrote the `count`-th message of this channel, and may hand back its buffer. */
  acknowledged(count: number, spare: ArrayBuffer | null): void {
    this.written = count;
    if (spare && this.spare.length < MAX_UNWRITTEN_MESSAGES) this.spare.push(spare);
    this.wakeUp();
  }

  /** The writer failed (or let go of this channel): what is waiting is rejected, and every later call. */
  fail(error: Error): void {
    this.failure ??= error;
    this.wakeUp();
  }

  get failed(): Error | null {
    return this.failure;
  }

  private wakeUp(): void {
    const wake = this.wake;
    if (wake && (this.failure || this.sent - this.written <= MAX_UNWRITTEN_MESSAGES / 2)) {
      this.wake = null;
      wake();
    }
    const drained = this.drainedWake;
    if (drained && (this.failure || this.written >= this.sent)) {
      this.drainedWake = null;
      drained();
    }
  }

  /**
   * Sends the views added as one transferred buffer of UTF-8 text with the end of each text (a message of
   * strings is copied twice, which cost the replay's thread more than the inserts it saves).
   */
  private sendViews(): void {
    if (this.views.length === 0) return;
    const strings = this.views;
    this.views = [];
    let length = 0;
    for (const text of strings) length += text.length;
    // JSON of Norwegian text is nearly all ASCII: one byte a character and a little room for the rest.
    const room = length + (length >> 3) + 64;
    // A buffer the worker handed back, if one is large enough: a new one for every message is freed only
    // when the worker's heap is collected, which can be long after.
    const reused = this.spare.findIndex((buffer) => buffer.byteLength >= room);
    let texts = reused >= 0 ? new Uint8Array(this.spare.splice(reused, 1)[0]!) : new Uint8Array(room);
    const ends = new Uint32Array(strings.length);
    let at = 0;
    strings.forEach((text, i) => {
      let encoded = ENCODER.encodeInto(text, texts.subarray(at));
      if (encoded.read < text.length) {
        // Three bytes a character is always enough.
        const larger = new Uint8Array(Math.max(texts.length * 2, at + text.length * 3));
        larger.set(texts.subarray(0, at));
        texts = larger;
        encoded = ENCODER.encodeInto(text, texts.subarray(at));
      }
      at += encoded.written;
      ends[i] = at;
    });
    this.send({ type: 'views', texts, ends }, [texts.buffer, ends.buffer]);
  }

  private send(message: ToBulkWriter, transfer: ArrayBuffer[] = []): void {
    if (this.failure) throw this.failure;
    this.sent += 1;
    this.post(message, transfer);
  }
}

/**
 * A sender over a port that {@link BulkReadModelWriter.openPort} opened, for a partition of a replay on
 * another thread. The port closing before the sender is done (the writer failed, or the replay was given
 * up) fails it.
 */
export function bulkSenderOver(port: MessagePort): BulkSender {
  const sender = new BulkSender((message, transfer) => port.postMessage(message, transfer));
  port.on('message', (message: FromBulkWriter) => {
    if (message.type === 'done') sender.acknowledged(message.count, message.spare);
    else if (message.type === 'failed') sender.fail(new BulkWriteError(message.code, message.message));
  });
  port.on('close', () => sender.fail(new BulkWriteError('', 'the writer thread let go of this replay')));
  return sender;
}

/**
 * One replay's writes on a worker thread. Everything added is committed by {@link commit}, in one
 * transaction with the checkpoint, or dropped by {@link abort} (or when the worker fails: the transaction
 * then rolls back). Either way the worker closes its connection and `onEnd` runs, once.
 */
export class BulkReadModelWriter {
  private readonly worker: Worker;
  private readonly sender: BulkSender;
  private failure: Error | null = null;
  private committedOk = false;
  private ended = false;
  private readonly endedPromise: Promise<void>;
  private committed: { resolve: () => void; reject: (error: Error) => void } | null = null;
  private begun: { resolve: () => void; reject: (error: Error) => void } | null = null;
  private readonly begunPromise = new Promise<void>((resolve, reject) => (this.begun = { resolve, reject }));

  constructor(
    path: string,
    options: { withoutLog: boolean; cacheKib: number; rowsPerInsert: number },
    private readonly onEnd: () => void,
  ) {
    const data: BulkWriterData = {
      path,
      driver: createRequire(import.meta.url).resolve('better-sqlite3'),
      statements: WRITE_STATEMENTS,
      ...options,
    };
    this.worker = new Worker(BULK_WRITER_SOURCE, { eval: true, workerData: data, name: 'read-model-writer' });
    this.sender = new BulkSender((message, transfer) => this.worker.postMessage(message, transfer));
    this.worker.on('message', (message: FromBulkWriter) => this.heard(message));
    this.worker.on('error', (error) => this.failed(new BulkWriteError('', error.message)));
    this.endedPromise = new Promise<void>((resolve) =>
      this.worker.once('exit', (code) => {
        this.failed(new BulkWriteError('', `the writer thread stopped (exit code ${code})`));
        this.end();
        resolve();
      }),
    );
  }

  /**
   * Resolves once the worker has opened the file, chosen its journal and begun the transaction; rejects
   * when it could not.
   */
  started(): Promise<void> {
    return this.begunPromise;
  }

  /** Adds views with their summaries (in id order, as a replay stream by stream makes them). */
  addViews(changed: readonly ChangedView[]): void {
    this.sender.addViews(changed);
  }

  /** Adds audit rows (in any order: they are written in position order when committed). */
  addAudit(entries: readonly AuditIndexEntry[]): void {
    this.sender.addAudit(entries);
  }

  addSkipped(skipped: SkippedEvent): void {
    this.sender.addSkipped(skipped);
  }

  /**
   * Resolves when the worker has caught up enough to take more (so that what waits to be written stays
   * bounded), at once when it has; rejects when it has failed.
   */
  ready(): Promise<void> {
    return this.sender.ready();
  }

  /**
   * A channel of its own to the worker, for a partition of the replay on another thread (see
   * {@link bulkSenderOver}): what it sends is written in the same transaction. Everything sent through it
   * must be written (the sender drained) before {@link commit}.
   */
  openPort(): MessagePort {
    if (this.failure) throw this.failure;
    const { port1, port2 } = new MessageChannel();
    this.worker.postMessage({ type: 'port', port: port1 } satisfies ToBulkWriter, [port1]);
    return port2;
  }

  /** Commits everything added, with the checkpoint, in one transaction; then the worker closes. */
  async commit(checkpoint: string): Promise<void> {
    this.sender.flush();
    const done = new Promise<void>((resolve, reject) => (this.committed = { resolve, reject }));
    if (this.failure) throw this.failure;
    this.worker.postMessage({ type: 'commit', checkpoint } satisfies ToBulkWriter);
    await done;
    await this.endedPromise;
  }

  /** Why the worker failed, before it committed; null while it has not. */
  get writeFailure(): Error | null {
    return this.committedOk ? null : this.failure;
  }

  /** Drops everything added (nothing is committed) and waits for the worker to stop. */
  async abort(): Promise<void> {
    if (!this.ended) await this.worker.terminate();
    await this.endedPromise;
  }

  private heard(message: FromBulkWriter): void {
    if (message.type === 'begun') {
      this.begun?.resolve();
      this.begun = null;
    } else if (message.type === 'done') {
      this.sender.acknowledged(message.count, message.spare);
    } else if (message.type === 'committed') {
      this.committedOk = true;
      this.committed?.resolve();
      this.committed = null;
    } else this.failed(new BulkWriteError(message.code, message.message));
  }

  private failed(error: Error): void {
    if (!this.failure && !this.ended) this.failure = error;
    this.sender.fail(error);
    this.committed?.reject(error);
    this.committed = null;
    this.begun?.reject(error);
    this.begun = null;
  }

  private end(): void {
    if (this.ended) return;
    this.ended = true;
    this.onEnd();
  }
}

/**
 * The worker's main: opens its own connection to the read-model file, begins one transaction, inserts
 * what it is sent (audit rows into a staging table, in the order they come), and on `commit` moves the
 * audit rows into the audit index in position order, sets the checkpoint, commits and closes. A failure
 * is answered with `failed`, and the transaction is rolled back when the connection closes.
 */
export function runBulkWriterThread(): void {
  const threads = process.getBuiltinModule('node:worker_threads');
  const { createRequire: requireFrom } = process.getBuiltinModule('node:module');
  const data = threads.workerData as BulkWriterData;
  const port = threads.parentPort;
  if (!port) throw new Error('the read-model writer runs on a worker thread');
  const Driver = requireFrom(data.driver)(data.driver) as typeof Database;
  let db: Database.Database | null = null;
  const say = (message: FromBulkWriter): void => port.postMessage(message);
  /** The ports of partitions of the replay on other threads (see BulkReadModelWriter.openPort). */
  const ports: MessagePort[] = [];
  const closeAll = (): void => {
    for (const other of ports) other.close();
    port.close();
  };
  const fail = (error: unknown): void => {
    const e = error as { code?: unknown; message?: unknown };
    const failed: FromBulkWriter = {
      type: 'failed',
      code: typeof e?.code === 'string' ? e.code : '',
      message: typeof e?.message === 'string' ? e.message : String(error),
    };
    // Every channel hears why, the partitions' ports too, before they are closed.
    say(failed);
    for (const other of ports) other.postMessage(failed);
    try {
      db?.close();
    } finally {
      db = null;
      closeAll();
    }
  };
  try {
    db = new Driver(data.path);
    db.pragma('synchronous = NORMAL');
    db.pragma(`cache_size = -${data.cacheKib}`);
    let switched = false;
    if (data.withoutLog) {
      try {
        // Pages beyond the end of the file when the transaction began need no journal: a replay into a new
        // file writes each page once. It changes only when no other connection has the file open.
        switched = db.pragma('journal_mode = delete', { simple: true }) === 'delete';
      } catch (error) {
        if ((error as { code?: unknown }).code !== 'SQLITE_BUSY') throw error;
      }
    }
    const rowsPerInsert = data.rowsPerInsert;
    const values = (columns: number, rows: number): string =>
      Array.from({ length: rows }, () => `(${Array.from({ length: columns }, () => '?').join(', ')})`).join(
        ', ',
      );
    db.exec(
      `CREATE TEMP TABLE audit_stage (position INTEGER NOT NULL, oppdrag_id TEXT NOT NULL, revision INTEGER NOT NULL,
       type TEXT NOT NULL, recorded_at TEXT NOT NULL, actor_user TEXT NOT NULL, actor_org TEXT NOT NULL)`,
    );
    const upsertView = db.prepare(data.statements.upsertView);
    const upsertSummary = db.prepare(data.statements.upsertSummary);
    const stageOne = db.prepare(`INSERT INTO audit_stage VALUES ${values(7, 1)}`);
    const stageMany = db.prepare(`INSERT INTO audit_stage VALUES ${values(7, rowsPerInsert)}`);
    const skip = db.prepare(data.statements.insertSkipped);
    const setCheckpoint = db.prepare(data.statements.setCheckpoint);
    const many: unknown[] = new Array<unknown>(rowsPerInsert * 7);
    const one: unknown[] = new Array<unknown>(7);
    db.exec('BEGIN');
    say({ type: 'begun' });
    // Each channel (the replay's thread, and a port for each partition of the replay on another thread)
    // has its own count of messages written and its own list of audit texts.
    const listen = (channel: MessagePort, main: boolean): void => {
      let count = 0;
      const auditTexts: string[] = [];
      channel.on('message', (message: ToBulkWriter) => {
        if (!db) return;
        try {
          if (message.type === 'views') {
            const { texts, ends } = message;
            const bytes = Buffer.from(texts.buffer, texts.byteOffset, texts.byteLength);
            const text = (i: number): string => bytes.toString('utf8', i === 0 ? 0 : ends[i - 1], ends[i]);
            for (let i = 0; i < ends.length; i += 4) {
              const id = text(i);
              upsertView.run(id, text(i + 1));
              upsertSummary.run(id, text(i + 2), text(i + 3));
            }
          } else if (message.type === 'audit') {
            const { positions, revisions, refs, recordedAt } = message.audit;
            for (const added of message.audit.texts) auditTexts.push(added);
            const texts = auditTexts;
            const put = (into: unknown[], at: number, i: number): void => {
              into[at] = positions[i];
              into[at + 1] = texts[refs[i * 4]!];
              into[at + 2] = revisions[i];
              into[at + 3] = texts[refs[i * 4 + 1]!];
              into[at + 4] = recordedAt[i];
              into[at + 5] = texts[refs[i * 4 + 2]!];
              into[at + 6] = texts[refs[i * 4 + 3]!];
            };
            let i = 0;
            for (; i + rowsPerInsert <= positions.length; i += rowsPerInsert) {
              for (let j = 0; j < rowsPerInsert; j++) put(many, j * 7, i + j);
              stageMany.run(many);
            }
            for (; i < positions.length; i++) {
              put(one, 0, i);
              stageOne.run(one);
            }
          } else if (message.type === 'skipped') skip.run(message.row);
          else if (!main) return;
          else if (message.type === 'port') {
            ports.push(message.port);
            listen(message.port, false);
            return;
          } else {
            // Appended in position order, each audit row lands after the last instead of anywhere in the index.
            db.exec('INSERT OR IGNORE INTO audit_log SELECT * FROM temp.audit_stage ORDER BY position');
            setCheckpoint.run('oppdrag', message.checkpoint);
            db.exec('COMMIT');
            db.exec('DROP TABLE temp.audit_stage');
            if (switched) db.pragma('journal_mode = WAL');
            db.close();
            db = null;
            say({ type: 'committed' });
            closeAll();
            return;
          }
          const spare = message.type === 'views' ? message.texts.buffer : null;
          channel.postMessage(
            { type: 'done', count: ++count, spare } satisfies FromBulkWriter,
            spare ? [spare] : [],
          );
        } catch (error) {
          fail(error);
        }
      });
    };
    listen(port, true);
  } catch (error) {
    fail(error);
  }
}

/** The worker's source text: {@link runBulkWriterThread}, called. */
const BULK_WRITER_SOURCE = `'use strict';\n(${runBulkWriterThread.toString()})();\n`;
