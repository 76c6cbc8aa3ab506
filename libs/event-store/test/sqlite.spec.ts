import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '../src/index.js';
import { eventStoreContract } from './contract.js';

eventStoreContract('embedded SQLite', () => {
  const dir = mkdtempSync(join(tmpdir(), 'oppdragsflyt-store-'));
  const path = join(dir, 'events.db');
  return {
    category: 'oppdrag',
    open: () => Promise.resolve(new SqliteEventStore({ path, pollIntervalMs: 20 })),
    reopen: () => Promise.resolve(new SqliteEventStore({ path, pollIntervalMs: 20 })),
    dispose: () => {
      rmSync(dir, { recursive: true, force: true });
      return Promise.resolve();
    },
  };
});
