import type { StoredOppdragEvent } from '#application/stored-events.js';
import type { AuditRowVisitor, HeldAudit } from './read-model-store.js';

const MAX_EXACT = BigInt(Number.MAX_SAFE_INTEGER);
/** Room for this many rows at first; it doubles when full. */
const INITIAL_ROWS = 1024;

/**
 * The audit rows (see auditIndexEntryOf) of a replay stream by stream, held until it ends and then handed
 * out in position order. Rows in position order append to the audit index (its key is the position), where
 * rows in stream order land all over it, which costs a large index a page read and write per row. Held as
 * columns of numbers, the few different oppdrag ids, types and actors as numbers into a table of texts
 * (every event's metadata is parsed into strings of its own), at about 80 bytes a row with its time.
 */
export class HeldAuditRows implements HeldAudit {
  private count = 0;
  private positions = new Float64Array(INITIAL_ROWS);
  private revisions = new Float64Array(INITIAL_ROWS);
  /** Per row: its oppdrag id, type, actor user and actor organisation, as numbers into {@link texts}. */
  private textRefs = new Uint32Array(INITIAL_ROWS * 4);
  private readonly recordedAt: string[] = [];
  private readonly texts: string[] = [];
  private readonly textNumbers = new Map<string, number>();

  get size(): number {
    return this.count;
  }

  /**
   * Holds the audit row of an event applied (`oppdragId` is the stream's id, shared by its rows); false,
   * holding nothing, for a position beyond what a number holds exactly (to be written as it comes).
   */
  add(stored: StoredOppdragEvent, oppdragId: string): boolean {
    if (stored.position.commit > MAX_EXACT) return false;
    if (this.count === this.positions.length) this.grow();
    // The fields of auditIndexEntryOf(stored), without making the entry.
    const actor = stored.metadata.actor;
    const i = this.count++;
    this.positions[i] = Number(stored.position.commit);
    this.revisions[i] = stored.revision;
    this.textRefs[i * 4] = this.numberOf(oppdragId);
    this.textRefs[i * 4 + 1] = this.numberOf(stored.event.type);
    this.textRefs[i * 4 + 2] = this.numberOf(actor?.userId ?? 'ukjent');
    this.textRefs[i * 4 + 3] = this.numberOf(actor?.organisationId ?? 'ukjent');
    this.recordedAt.push(stored.recordedAt);
    return true;
  }

  /** Calls `row` with every row held, in position order. */
  forEachInPositionOrder(row: AuditRowVisitor): void {
    const text = (i: number, column: number): string => this.texts[this.textRefs[i * 4 + column]!]!;
    for (const i of this.order()) {
      row(
        this.positions[i]!,
        text(i, 0),
        this.revisions[i]!,
        text(i, 1),
        this.recordedAt[i]!,
        text(i, 2),
        text(i, 3),
      );
    }
  }

  /**
   * The indexes of the rows in position order. Positions are unique; when they lie close together (as
   * the embedded store numbers events) a table over their range orders them in one pass, else a sort.
   */
  private order(): Uint32Array | number[] {
    const n = this.count;
    if (n === 0) return [];
    let min = Infinity;
    let max = -Infinity;
    for (let i = 0; i < n; i++) {
      const p = this.positions[i]!;
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
    return Array.from({ length: this.count }, (_, i) => i).sort(
      (a, b) => this.positions[a]! - this.positions[b]!,
    );
  }

  private grow(): void {
    const rows = this.positions.length * 2;
    const positions = new Float64Array(rows);
    positions.set(this.positions);
    this.positions = positions;
    const revisions = new Float64Array(rows);
    revisions.set(this.revisions);
    this.revisions = revisions;
    const textRefs = new Uint32Array(rows * 4);
    textRefs.set(this.textRefs);
    this.textRefs = textRefs;
  }

  private numberOf(text: string): number {
    let n = this.textNumbers.get(text);
    if (n === undefined) {
      n = this.texts.length;
      this.texts.push(text);
      this.textNumbers.set(text, n);
    }
    return n;
  }
}
