import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import type { Position, RecordedEvent } from '#event-store';
import type { TestServer } from './harness.js';

export interface GqlError {
  message: string;
  path?: Array<string | number>;
  extensions?: { code?: string; field?: string };
}

export interface GqlResponse<T> {
  status: number;
  headers: Headers;
  body: { data?: T | null; errors?: GqlError[] };
}

/** POSTs a GraphQL request with any headers; returns status, headers and the parsed body. */
export async function post<T = Record<string, unknown>>(
  server: TestServer,
  options: {
    token?: string | null;
    query: string;
    variables?: Record<string, unknown>;
    headers?: Record<string, string>;
  },
): Promise<GqlResponse<T>> {
  const response = await fetch(`${server.url}/graphql`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      ...options.headers,
    },
    body: JSON.stringify({ query: options.query, variables: options.variables }),
  });
  return { status: response.status, headers: response.headers, body: (await response.json()) as never };
}

/** The data of a successful answer; fails the test with the errors otherwise. */
export function dataOf<T>(response: { body: { data?: T | null; errors?: GqlError[] } }): T {
  if (response.body.errors !== undefined || response.body.data === null || response.body.data === undefined) {
    throw new Error(`expected data, got ${JSON.stringify(response.body)}`);
  }
  return response.body.data;
}

/** The one error of a refused request. */
export function errorOf(response: { body: { data?: unknown; errors?: GqlError[] } }): GqlError {
  const errors = response.body.errors ?? [];
  if (errors.length !== 1) throw new Error(`expected one error, got ${JSON.stringify(response.body)}`);
  return errors[0] as GqlError;
}

/** Where the store's head is now, so that a test can ask what was written after it. */
export function mark(server: TestServer): Promise<Position | null> {
  return server.store.headPosition();
}

/** Every event stored after `since`: an empty list means nothing was written. */
export function writtenSince(server: TestServer, since: Position | null): Promise<RecordedEvent[]> {
  return server.store.readAll({ after: since, maxCount: 100_000 });
}

/**
 * Counts the listeners the projector gains, so that a test knows a subscription is live on the server
 * before it makes the change the subscription should see.
 */
export function watchListeners(server: TestServer): { count(): number; waitFor(n: number): Promise<void> } {
  const projector = server.runtime.projector;
  const original = projector.onChange.bind(projector);
  let registered = 0;
  projector.onChange = (listener) => {
    registered += 1;
    return original(listener);
  };
  return {
    count: () => registered,
    waitFor: async (n) => {
      const until = Date.now() + 5000;
      while (registered < n) {
        if (Date.now() > until) throw new Error(`only ${registered} of ${n} subscriptions started`);
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    },
  };
}

export interface LiveSubscription<T> {
  /** The next payload; rejects if none arrives within the timeout. */
  next(timeoutMs?: number): Promise<T>;
  /** Payloads that arrived and were not taken yet. */
  readonly pending: T[];
  /** Resolves with what the server answered when the subscription ended in an error. */
  readonly failed: Promise<unknown>;
  close(): Promise<void>;
}

/** A graphql-ws client (the `graphql-transport-ws` protocol) with the token in connection_init. */
export function wsClient(server: TestServer, token: string | null): Client {
  return createClient({
    url: server.wsUrl,
    webSocketImpl: WebSocket,
    connectionParams: token ? { authorization: `Bearer ${token}` } : {},
    retryAttempts: 0,
    lazy: true,
  });
}

/** Subscribes over WebSocket and buffers what arrives. */
export function subscribe<T>(
  client: Client,
  query: string,
  variables?: Record<string, unknown>,
): LiveSubscription<T> {
  const pending: T[] = [];
  let wake: (() => void) | null = null;
  let fail!: (error: unknown) => void;
  const failed = new Promise<unknown>((resolve) => (fail = resolve));
  const stop = client.subscribe<T>(
    { query, variables },
    {
      next: (value) => {
        if (value.errors) fail(value.errors);
        else pending.push(value.data as T);
        wake?.();
      },
      error: (error) => {
        fail(error);
        wake?.();
      },
      complete: () => wake?.(),
    },
  );
  return {
    pending,
    failed,
    next: async (timeoutMs = 5000) => {
      const until = Date.now() + timeoutMs;
      while (pending.length === 0) {
        if (Date.now() > until) throw new Error('no subscription payload arrived in time');
        await new Promise<void>((resolve) => {
          wake = resolve;
          setTimeout(resolve, 20);
        });
      }
      return pending.shift() as T;
    },
    close: () => {
      stop();
      return Promise.resolve();
    },
  };
}
