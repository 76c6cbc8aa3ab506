import type { OppdragSummary, OppdragView } from './oppdrag-view.js';

/** The rows the read models write, as the projector and the replay's writer thread hand them over. */

/**
 * What the read models keep of each event for the audit trail: enough to filter and order it. The entry
 * itself is read from the event store (see `AuditTrail`).
 */
export interface AuditIndexEntry {
  readonly position: string;
  readonly oppdragId: string;
  readonly revision: number;
  readonly type: string;
  readonly recordedAt: string;
  readonly actorUserId: string;
  readonly actorOrganisation: string;
}

/** Receives one audit row: an {@link AuditIndexEntry}'s fields, with the position as a number. */
export type AuditRowVisitor = (
  position: number,
  oppdragId: string,
  revision: number,
  type: string,
  recordedAt: string,
  actorUserId: string,
  actorOrganisation: string,
) => void;

/** Audit rows a replay held, to be added in position order (see `ReadModelStore.addHeldAudit`). */
export interface HeldAudit {
  readonly size: number;
  forEachInPositionOrder(row: AuditRowVisitor): void;
}

/** A view to write, with its summary. */
export interface ChangedView {
  readonly view: OppdragView;
  readonly summary: OppdragSummary;
}

/** An event the projector could not read and went past, kept where operators can see it. */
export interface SkippedEvent {
  /** Its position as `commit/prepare`. */
  readonly position: string;
  readonly eventId: string;
  readonly streamId: string;
  readonly type: string;
  /** Why it could not be read. */
  readonly reason: string;
}

/**
 * The statements that write views, summaries, skipped events and the checkpoint: one text for the store's
 * own connection and for the writer thread of a replay, which is given them when it starts.
 */
export const WRITE_STATEMENTS = {
  upsertView:
    'INSERT INTO oppdrag_view (id, doc) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET doc = excluded.doc',
  upsertSummary: `INSERT INTO oppdrag_summary (id, summary, search_text) VALUES (?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET summary = excluded.summary, search_text = excluded.search_text`,
  setCheckpoint:
    'INSERT INTO checkpoint (name, position) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET position = excluded.position',
  insertSkipped:
    'INSERT OR IGNORE INTO skipped_event (position, event_id, stream_id, type, reason) VALUES (?, ?, ?, ?, ?)',
} as const;
