import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import Database from 'better-sqlite3';

/** Raised when another running process holds the read-model file. */
export class ReadModelInUseError extends Error {
  constructor(
    readonly path: string,
    readonly holderPid: number | null,
  ) {
    super(
      `the read-model file ${path} is in use by another running instance${
        holderPid === null ? '' : ` (process ${holderPid})`
      }: two instances must not share one read-model file; give this one its own with OPPDRAGSFLYT_READ_MODEL_PATH, or stop the other first`,
    );
    this.name = 'ReadModelInUseError';
  }
}

/** A hold on a read-model file; {@link release} lets it go. */
export interface ReadModelLock {
  release(): void;
}

interface Held {
  readonly db: Database.Database;
  readonly pidPath: string;
  users: number;
}

/** The locks this process holds, by file: opening the same file again in one process shares its lock. */
const held = new Map<string, Held>();

/**
 * Takes the lock of a read-model file for this process, or throws {@link ReadModelInUseError} when another
 * process holds it. The lock is SQLite's exclusive lock on a small file beside it (`<path>.lock`), an
 * operating-system lock: it ends with the process that holds it, however it ends (a SIGKILL included), so
 * a lock left by a killed instance never stops the next start. The holder's process id is written to
 * `<path>.lock.pid` for the message.
 */
export function lockReadModelFile(path: string): ReadModelLock {
  const key = resolve(path);
  const existing = held.get(key);
  if (existing) {
    existing.users += 1;
    return { release: once(() => releaseOne(key)) };
  }
  const lockPath = `${key}.lock`;
  const pidPath = `${key}.lock.pid`;
  // No waiting: a lock held now is held by a running instance.
  const db = new Database(lockPath, { timeout: 0 });
  try {
    db.pragma('locking_mode = EXCLUSIVE');
    // What the file holds does not matter, only its lock: no journal beside it.
    db.pragma('journal_mode = OFF');
    // In exclusive locking mode the first write takes the exclusive lock and keeps it until the close.
    db.exec('BEGIN EXCLUSIVE');
    db.exec('CREATE TABLE IF NOT EXISTS holder (pid INTEGER NOT NULL)');
    db.exec('DELETE FROM holder');
    db.prepare('INSERT INTO holder (pid) VALUES (?)').run(process.pid);
    db.exec('COMMIT');
  } catch (error) {
    db.close();
    if (
      (error as { code?: unknown }).code === 'SQLITE_BUSY' ||
      (error as { code?: unknown }).code === 'SQLITE_LOCKED'
    )
      throw new ReadModelInUseError(path, holderPid(pidPath));
    throw error;
  }
  writeFileSync(pidPath, `${process.pid}\n`);
  held.set(key, { db, pidPath, users: 1 });
  return { release: once(() => releaseOne(key)) };
}

function releaseOne(key: string): void {
  const entry = held.get(key);
  if (!entry) return;
  entry.users -= 1;
  if (entry.users > 0) return;
  held.delete(key);
  rmSync(entry.pidPath, { force: true });
  entry.db.close();
}

function holderPid(pidPath: string): number | null {
  try {
    const pid = Number(readFileSync(pidPath, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

function once(work: () => void): () => void {
  let done = false;
  return () => {
    if (done) return;
    done = true;
    work();
  };
}
