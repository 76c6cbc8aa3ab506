import type { StoredOppdragEvent } from '#application/stored-events.js';
import type { AuditRowVisitor, HeldAudit } from './read-model-store.js';

const MAX_EXACT = BigInt(Number.MAX_SAFE_INTEGER);

/**
 * The audit rows (see auditIndexEntryOf) of a replay stream by stream, held until it ends and then handed out in position order.
 * Rows in position order append to the audit index (its key is the position), where rows in stream order
 * land all over it, which costs a large index a page read and write per row. Held as columns, with the
 * few different actors and types shared, at about 100 bytes a row.
 */
export class HeldAuditRows implements HeldAudit {
  private readonly positions: number[] = [];
  private readonly oppdragIds: string[] = [];
  private readonly revisions: number[] = [];
  private readonly types: string[] = [];
  private readonly recordedAt: string[] = [];
  private readonly actorUsers: string[] = [];
  private readonly actorOrganisations: string[] = [];
  /** One copy of each actor and type (every event's metadata is parsed into strings of its own). */
  private readonly shared = new Map<string, string>();

  get size(): number {
    return this.positions.length;
  }

  /**
   * Holds the audit row of an event applied (`oppdragId` is the stream's id, shared by its rows); false,
   * holding nothing, for a position beyond what a number holds exactly (to be written as it comes).
   */
  add(stored: StoredOppdragEvent, oppdragId: string): boolean {
    if (stored.position.commit > MAX_EXACT) return false;
    // The fields of auditIndexEntryOf(stored), without making the entry.
    const actor = stored.metadata.actor;
    this.positions.push(Number(stored.position.commit));
    this.oppdragIds.push(oppdragId);
    this.revisions.push(stored.revision);
    this.types.push(this.share(stored.event.type));
    this.recordedAt.push(stored.recordedAt);
    this.actorUsers.push(this.share(actor?.userId ?? 'ukjent'));
    this.actorOrganisations.push(this.share(actor?.organisationId ?? 'ukjent'));
    return true;
  }

  /** Calls `row` with every row held, in position order. */
  forEachInPositionOrder(row: AuditRowVisitor): void {
    for (const i of this.order()) {
      row(
        this.positions[i]!,
        this.oppdragIds[i]!,
        this.revisions[i]!,
        this.types[i]!,
        this.recordedAt[i]!,
        this.actorUsers[i]!,
        this.actorOrganisations[i]!,
      );
    }
  }

  /**
   * The indexes of the rows in position order. Positions are unique; when they lie close together (as
   * the embedded store numbers events) a table over their range orders them in one pass, else a sort.
   */
  private order(): Uint32Array | number[] {
    const n = this.positions.length;
    if (n === 0) return [];
    let min = Infinity;
    let max = -Infinity;
    for (const p of this.positions) {
      if (p < min) min = p;
      if (p > max) max = p;
    }
    const range = max - min + 1;
    if (range > 4 * n + 1024) return this.sorted();
    const at = new Int32Array(range).fill(-1);
    for (let i = 0; i < n; i++) {
      const p = this.positions[i]! - min;
      // Each event is applied once in a replay, so a position comes once; were it not so, sort.
      if (at[p] !== -1) return this.sorted();
      at[p] = i;
    }
    const order = new Uint32Array(n);
    let k = 0;
    for (let p = 0; p < range; p++) {
      const i = at[p]!;
      if (i >= 0) order[k++] = i;
    }
    return order;
  }

  private sorted(): number[] {
    return Array.from({ length: this.positions.length }, (_, i) => i).sort(
      (a, b) => this.positions[a]! - this.positions[b]!,
    );
  }

  private share(text: string): string {
    const known = this.shared.get(text);
    if (known !== undefined) return known;
    this.shared.set(text, text);
    return text;
  }
}
