import { mkdirSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { lockReadModelFile, type ReadModelLock } from './read-model-lock.js';
import { BulkReadModelWriter } from './bulk-writer.js';
import { searchTextOf, sharedParts, type OppdragSummary, type OppdragView } from './oppdrag-view.js';
import {
  WRITE_STATEMENTS,
  type AuditIndexEntry,
  type ChangedView,
  type HeldAudit,
  type SkippedEvent,
} from './read-model-rows.js';

export type {
  AuditIndexEntry,
  AuditRowVisitor,
  ChangedView,
  HeldAudit,
  SkippedEvent,
} from './read-model-rows.js';

export interface AuditFilter {
  readonly actorUserId?: string | null;
  readonly organisationId?: string | null;
  readonly types?: readonly string[] | null;
  readonly oppdragId?: string | null;
  readonly from?: string | null;
  readonly to?: string | null;
  /** Entries after this position (exclusive): the cursor. */
  readonly afterPosition?: string | null;
  readonly limit: number;
}

/**
 * The layout of the read-model file. Read models can always be rebuilt from the events, so a file written
 * by another version is replaced by a new one and rebuilt rather than migrated.
 */
const READ_MODEL_VERSION = 6;

/** 16 KiB pages: views of about 2 KB each are written with a quarter of the page overhead of 4 KiB pages. */
const PAGE_SIZE = 16384;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS oppdrag_view (id TEXT PRIMARY KEY, doc TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS oppdrag_summary (id TEXT PRIMARY KEY, summary TEXT NOT NULL, search_text TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS checkpoint (name TEXT PRIMARY KEY, position TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS audit_log (
  position INTEGER PRIMARY KEY, oppdrag_id TEXT NOT NULL, revision INTEGER NOT NULL, type TEXT NOT NULL,
  recorded_at TEXT NOT NULL, actor_user TEXT NOT NULL, actor_org TEXT NOT NULL
);
`;

/**
 * Events the projector skipped. Created in any file, whatever its version: the table is new in this
 * layout's lifetime and a file without it is otherwise current.
 */
const SKIPPED_SCHEMA = `
CREATE TABLE IF NOT EXISTS skipped_event (
  position TEXT PRIMARY KEY, event_id TEXT NOT NULL, stream_id TEXT NOT NULL, type TEXT NOT NULL,
  reason TEXT NOT NULL
);
`;

/**
 * 64 MiB of page cache (the default is 2 MiB): a catch-up in global order updates views all over the table,
 * and queries read whole views back.
 */
const CACHE_KIB = 65_536;
/** The page cache while a replay from zero writes stream by stream: its views and summaries go in key order. */
const SEQUENTIAL_CACHE_KIB = 8192;

/** SQLite's answers for a file that is not a database, or one whose structure is damaged. */
const NOT_A_DATABASE = new Set(['SQLITE_NOTADB', 'SQLITE_CORRUPT']);

/** Audit rows are inserted this many to a statement: far fewer calls into SQLite during a replay. */
const AUDIT_ROWS_PER_INSERT = 64;
const AUDIT_COLUMNS = 7;

/**
 * Where one API instance keeps its read models: a SQLite file of its own (or memory). The views, the
 * audit index and the checkpoint are written in one transaction, so a restart resumes exactly where the
 * last write left off.
 */
export class ReadModelStore {
  private db: Database.Database;
  /** This process's hold on the file (none for a database in memory). */
  private readonly lock: ReadModelLock | null = null;
  private statements: ReturnType<typeof statementsOf>;
  private control: ReturnType<typeof controlOf>;
  private readonly path: string;
  /** The replay from zero writing the file on a worker thread, while it does (see {@link bulkReplay}). */
  private bulk: BulkReadModelWriter | null = null;
  private closed = false;
  /** A database in memory, which has no journal file to choose. */
  private readonly memory: boolean;
  /** Whether {@link bulkWrites} asked for the rollback journal last, and the journal mode in place. */
  private withoutLog = false;
  private journal: 'wal' | 'delete' = 'wal';

  /**
   * Why the file found at the path was replaced by a new one (another layout, or not a database at all),
   * or null when it was used as it was. The read models are rebuilt from the events either way.
   */
  readonly replaced: string | null;

  constructor(path: string) {
    this.path = path;
    this.memory = path === ':memory:';
    if (!this.memory) {
      mkdirSync(dirname(path), { recursive: true });
      // Two instances writing one file would undo each other's checkpoints: the second one is refused.
      this.lock = lockReadModelFile(path);
    }
    let opened: { db: Database.Database; replaced: string | null };
    try {
      opened = openReadModelsOrReplace(path);
    } catch (error) {
      this.lock?.release();
      throw error;
    }
    this.db = opened.db;
    this.replaced = opened.replaced;
    this.statements = statementsOf(this.db);
    this.control = controlOf(this.db);
  }

  /**
   * Hands the file to a replay from zero that writes on a worker thread (see {@link BulkReadModelWriter}),
   * or null for a database in memory (which only this connection sees) or when a write is in progress.
   * This connection is closed until the replay's writer ends (so that the writer may use the rollback
   * journal, `withoutLog`, as {@link bulkWrites} does); meanwhile the file answers as empty, as it is
   * until the replay commits: no views, no audit rows, no checkpoint.
   */
  bulkReplay(withoutLog: boolean): BulkReadModelWriter | null {
    if (this.memory || this.bulk || this.db.inTransaction) return null;
    this.db.close();
    this.bulk = new BulkReadModelWriter(
      this.path,
      { withoutLog, cacheKib: SEQUENTIAL_CACHE_KIB, rowsPerInsert: AUDIT_ROWS_PER_INSERT },
      () => {
        this.bulk = null;
        try {
          this.reconnect();
        } catch {
          // Left closed: the next use fails with SQLite's reason, and the projector's next start from the
          // checkpoint tries to open the file again (see checkpoint).
        }
      },
    );
    return this.bulk;
  }

  /** Opens this store's connection again after a replay's writer let go of the file, unless closed. */
  private reconnect(): void {
    if (this.closed || this.bulk || this.db.open) return;
    this.connect(openReadModels(this.path).db);
  }

  private connect(db: Database.Database): void {
    try {
      this.statements = statementsOf(db);
      this.control = controlOf(db);
    } catch (error) {
      db.close();
      throw error;
    }
    this.db = db;
    this.journal = 'wal';
  }

  private insertAudit(audit: readonly AuditIndexEntry[]): void {
    const { insertAudit: one, insertAuditMany: many } = this.statements;
    const values: unknown[] = new Array<unknown>(AUDIT_ROWS_PER_INSERT * AUDIT_COLUMNS);
    let i = 0;
    for (; i + AUDIT_ROWS_PER_INSERT <= audit.length; i += AUDIT_ROWS_PER_INSERT) {
      for (let j = 0; j < AUDIT_ROWS_PER_INSERT; j++) auditValues(audit[i + j]!, values, j * AUDIT_COLUMNS);
      many.run(values);
    }
    const single: unknown[] = new Array<unknown>(AUDIT_COLUMNS);
    for (; i < audit.length; i++) one.run(auditValues(audit[i]!, single, 0));
  }

  /** The stored checkpoint (a position as `commit/prepare`), or null for a new store. */
  checkpoint(): string | null {
    if (this.bulk) return null;
    // Where a start (or a retry) begins: a connection a replay's writer could not hand back is opened here.
    this.reconnect();
    return this.statements.getCheckpoint.get('oppdrag')?.position ?? null;
  }

  /** The summary of every oppdrag, parsed one row at a time. */
  loadSummaries(): OppdragSummary[] {
    const summaries: OppdragSummary[] = [];
    for (const json of this.statements.allSummaries.iterate())
      summaries.push(sharedParts(JSON.parse(json) as OppdragSummary));
    return summaries;
  }

  /** The folded search text of every oppdrag written, by id. */
  loadSearchTexts(): Map<string, string> {
    if (this.bulk) return new Map();
    const texts = new Map<string, string>();
    for (const [id, text] of this.statements.allSearchTexts.iterate()) texts.set(id, text);
    return texts;
  }

  /** The whole view of one oppdrag as last written, or undefined. */
  loadView(id: string): OppdragView | undefined {
    if (this.bulk) return undefined;
    const doc = this.statements.getView.get(id);
    return doc === undefined ? undefined : (JSON.parse(doc) as OppdragView);
  }

  /** Every written view (for tools that compare read models; a large read model takes a while). */
  *allViews(): Generator<OppdragView> {
    for (const doc of this.statements.allViews.iterate()) yield JSON.parse(doc) as OppdragView;
  }

  /**
   * Adds audit rows to the write in progress, opening it if none is: they are committed by the next
   * {@link write}, in the same transaction as its views and checkpoint, and discarded if the store is
   * closed (or the process stops) first. A catch-up adds each batch's rows as it goes instead of holding
   * them all in memory until the write (a replay from zero holds them compactly, to add them in position
   * order).
   */
  addAudit(audit: readonly AuditIndexEntry[]): void {
    if (audit.length === 0) return;
    this.pending(() => this.insertAudit(audit));
  }

  /**
   * Adds audit rows a replay held to the write in progress, in position order, as {@link addAudit} does
   * (their values bound as they are, with no entry object made for each).
   */
  addHeldAudit(held: HeldAudit): void {
    if (held.size === 0) return;
    this.pending(() => {
      const { insertAudit: one, insertAuditMany: many } = this.statements;
      const values: unknown[] = new Array<unknown>(AUDIT_ROWS_PER_INSERT * AUDIT_COLUMNS);
      let rows = 0;
      held.forEachInPositionOrder((position, oppdragId, revision, type, recordedAt, user, organisation) => {
        // In the table's column order (see auditValues).
        let at = rows * AUDIT_COLUMNS;
        values[at++] = position;
        values[at++] = oppdragId;
        values[at++] = revision;
        values[at++] = type;
        values[at++] = recordedAt;
        values[at++] = user;
        values[at] = organisation;
        if (++rows === AUDIT_ROWS_PER_INSERT) {
          many.run(values);
          rows = 0;
        }
      });
      for (let j = 0; j < rows; j++) one.run(values.slice(j * AUDIT_COLUMNS, (j + 1) * AUDIT_COLUMNS));
    });
  }

  /**
   * Adds views to the write in progress, as {@link addAudit} adds audit rows: a long replay writes the
   * views it no longer keeps in memory, and reads them back (uncommitted, on this connection) if needed.
   */
  stageViews(changed: readonly ChangedView[]): void {
    if (changed.length === 0) return;
    this.pending(() => this.upsertViews(changed));
  }

  /** Adds a skipped event to the write in progress (committed with the checkpoint that goes past it). */
  addSkipped(skipped: SkippedEvent): void {
    if (this.bulk) {
      this.bulk.addSkipped(skipped);
      return;
    }
    this.pending(() =>
      this.statements.insertSkipped.run(
        skipped.position,
        skipped.eventId,
        skipped.streamId,
        skipped.type,
        skipped.reason,
      ),
    );
  }

  /** The events skipped so far, in the order of their positions. */
  skippedEvents(): SkippedEvent[] {
    return this.statements.allSkipped
      .all()
      .map((row) => ({ ...row }))
      .sort((a, b) => comparePositionTexts(a.position, b.position));
  }

  /** Writes views and the checkpoint, and commits them with everything added before, in one transaction. */
  write(changed: readonly ChangedView[], checkpoint: string): void {
    this.pending(() => {
      this.upsertViews(changed);
      this.statements.setCheckpoint.run('oppdrag', checkpoint);
    });
    this.control.commit.run();
    this.settleJournal();
  }

  /** Runs `work` inside the write in progress (opening one if none is), discarding it all on failure. */
  private pending(work: () => void): void {
    if (this.bulk) throw new Error('the read models are being rebuilt from zero by a writer of their own');
    if (!this.db.inTransaction) this.control.begin.run();
    try {
      work();
    } catch (error) {
      this.discardPending();
      throw error;
    }
  }

  private upsertViews(changed: readonly ChangedView[]): void {
    const { upsertView, upsertSummary } = this.statements;
    for (const { view, summary } of changed) {
      upsertView.run(view.oppdrag.id, JSON.stringify(view));
      // The summaries have a table of their own, so that start-up reads them without the views; the
      // search text a column of its own, read only when a query first searches text.
      upsertSummary.run(summary.id, JSON.stringify(summary), searchTextOf(view));
    }
  }

  /**
   * For a replay from zero, which writes all history in one transaction in key order: a small page cache
   * (it needs few pages at a time, and a cold start's peak memory is lower by the difference) and, when
   * `withoutLog`, a rollback journal instead of the write-ahead log. Pages beyond the end of the file when
   * the transaction began need no journal, so a replay into a new file writes each page once, into the
   * file, where the log would write it twice (into the log, then back into the file). A rollback still
   * undoes it all, and a crash leaves a journal that the next open rolls back. Changing the journal costs
   * a few syncs of the file, which only a large replay earns back. The journal changes only between
   * transactions and when no other connection has the file open (otherwise the log stays); `false` goes
   * back to the usual cache and the log, after the write in progress is committed or discarded.
   */
  bulkWrites(bulk: boolean, withoutLog = bulk): void {
    this.withoutLog = bulk && withoutLog;
    this.db.pragma(`cache_size = -${bulk ? SEQUENTIAL_CACHE_KIB : CACHE_KIB}`);
    this.settleJournal();
  }

  /** Puts the journal mode {@link bulkWrites} asks for in place, when no transaction is open. */
  private settleJournal(): void {
    const wanted = this.withoutLog ? 'delete' : 'wal';
    if (this.memory || this.journal === wanted || this.db.inTransaction) return;
    try {
      this.journal =
        this.db.pragma(`journal_mode = ${wanted}`, { simple: true }) === wanted ? wanted : this.journal;
    } catch (error) {
      // Another connection has the file open (SQLITE_BUSY): the write-ahead log stays, which is as safe.
      if ((error as { code?: unknown }).code !== 'SQLITE_BUSY') throw error;
    }
  }

  /** Forgets everything, for a rebuild from zero. */
  clear(): void {
    this.discardPending();
    this.db.exec(
      'DELETE FROM oppdrag_view; DELETE FROM oppdrag_summary; DELETE FROM checkpoint; DELETE FROM audit_log; DELETE FROM skipped_event;',
    );
  }

  /**
   * Drops everything added since the last {@link write} (after a failed write, to start again from what
   * is committed).
   */
  discardPending(): void {
    if (this.bulk) return;
    if (this.db.inTransaction) this.control.rollback.run();
    this.settleJournal();
  }

  audit(filter: AuditFilter): AuditIndexEntry[] {
    if (this.bulk) return [];
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (clause: string, ...values: unknown[]): void => {
      where.push(clause);
      params.push(...values);
    };
    if (filter.afterPosition) add('position > ?', BigInt(filter.afterPosition));
    if (filter.actorUserId) add('actor_user = ?', filter.actorUserId);
    if (filter.organisationId) add('actor_org = ?', filter.organisationId);
    if (filter.oppdragId) add('oppdrag_id = ?', filter.oppdragId);
    if (filter.types && filter.types.length > 0)
      add(`type IN (${filter.types.map(() => '?').join(', ')})`, ...filter.types);
    if (filter.from) add('recorded_at >= ?', filter.from);
    if (filter.to) add('recorded_at <= ?', filter.to);
    const sql = `SELECT * FROM audit_log ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY position LIMIT ?`;
    const rows = this.db
      .prepare(sql)
      .safeIntegers(true)
      .all(...params, filter.limit) as Array<Record<string, unknown>>;
    return rows.map((r) => ({
      position: String(r.position),
      oppdragId: String(r.oppdrag_id),
      revision: Number(r.revision),
      type: String(r.type),
      recordedAt: String(r.recorded_at),
      actorUserId: String(r.actor_user),
      actorOrganisation: String(r.actor_org),
    }));
  }

  close(): void {
    this.closed = true;
    const bulk = this.bulk;
    if (bulk) {
      // The replay's writes are dropped, as a crash would drop them; the lock goes once its writer is gone.
      void bulk.abort().finally(() => this.lock?.release());
      return;
    }
    // Audit rows added but never written with a checkpoint are dropped, as a crash would drop them.
    this.discardPending();
    this.db.close();
    this.lock?.release();
  }
}

/** The statements a connection to the read-model file runs. */
function statementsOf(db: Database.Database) {
  return {
    upsertView: db.prepare(WRITE_STATEMENTS.upsertView),
    upsertSummary: db.prepare(WRITE_STATEMENTS.upsertSummary),
    getView: db.prepare<[string], string>('SELECT doc FROM oppdrag_view WHERE id = ?').pluck(true),
    allSummaries: db.prepare<[], string>('SELECT summary FROM oppdrag_summary').pluck(true),
    allSearchTexts: db.prepare<[], [string, string]>('SELECT id, search_text FROM oppdrag_summary').raw(true),
    insertAudit: db.prepare(`INSERT OR IGNORE INTO audit_log VALUES ${auditRows(1)}`),
    insertAuditMany: db.prepare(`INSERT OR IGNORE INTO audit_log VALUES ${auditRows(AUDIT_ROWS_PER_INSERT)}`),
    setCheckpoint: db.prepare(WRITE_STATEMENTS.setCheckpoint),
    getCheckpoint: db.prepare<[string], { position: string }>(
      'SELECT position FROM checkpoint WHERE name = ?',
    ),
    allViews: db.prepare<[], string>('SELECT doc FROM oppdrag_view').pluck(true),
    insertSkipped: db.prepare(WRITE_STATEMENTS.insertSkipped),
    allSkipped: db.prepare<[], SkippedEvent>(
      'SELECT position, event_id AS eventId, stream_id AS streamId, type, reason FROM skipped_event',
    ),
  };
}

/** The transaction statements of a connection. */
function controlOf(db: Database.Database) {
  return { begin: db.prepare('BEGIN'), commit: db.prepare('COMMIT'), rollback: db.prepare('ROLLBACK') };
}

/** Opens the read-model file; one that is not a database (or a damaged one) is replaced by a new one. */
function openReadModelsOrReplace(path: string): { db: Database.Database; replaced: string | null } {
  try {
    return openReadModels(path);
  } catch (error) {
    // Read models can always be rebuilt: a file that is not a database (or a damaged one) is replaced.
    const code = (error as { code?: unknown }).code;
    if (path === ':memory:' || typeof code !== 'string' || !NOT_A_DATABASE.has(code)) throw error;
    removeDatabase(path);
    const opened = openReadModels(path);
    return {
      ...opened,
      replaced: `the file was not a usable database (${code}): ${(error as Error).message}`,
    };
  }
}

/** Opens (and if new or of another layout, creates) the read-model file, raising SQLite's own errors. */
function openReadModels(path: string): { db: Database.Database; replaced: string | null } {
  let db = new Database(path);
  let replaced: string | null = null;
  try {
    const version = Number(db.pragma('user_version', { simple: true }));
    const current = version === READ_MODEL_VERSION;
    if (!current && path !== ':memory:' && Number(db.pragma('page_count', { simple: true })) > 0) {
      // A file of another layout: start a new one (the page size can only be chosen for an empty file).
      db.close();
      removeDatabase(path);
      db = new Database(path);
      replaced = `the file had layout ${version}, not ${READ_MODEL_VERSION}`;
    }
    if (!current) db.pragma(`page_size = ${PAGE_SIZE}`);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma(`cache_size = -${CACHE_KIB}`);
    if (!current) {
      db.exec(SCHEMA);
      db.pragma(`user_version = ${READ_MODEL_VERSION}`);
    }
    db.exec(SKIPPED_SCHEMA);
    return { db, replaced };
  } catch (error) {
    db.close();
    throw error;
  }
}

function removeDatabase(path: string): void {
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${path}${suffix}`, { force: true });
}

/** Orders positions written as `commit/prepare`. */
function comparePositionTexts(a: string, b: string): number {
  const [ac = 0n, ap = 0n] = a.split('/').map(BigInt);
  const [bc = 0n, bp = 0n] = b.split('/').map(BigInt);
  if (ac !== bc) return ac < bc ? -1 : 1;
  return ap === bp ? 0 : ap < bp ? -1 : 1;
}

const auditRows = (count: number): string =>
  Array.from(
    { length: count },
    () => `(${Array.from({ length: AUDIT_COLUMNS }, () => '?').join(', ')})`,
  ).join(', ');

/** Puts one entry's column values into `values` from `at` on, in the table's column order. */
function auditValues(entry: AuditIndexEntry, values: unknown[], at: number): unknown[] {
  values[at] = BigInt(entry.position);
  values[at + 1] = entry.oppdragId;
  values[at + 2] = entry.revision;
  values[at + 3] = entry.type;
  values[at + 4] = entry.recordedAt;
  values[at + 5] = entry.actorUserId;
  values[at + 6] = entry.actorOrganisation;
  return values;
}
