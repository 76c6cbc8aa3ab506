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
  flags: ReadonlyMap<string, string>,
  env: Readonly<Record<string, string | undefined>>,
): StoreOptions {
  const dataDir = env.OPPDRAGSFLYT_DATA_DIR ?? join(process.cwd(), 'data');
  const store =
    flags.get('store') ??
    (env.OPPDRAGSFLYT_STORE === 'kurrentdb'
      ? (env.KURRENTDB_CONNECTION_STRING ?? '')
      : (env.OPPDRAGSFLYT_EVENT_STORE_PATH ?? join(dataDir, 'events.db')));
  const kind = /^[a-z+]+:\/\//.test(store) ? 'kurrentdb' : 'sqlite';
  return {
    store,
    readModels:
      flags.get('read-models') ?? env.OPPDRAGSFLYT_READ_MODEL_PATH ?? join(dataDir, `readmodels-${kind}.db`),
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

/** Splits `--name value` and `--flag` arguments from positional ones. */
export function parseArgs(
  args: readonly string[],
  booleans: readonly string[],
): { flags: Map<string, string>; positional: string[] } {
  const flags = new Map<string, string>();
  const positional: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (!arg.startsWith('--')) {
      positional.push(arg);
      continue;
    }
    const [name, inline] = arg.slice(2).split('=', 2) as [string, string | undefined];
    if (inline !== undefined) flags.set(name, inline);
    else if (booleans.includes(name)) flags.set(name, 'true');
    else {
      const value = args[i + 1];
      if (value === undefined || value.startsWith('--')) throw new UsageError(`--${name} needs a value`);
      flags.set(name, value);
      i++;
    }
  }
  return { flags, positional };
}

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
