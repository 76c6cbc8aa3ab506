import { join } from 'node:path';

/** The environment variables that say where the stores live, as the API and the CLI read them. */
export interface StoreEnvironment {
  readonly OPPDRAGSFLYT_DATA_DIR?: string | undefined;
  readonly OPPDRAGSFLYT_STORE?: string | undefined;
  readonly OPPDRAGSFLYT_EVENT_STORE_PATH?: string | undefined;
  readonly OPPDRAGSFLYT_READ_MODEL_PATH?: string | undefined;
  readonly KURRENTDB_CONNECTION_STRING?: string | undefined;
}

export type StoreKind = 'sqlite' | 'kurrentdb';

/** The default store: the embedded one. */
export const DEFAULT_STORE_KIND: StoreKind = 'sqlite';

/** The default for the longest the KurrentDB store waits for the server to answer a call, in ms. */
export const DEFAULT_KURRENTDB_DEADLINE_MS = 10_000;

/** A KurrentDB connection string, as the client takes it (`kurrentdb://…`, `kurrentdb+discover://…`). */
export const isConnectionString = (text: string): boolean =>
  /^(kurrentdb|kdb|esdb|kurrent)(\+discover)?:\/\//.test(text);

/** Where the embedded store and read models live: `OPPDRAGSFLYT_DATA_DIR`, else `./data`. */
export const dataDir = (env: StoreEnvironment): string =>
  env.OPPDRAGSFLYT_DATA_DIR ?? join(process.cwd(), 'data');

/** The embedded event store file: `OPPDRAGSFLYT_EVENT_STORE_PATH`, else `events.db` in the data folder. */
export const eventStorePath = (env: StoreEnvironment): string =>
  env.OPPDRAGSFLYT_EVENT_STORE_PATH ?? join(dataDir(env), 'events.db');

/**
 * This instance's read models: `OPPDRAGSFLYT_READ_MODEL_PATH`, else `readmodels-<store kind>.db` in the data
 * folder (read models of one store are never read against the other).
 */
export const readModelPath = (env: StoreEnvironment, kind: StoreKind): string =>
  env.OPPDRAGSFLYT_READ_MODEL_PATH ?? join(dataDir(env), `readmodels-${kind}.db`);
