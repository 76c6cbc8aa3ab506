import { OPPDRAG_STREAM_PREFIX } from '#domain';
import { SqliteEventStore, type EventStore } from '#event-store';
import {
  DEFAULT_KURRENTDB_DEADLINE_MS,
  eventStorePath,
  isConnectionString,
  readModelPath,
  type StoreEnvironment,
} from '#platform';

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
  env: StoreEnvironment,
): StoreOptions {
  const store =
    flags.store ??
    (env.OPPDRAGSFLYT_STORE === 'kurrentdb' ? (env.KURRENTDB_CONNECTION_STRING ?? '') : eventStorePath(env));
  return {
    store,
    readModels:
      flags['read-models'] ?? readModelPath(env, isConnectionString(store) ? 'kurrentdb' : 'sqlite'),
  };
}

export async function openStore(options: StoreOptions): Promise<EventStore> {
  if (isConnectionString(options.store)) {
    const { KurrentDbEventStore } = await import('#event-store/kurrentdb/kurrentdb-event-store.js');
    return KurrentDbEventStore.fromConnectionString(options.store, {
      streamPrefixes: [OPPDRAG_STREAM_PREFIX],
      deadlineMs: DEFAULT_KURRENTDB_DEADLINE_MS,
    });
  }
  return new SqliteEventStore({ path: options.store });
}

/** Usage errors are defined with the argument parser; re-exported where the commands have always found them. */
export { UsageError } from './args.js';
