import 'reflect-metadata';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '#application';
import type { Actor } from '#domain';
import { SqliteEventStore } from '#event-store';
import { loadConfig, type AppConfig } from '../../src/config/app-config.js';
import { createApp, type CreatedApp } from '../../src/create-app.js';
import { DEMO_USERS, mintToken } from '../../src/auth/tokens.js';

export const TEST_SECRET = 'test-secret-that-is-at-least-32-characters-long';

export interface TestServer extends CreatedApp {
  readonly url: string;
  readonly wsUrl: string;
  readonly clock: ManualClock;
  readonly store: SqliteEventStore;
  readonly dir: string;
  /** A token for one of the demo users, by role and organisation (e.g. `rhf`, `helse-vest`). */
  token(role: Actor['role'], organisationId?: string): Promise<string>;
  /** POSTs a GraphQL request; returns the HTTP status and the parsed body. */
  gql<T = Record<string, unknown>>(
    token: string | null,
    query: string,
    variables?: Record<string, unknown>,
  ): Promise<{
    status: number;
    body: {
      data?: T | null;
      errors?: Array<{ message: string; extensions?: { code?: string; field?: string } }>;
    };
  }>;
  close(): Promise<void>;
}

/**
 * Starts the real API on a free loopback port with its own temporary store and read models, a manual
 * clock and a known JWT secret. Options override the configuration.
 */
export async function startTestServer(
  options: {
    now?: string;
    demo?: boolean;
    config?: Partial<AppConfig>;
    dir?: string;
    watch?: boolean;
    logStream?: { write(line: string): void };
  } = {},
): Promise<TestServer> {
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'oppdragsflyt-api-'));
  const config = loadConfig(
    { NODE_ENV: 'test', JWT_SECRET: TEST_SECRET, OPPDRAGSFLYT_DATA_DIR: dir, PORT: '0' },
    { demoData: options.demo ?? false, ...options.config },
  );
  const clock = new ManualClock(options.now ?? '2024-05-01T10:00:00.000Z');
  const store = new SqliteEventStore({ path: join(dir, 'events.db'), pollIntervalMs: 20 });
  const created = await createApp({
    config,
    clock,
    store,
    watch: options.watch ?? false,
    ...(options.logStream ? { logStream: options.logStream } : {}),
  });
  await created.app.listen({ port: 0, host: '127.0.0.1' });
  const address = created.app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const url = `http://127.0.0.1:${port}`;
  return {
    ...created,
    url,
    wsUrl: `ws://127.0.0.1:${port}/graphql`,
    clock,
    store,
    dir,
    token: (role, organisationId) => {
      const actor = DEMO_USERS.find(
        (u) => u.role === role && (organisationId === undefined || u.organisationId === organisationId),
      ) ?? {
        userId: `${role}-${organisationId ?? 'x'}`,
        name: `${role} ${organisationId ?? ''}`,
        role,
        organisationId: organisationId ?? 'hod',
      };
      return mintToken(TEST_SECRET, actor);
    },
    gql: async (token, query, variables) => {
      const response = await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        body: JSON.stringify({ query, variables }),
      });
      return { status: response.status, body: (await response.json()) as never };
    },
    close: async () => {
      await created.app.close();
      if (!options.dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}
