import { join } from 'node:path';
import { OPPDRAG_STREAM_PREFIX } from '#domain';
import { SqliteEventStore, type EventStore } from '#event-store';

export interface StoreOptions {
  readonly store: string;
  readonly readModels: string;
}

/**
 * Where the CLI finds the event store and read models: `--store` (a SQLite file path or a kurrentdb://
 * connection string) and `--read-models`, else the same defaults as the API.
 */
export function storeOptions(
  flags: { readonly store?: string | undefined; readonly 'read-models'?: string | undefined },
  env: Readonly<Record<string, string | undefined>>,
): StoreOptions {
  const dataDir = env.OPPDRAGSFLYT_DATA_DIR ?? join(process.cwd(), 'data');
  const store =
    flags.store ??
    (env.OPPDRAGSFLYT_STORE === 'kurrentdb'
      ? (env.KURRENTDB_CONNECTION_STRING ?? '')
      : (env.OPPDRAGSFLYT_EVENT_STORE_PATH ?? join(dataDir, 'events.db')));
  const kind = /^[a-z+]+:\/\//.test(store) ? 'kurrentdb' : 'sqlite';
  return {
    store,
    readModels:
      flags['read-models'] ?? env.OPPDRAGSFLYT_READ_MODEL_PATH ?? join(dataDir, `readmodels-${kind}.db`),
  };
}

export async function openStore(options: StoreOptions): Promise<EventStore> {
  if (/^[a-z+]+:\/\//.test(options.store)) {
    const { KurrentDbEventStore } = await import('#event-store/kurrentdb/kurrentdb-event-store.js');
    return KurrentDbEventStore.fromConnectionString(options.store, {
      streamPrefixes: [OPPDRAG_STREAM_PREFIX],
    });
  }
  return new SqliteEventStore({ path: options.store });
}
