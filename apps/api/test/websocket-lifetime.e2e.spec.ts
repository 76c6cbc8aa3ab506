import WebSocket from 'ws';
import { mintToken } from '../src/auth/tokens.js';
import { startTestServer, TEST_SECRET, type TestServer } from './support/harness.js';

/**
 * A GraphQL WebSocket lives only as long as a valid token: one that never signs in is closed after the
 * connection_init timeout, and a signed-in one is closed when its token expires, ending its subscriptions.
 */
const PROTOCOL = 'graphql-transport-ws';

function open(server: TestServer): Promise<WebSocket> {
  const socket = new WebSocket(server.wsUrl, PROTOCOL);
  return new Promise((resolve, reject) => {
    socket.once('open', () => resolve(socket));
    socket.once('error', reject);
  });
}

/** Resolves with the close code and reason, and how long after the call the socket closed. */
function closed(socket: WebSocket): Promise<{ code: number; reason: string; afterMs: number }> {
  const started = Date.now();
  return new Promise((resolve) =>
    socket.once('close', (code, reason) =>
      resolve({ code, reason: reason.toString(), afterMs: Date.now() - started }),
    ),
  );
}

/** An auditor's token that expires after `expiresIn` (e.g. `2s`, `-1s`). */
function auditorToken(expiresIn: string): Promise<string> {
  const rita = { userId: 'rita', name: 'Rita', role: 'auditor', organisationId: 'riksrevisjonen' } as const;
  return mintToken(TEST_SECRET, rita, { expiresIn });
}

function nextMessage(socket: WebSocket): Promise<{ type: string; payload?: unknown }> {
  return new Promise((resolve) =>
    socket.once('message', (data) => resolve(JSON.parse((data as Buffer).toString('utf8')) as never)),
  );
}

describe('WebSocket connections are bounded in time', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ config: { connectionInitTimeoutMs: 400 } });
  });
  afterAll(() => server.close());

  it('a socket that never sends connection_init is closed after the timeout (4408)', async () => {
    const sockets = await Promise.all([open(server), open(server), open(server)]);
    const results = await Promise.all(sockets.map(closed));
    for (const result of results) {
      expect(result).toMatchObject({ code: 4408, reason: 'Connection initialisation timeout' });
      expect(result.afterMs).toBeLessThan(2000);
    }
  });

  it('a socket that signs in in time stays open past the timeout', async () => {
    const socket = await open(server);
    const token = await server.token('auditor');
    socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } }));
    expect(await nextMessage(socket)).toMatchObject({ type: 'connection_ack' });
    await new Promise((resolve) => setTimeout(resolve, 800));
    expect(socket.readyState).toBe(WebSocket.OPEN);
    const end = closed(socket);
    socket.close(1000);
    expect((await end).code).toBe(1000);
  });

  it('a subscription ends when its token expires: the socket is closed with 4401 and why', async () => {
    const socket = await open(server);
    const token = await auditorToken('2s');
    socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } }));
    expect(await nextMessage(socket)).toMatchObject({ type: 'connection_ack' });
    const end = closed(socket);
    socket.send(
      JSON.stringify({
        id: '1',
        type: 'subscribe',
        payload: { query: 'subscription { oppdragChanged { eventType } }' },
      }),
    );
    const result = await end;
    expect(result).toMatchObject({ code: 4401, reason: 'Unauthorized: the token has expired' });
    // Expiry is to the second: within about two seconds of signing in, not at the connection_init timeout.
    expect(result.afterMs).toBeGreaterThan(500);
    expect(result.afterMs).toBeLessThan(3500);
  });

  it('an expired token is refused at connection_init', async () => {
    const socket = await open(server);
    const token = await auditorToken('-1s');
    const end = closed(socket);
    socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } }));
    expect(await nextMessage(socket)).toMatchObject({ type: 'connection_error' });
    expect((await end).code).not.toBe(4408);
  });
});
