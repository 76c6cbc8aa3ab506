import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

/**
 * The part of Emmett's API the peer benchmark calls, typed here so that the project compiles without
 * Emmett installed: the packages live in their own folder (`bench/peers/emmett`) and are loaded at run
 * time from there, never from the project's node_modules.
 */

/** An event as Emmett appends and reads it. */
export interface EmmettEvent {
  readonly type: string;
  readonly data: Readonly<Record<string, unknown>>;
  readonly metadata?: Readonly<Record<string, unknown>>;
}

export type ExpectedStreamVersion = bigint | 'STREAM_DOES_NOT_EXIST' | 'NO_CONCURRENCY_CHECK';

export interface EmmettStore {
  appendToStream(
    streamName: string,
    events: EmmettEvent[],
    options?: { expectedStreamVersion?: ExpectedStreamVersion },
  ): Promise<{ nextExpectedStreamVersion: bigint }>;
  aggregateStream<State>(
    streamName: string,
    options: { evolve: (state: State, event: EmmettEvent) => State; initialState: () => State },
  ): Promise<{ state: State; currentStreamVersion: bigint }>;
  close?(): Promise<void>;
  readonly schema?: { migrate(): Promise<unknown> };
}

/** Emmett's generic command handler: read and fold the stream, run `handle`, append what it returns. */
export type EmmettCommandHandler<State> = (
  store: EmmettStore,
  streamName: string,
  handle: (state: State) => EmmettEvent[],
) => Promise<{ nextExpectedStreamVersion: bigint }>;

export interface ReadBatch {
  readonly currentGlobalPosition: bigint;
  readonly messages: Array<EmmettEvent & { metadata: { streamName: string } }>;
  readonly areEventsLeft: boolean;
}

export interface SqliteConnection {
  query<T>(sql: string, params?: unknown[]): Promise<T[]>;
  withTransaction<T>(fn: () => Promise<T>): Promise<T>;
  close(): void;
}

export interface EmmettCore {
  CommandHandler<State>(options: {
    evolve: (state: State, event: EmmettEvent) => State;
    initialState: () => State;
  }): EmmettCommandHandler<State>;
}

export interface EmmettSqlite {
  getSQLiteEventStore(options: { fileName: string }): EmmettStore;
  sqliteConnection(options: { fileName: string }): SqliteConnection;
  /** Appends on a given connection, inside its transaction when one is open. */
  appendToStream(
    connection: SqliteConnection,
    streamName: string,
    streamType: string,
    events: EmmettEvent[],
  ): Promise<{ success: boolean }>;
  readMessagesBatch(
    connection: SqliteConnection,
    options: { after: bigint; batchSize: number },
  ): Promise<ReadBatch>;
}

export interface SqlExecutor {
  readonly __executor: unique symbol;
}

export interface EmmettPostgres {
  getPostgreSQLEventStore(connectionString: string): EmmettStore & { close(): Promise<void> };
  readMessagesBatch(execute: SqlExecutor, options: { after: bigint; batchSize: number }): Promise<ReadBatch>;
}

export interface Dumbo {
  dumbo(options: { connectionString: string }): { execute: SqlExecutor; close(): Promise<void> };
}

/** The Emmett packages the peer benchmark loads, with their versions. */
export interface Emmett {
  readonly core: EmmettCore;
  readonly sqlite: EmmettSqlite;
  readonly postgres: EmmettPostgres;
  readonly dumbo: Dumbo;
  readonly versions: Readonly<Record<string, string>>;
}

export const EMMETT_PACKAGES = [
  '@event-driven-io/emmett',
  '@event-driven-io/emmett-sqlite',
  '@event-driven-io/emmett-postgresql',
  '@event-driven-io/dumbo',
  'sqlite3',
  'pg',
] as const;

/** True when every package the peer benchmark loads is installed in `dir`. */
export function emmettInstalled(dir: string): boolean {
  return EMMETT_PACKAGES.every((name) => existsSync(join(dir, 'node_modules', name, 'package.json')));
}

/** Loads Emmett from its own folder (its CommonJS builds, resolved from that folder only). */
export function loadEmmett(dir: string): Emmett {
  const require = createRequire(join(dir, 'package.json'));
  const versions: Record<string, string> = {};
  for (const name of EMMETT_PACKAGES) {
    const manifest = readFileSync(join(dir, 'node_modules', name, 'package.json'), 'utf8');
    versions[name] = (JSON.parse(manifest) as { version: string }).version;
  }
  return {
    core: require('@event-driven-io/emmett') as EmmettCore,
    sqlite: require('@event-driven-io/emmett-sqlite') as EmmettSqlite,
    postgres: require('@event-driven-io/emmett-postgresql') as EmmettPostgres,
    dumbo: require('@event-driven-io/dumbo') as Dumbo,
    versions,
  };
}
