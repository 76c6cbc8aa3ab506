import { rmSync } from 'node:fs';
import Database from 'better-sqlite3';
import type { SqliteEventStore } from '#event-store';
import { now } from './stats.js';

/**
 * The references: plain better-sqlite3 on the same rows, with the same schema and the same pragmas as the
 * embedded store, and none of its work (validation, serialisation, concurrency checks, group commit).
 */

export interface EventRow {
  position: number;
  stream_id: string;
  revision: number;
  event_id: string;
  type: string;
  data: string;
  metadata: string;
  recorded_at: string;
}

/** The connection settings that decide write and read cost, read from the store's own connection. */
const PRAGMAS = [
  'journal_mode',
  'synchronous',
  'cache_size',
  'mmap_size',
  'temp_store',
  'page_size',
  'wal_autocheckpoint',
] as const;

export type Pragmas = Record<(typeof PRAGMAS)[number], string | number>;

/** Reads the pragmas the store's connection runs with, so the reference can use exactly the same. */
export function storePragmas(store: SqliteEventStore): Pragmas {
  const db = (store as unknown as { db: Database.Database }).db;
  const out = {} as Pragmas;
  for (const name of PRAGMAS) out[name] = db.pragma(name, { simple: true }) as string | number;
  return out;
}

/** Gives a connection the store's settings (the page size only takes effect on a new file). */
export function applyPragmas(db: Database.Database, pragmas: Pragmas): void {
  db.pragma(`journal_mode = ${pragmas.journal_mode}`);
  db.pragma(`synchronous = ${pragmas.synchronous}`);
  db.pragma(`cache_size = ${pragmas.cache_size}`);
  db.pragma(`mmap_size = ${pragmas.mmap_size}`);
  db.pragma(`temp_store = ${pragmas.temp_store}`);
  db.pragma(`wal_autocheckpoint = ${pragmas.wal_autocheckpoint}`);
}

/** The store's schema, copied from its file. */
export function storeSchema(path: string): string[] {
  const db = new Database(path, { readonly: true });
  try {
    return db
      .prepare<[], { sql: string }>(
        "SELECT sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' ORDER BY type DESC, name",
      )
      .all()
      .map((r) => r.sql);
  } finally {
    db.close();
  }
}

export function removeDb(path: string): void {
  for (const suffix of ['', '-wal', '-shm']) rmSync(path + suffix, { force: true });
}

/** A raw database with the store's schema and pragmas, and one prepared insert. */
export class RawStore {
  readonly db: Database.Database;
  private readonly insert: Database.Statement;
  private readonly insertMany: Database.Transaction<(units: readonly (readonly EventRow[])[]) => void>;

  constructor(
    readonly path: string,
    schema: readonly string[],
    pragmas: Pragmas,
  ) {
    removeDb(path);
    this.db = new Database(path);
    this.db.pragma(`page_size = ${pragmas.page_size}`);
    applyPragmas(this.db, pragmas);
    for (const sql of schema) this.db.exec(sql);
    this.insert = this.db.prepare(
      'INSERT INTO events (stream_id, revision, event_id, type, data, metadata, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    this.insertMany = this.db.transaction((units: readonly (readonly EventRow[])[]) => {
      for (const unit of units) {
        for (const r of unit) {
          this.insert.run(r.stream_id, r.revision, r.event_id, r.type, r.data, r.metadata, r.recorded_at);
        }
      }
    });
  }

  /**
   * Inserts units (the rows of one append each), `unitsPerCommit` to a transaction, and returns the time
   * spent in the inserts and commits only.
   */
  insertUnits(units: readonly (readonly EventRow[])[], unitsPerCommit: number): number {
    let ms = 0;
    for (let i = 0; i < units.length; i += unitsPerCommit) {
      const group = units.slice(i, i + unitsPerCommit);
      const t0 = now();
      this.insertMany.immediate(group);
      ms += now() - t0;
    }
    return ms;
  }

  close(): void {
    this.db.close();
  }
}

/** Reads rows of a store file by position range [from, to). */
export class RowReader {
  private readonly db: Database.Database;
  private readonly range: Database.Statement<[number, number], EventRow>;

  constructor(path: string) {
    this.db = new Database(path, { readonly: true });
    this.range = this.db.prepare(
      'SELECT * FROM events WHERE position >= ? AND position < ? ORDER BY position',
    );
  }

  rows(from: number, to: number): EventRow[] {
    return this.range.all(from, to);
  }

  head(): number {
    return (this.db.prepare('SELECT max(position) AS p FROM events').get() as { p: number | null }).p ?? 0;
  }

  close(): void {
    this.db.close();
  }
}

/** Groups consecutive rows into the appends that wrote them (one command id each). */
export function unitsByCommand(rows: readonly EventRow[]): EventRow[][] {
  const units: EventRow[][] = [];
  let last = '';
  for (const row of rows) {
    const commandId = (JSON.parse(row.metadata) as { commandId?: string }).commandId ?? row.event_id;
    if (commandId !== last || units.length === 0) units.push([row]);
    else (units[units.length - 1] as EventRow[]).push(row);
    last = commandId;
  }
  return units;
}

/**
 * Copies a store into a raw database commit group by commit group, exactly as the store committed them
 * (`groupStarts`: the first position of each group, then one past the last), timing the raw inserts only.
 */
export function rawFill(source: string, raw: RawStore, groupStarts: readonly number[]): number {
  const reader = new RowReader(source);
  let ms = 0;
  try {
    for (let g = 0; g + 1 < groupStarts.length; g++) {
      const rows = reader.rows(groupStarts[g] as number, groupStarts[g + 1] as number);
      ms += raw.insertUnits([rows], 1);
    }
  } finally {
    reader.close();
  }
  return ms;
}
