// @ts-check
// The live connection: graphql-ws's own client (served by the API from node_modules, never from a CDN),
// with the page's token in the connection's first message. It reconnects with a growing pause and
// subscribes again; after a reconnect it tells the page, which reloads what it shows, because changes
// made while it was away were not delivered. A refused sign-in is not retried: the same token cannot
// succeed.

import { CloseCode, createClient } from '../vendor/graphql-ws/client.js';

const RETRY_MS = [1000, 2000, 5000, 10000, 30000];

/** @typedef {import('./types.js').LiveState} LiveState */

/**
 * Where a subscription's events go.
 * @template TData
 * @typedef {object} LiveSink
 * @property {(payload: { data?: TData | null }) => void} next
 * @property {(error: unknown) => void} [error]
 */

/**
 * Whether the connection ended because the server refused the token. Mercurius answers a refused
 * `connection_init` with a `connection_error` message, which graphql-ws does not know and closes on as a
 * bad response; graphql-ws's own servers close with "forbidden" or "unauthorized".
 * @param {unknown} event
 */
export function isRefusal(event) {
  const code = /** @type {{ code?: unknown }} */ (event ?? {}).code;
  return code === CloseCode.BadResponse || code === CloseCode.Forbidden || code === CloseCode.Unauthorized;
}

/**
 * @param {{ url: string, token: string, onState?: (state: LiveState, info?: { reconnected: boolean }) => void }} options
 */
export function createLiveClient({ url, token, onState = () => undefined }) {
  let everConnected = false;
  let refused = false;
  let closing = false;
  const client = createClient({
    url,
    lazy: false,
    connectionParams: { authorization: `Bearer ${token}` },
    retryAttempts: Number.POSITIVE_INFINITY,
    shouldRetry: (event) => !isRefusal(event),
    retryWait: (retries) =>
      new Promise((resolve) => setTimeout(resolve, RETRY_MS[Math.min(retries, RETRY_MS.length - 1)])),
    onNonLazyError: (event) => {
      if (isRefusal(event)) {
        refused = true;
        onState('refused');
      }
    },
    on: {
      connecting: () => onState('connecting'),
      connected: () => {
        const reconnected = everConnected;
        everConnected = true;
        onState('online', { reconnected });
      },
      closed: (event) => {
        if (closing) return;
        if (isRefusal(event)) {
          refused = true;
          onState('refused');
        } else if (!refused) onState('offline');
      },
    },
  });

  return {
    /**
     * Starts a subscription; returns a function that stops it.
     * @template TData
     * @param {import('./types.js').Document<TData>} query one of the subscriptions in queries.js
     * @param {Record<string, unknown>} variables
     * @param {LiveSink<TData>} sink
     */
    subscribe(query, variables, sink) {
      return client.subscribe(
        { query, variables },
        {
          next: (payload) => sink.next(/** @type {{ data?: TData | null }} */ (payload)),
          error: (error) => sink.error?.(error),
          complete: () => undefined,
        },
      );
    },
    /** Closes the connection for good. */
    close() {
      closing = true;
      void client.dispose();
    },
  };
}
