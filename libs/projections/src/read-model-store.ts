import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { OppdragView } from './oppdrag-view.js';

/** One line of the audit trail: who did what to which oppdrag, when. */
export interface AuditEntry {
  readonly position: string;
  readonly oppdragId: string;
  readonly revision: number;
  readonly eventId: string;
  readonly type: string;
  readonly recordedAt: string;
  readonly actorUserId: string;
  readonly actorName: string;
  readonly actorRole: string;
  readonly actorOrganisation: string;
  readonly commandId: string;
  readonly correlationId: string;
  readonly data: string;
}

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

const SCHEMA = `
CREATE TABLE IF NOT EXISTS oppdrag_view (id TEXT PRIMARY KEY, doc TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS checkpoint (name TEXT PRIMARY KEY, position TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS audit_log (
  position INTEGER PRIMARY KEY, oppdrag_id TEXT NOT NULL, revision INTEGER NOT NULL, event_id TEXT NOT NULL,
  type TEXT NOT NULL, recorded_at TEXT NOT NULL, actor_user TEXT NOT NULL, actor_name TEXT NOT NULL,
  actor_role TEXT NOT NULL, actor_org TEXT NOT NULL, command_id TEXT NOT NULL, correlation_id TEXT NOT NULL,
  data TEXT NOT NULL
);
`;

/**
 * Where one API instance keeps its read models: a SQLite file of its own (or memory). The views, the
 * audit index and the checkpoint are written in one transaction, so a restart resumes exactly where the
 * last write left off.
 */
export class ReadModelStore {
  private readonly db: Database.Database;
  private readonly writeBatch: Database.Transaction<
    (views: readonly OppdragView[], audit: readonly AuditEntry[], checkpoint: string) => void
  >;
  private readonly statements;
  private readonly control;

  constructor(path: string) {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.exec(SCHEMA);
    this.statements = {
      upsertView: this.db.prepare(
        'INSERT INTO oppdrag_view (id, doc) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET doc = excluded.doc',
      ),
      insertAudit: this.db.prepare(
        `INSERT OR IGNORE INTO audit_log VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      setCheckpoint: this.db.prepare(
        'INSERT INTO checkpoint (name, position) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET position = excluded.position',
      ),
      getCheckpoint: this.db.prepare<[string], { position: string }>(
        'SELECT position FROM checkpoint WHERE name = ?',
      ),
      allViews: this.db.prepare<[], string>('SELECT doc FROM oppdrag_view').pluck(true),
    };
    this.control = {
      begin: this.db.prepare('BEGIN'),
      commit: this.db.prepare('COMMIT'),
      rollback: this.db.prepare('ROLLBACK'),
    };
    this.writeBatch = this.db.transaction((views, audit, checkpoint) => {
      for (const view of views) this.statements.upsertView.run(view.oppdrag.id, JSON.stringify(view));
      this.insertAudit(audit);
      this.statements.setCheckpoint.run('oppdrag', checkpoint);
    });
  }

  private insertAudit(audit: readonly AuditEntry[]): void {
    const insert = this.statements.insertAudit;
    for (const a of audit) {
      insert.run(
        BigInt(a.position),
        a.oppdragId,
        a.revision,
        a.eventId,
        a.type,
        a.recordedAt,
        a.actorUserId,
        a.actorName,
        a.actorRole,
        a.actorOrganisation,
        a.commandId,
        a.correlationId,
        a.data,
      );
    }
  }

  /** The stored checkpoint (a position as `commit/prepare`), or null for a new store. */
  checkpoint(): string | null {
    return this.statements.getCheckpoint.get('oppdrag')?.position ?? null;
  }

  loadViews(): OppdragView[] {
    // One row at a time: each document's text can be collected as soon as it is parsed, instead of
    // holding every document (about 340 MB at a million events) and every view at once.
    const views: OppdragView[] = [];
    for (const doc of this.statements.allViews.iterate()) views.push(JSON.parse(doc) as OppdragView);
    return views;
  }

  /**
   * Adds audit rows to the write in progress, opening it if none is: they are committed by the next
   * {@link write}, in the same transaction as its views and checkpoint, and discarded if the store is
   * closed (or the process stops) first. A long replay adds each batch's rows as it goes instead of
   * holding them all in memory until the write.
   */
  addAudit(audit: readonly AuditEntry[]): void {
    if (audit.length === 0) return;
    if (!this.db.inTransaction) this.control.begin.run();
    try {
      this.insertAudit(audit);
    } catch (error) {
      this.discardPending();
      throw error;
    }
  }

  /** Writes views, audit rows and the checkpoint in one transaction, with any audit rows added before. */
  write(views: readonly OppdragView[], audit: readonly AuditEntry[], checkpoint: string): void {
    const pending = this.db.inTransaction;
    try {
      this.writeBatch(views, audit, checkpoint);
      if (pending) this.control.commit.run();
    } catch (error) {
      this.discardPending();
      throw error;
    }
  }

  /** Forgets everything, for a rebuild from zero. */
  clear(): void {
    this.discardPending();
    this.db.exec('DELETE FROM oppdrag_view; DELETE FROM checkpoint; DELETE FROM audit_log;');
  }

  private discardPending(): void {
    if (this.db.inTransaction) this.control.rollback.run();
  }

  audit(filter: AuditFilter): AuditEntry[] {
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
      eventId: String(r.event_id),
      type: String(r.type),
      recordedAt: String(r.recorded_at),
      actorUserId: String(r.actor_user),
      actorName: String(r.actor_name),
      actorRole: String(r.actor_role),
      actorOrganisation: String(r.actor_org),
      commandId: String(r.command_id),
      correlationId: String(r.correlation_id),
      data: String(r.data),
    }));
  }

  close(): void {
    // Audit rows added but never written with a checkpoint are dropped, as a crash would drop them.
    this.discardPending();
    this.db.close();
  }
}
