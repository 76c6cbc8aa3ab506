import type { FastifyInstance } from 'fastify';
import type { WebSocket } from 'ws';
import { bearerToken, type TokenVerifier } from './tokens.js';

/** The close codes of the graphql-transport-ws protocol that these rules use. */
export const CLOSE_INIT_TIMEOUT = { code: 4408, reason: 'Connection initialisation timeout' } as const;
export const CLOSE_TOKEN_EXPIRED = { code: 4401, reason: 'Unauthorized: the token has expired' } as const;

/** setTimeout's longest delay; a later expiry is waited for in steps. */
const MAX_TIMER_MS = 2 ** 31 - 1;

export interface WebSocketLifetimeOptions {
  /** A socket that sends no `connection_init` within this many milliseconds is closed. */
  readonly initTimeoutMs: number;
  readonly tokens: TokenVerifier;
  /** Milliseconds since the epoch, the clock tokens are checked by. */
  readonly now?: () => number;
}

/**
 * Bounds how long a GraphQL WebSocket may live without a valid token: a socket that never sends
 * `connection_init` is closed after `initTimeoutMs` (4408), and an acknowledged one is closed when the
 * token it signed in with expires (4401), ending its subscriptions. Signing in itself (and refusing a bad
 * token) is the GraphQL server's `onConnect`; this only watches the clock.
 */
export function limitWebSocketLifetime(fastify: FastifyInstance, options: WebSocketLifetimeOptions): void {
  // The GraphQL server registers its WebSocket route (and server) in a plugin of its own, so every socket is
  // watched through the route's handler: the hook sees the route wherever it is registered.
  fastify.addHook('onRoute', (route) => {
    const handler = (route as { wsHandler?: WsHandler }).wsHandler;
    if (handler === undefined) return;
    (route as { wsHandler?: WsHandler }).wsHandler = function watched(this: unknown, socket, request) {
      watchSocket(socket, options);
      return handler.call(this, socket, request);
    };
  });
}

type WsHandler = (this: unknown, socket: WebSocket, request: unknown) => unknown;

function watchSocket(socket: WebSocket, options: WebSocketLifetimeOptions): void {
  const now = options.now ?? Date.now;
  let timer: NodeJS.Timeout | undefined = setTimeout(
    () => socket.close(CLOSE_INIT_TIMEOUT.code, CLOSE_INIT_TIMEOUT.reason),
    options.initTimeoutMs,
  );
  const closeAt = (expiresAtMs: number): void => {
    const wait = expiresAtMs - now();
    timer =
      wait > MAX_TIMER_MS
        ? setTimeout(() => closeAt(expiresAtMs), MAX_TIMER_MS)
        : setTimeout(
            () => socket.close(CLOSE_TOKEN_EXPIRED.code, CLOSE_TOKEN_EXPIRED.reason),
            Math.max(0, wait),
          );
  };
  const onMessage = (data: unknown): void => {
    const token = connectionInitToken(data);
    if (token === undefined) return;
    socket.off('message', onMessage);
    clearTimeout(timer);
    timer = undefined;
    if (token === null) return; // no token: onConnect refuses the connection
    options.tokens.verifyToken(token).then(
      ({ exp }) => {
        if (socket.readyState === socket.OPEN || socket.readyState === socket.CONNECTING) closeAt(exp * 1000);
      },
      () => undefined, // a refused token: onConnect closes the connection
    );
  };
  socket.on('message', onMessage);
  socket.once('close', () => clearTimeout(timer));
}

/**
 * The bearer token of a `connection_init` message (null when it has none), or undefined when the message
 * is not one.
 */
function connectionInitToken(data: unknown): string | null | undefined {
  let message: unknown;
  try {
    message = JSON.parse(String(data));
  } catch {
    return undefined;
  }
  if (typeof message !== 'object' || message === null) return undefined;
  const { type, payload } = message as { type?: unknown; payload?: unknown };
  return type === 'connection_init' ? initPayloadToken(payload) : undefined;
}

/** The bearer token in a `connection_init` payload (`{ authorization: 'Bearer …' }`), or null. */
export function initPayloadToken(payload: unknown): string | null {
  const header = (payload ?? {}) as { authorization?: unknown; Authorization?: unknown };
  return bearerToken(header.authorization ?? header.Authorization);
}
