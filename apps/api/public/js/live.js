// A small client for the graphql-transport-ws protocol (the one the graphql-ws library speaks):
//   client → connection_init { payload }        server → connection_ack
//   client → subscribe { id, payload }          server → next { id, payload } … complete { id }
//   client → complete { id } (stop)             server → error { id, payload: [GraphQLError] }
//   either → ping / pong                        server → connection_error (Mercurius: refused sign-in)
// It reconnects with a growing pause and subscribes again; after a reconnect it tells the page, which
// reloads what it shows, because changes made while it was away were not delivered.

const PROTOCOL = 'graphql-transport-ws';
const RETRY_MS = [1000, 2000, 5000, 10000, 30000];

/**
 * @param {{ url: string, token: string, onState?: (state: 'connecting'|'online'|'offline'|'refused', info?: { reconnected: boolean }) => void }} options
 */
export function createLiveClient({ url, token, onState = () => undefined }) {
  const operations = new Map();
  let socket = null;
  let acknowledged = false;
  let stopped = false;
  let attempts = 0;
  let everConnected = false;
  let retryTimer = null;
  let nextId = 1;

  const send = (message) => {
    if (socket && socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(message));
  };
  const start = (id, op) =>
    send({ id, type: 'subscribe', payload: { query: op.query, variables: op.variables } });

  function connect() {
    if (stopped) return;
    onState('connecting');
    acknowledged = false;
    const ws = new WebSocket(url, PROTOCOL);
    socket = ws;
    ws.addEventListener('open', () => {
      send({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } });
    });
    ws.addEventListener('message', (event) => {
      let message;
      try {
        message = JSON.parse(event.data);
      } catch {
        return;
      }
      receive(message);
    });
    ws.addEventListener('close', () => {
      if (socket !== ws) return;
      socket = null;
      acknowledged = false;
      if (stopped) return;
      onState('offline');
      const pause = RETRY_MS[Math.min(attempts, RETRY_MS.length - 1)];
      attempts += 1;
      retryTimer = setTimeout(connect, pause);
    });
  }

  function receive(message) {
    switch (message.type) {
      case 'connection_ack': {
        acknowledged = true;
        attempts = 0;
        const reconnected = everConnected;
        everConnected = true;
        for (const [id, op] of operations) start(id, op);
        onState('online', { reconnected });
        break;
      }
      case 'ping':
        send({ type: 'pong', payload: message.payload });
        break;
      case 'pong':
        break;
      case 'next':
        operations.get(message.id)?.sink.next?.(message.payload);
        break;
      case 'error': {
        const op = operations.get(message.id);
        operations.delete(message.id);
        op?.sink.error?.(message.payload);
        break;
      }
      case 'complete': {
        const op = operations.get(message.id);
        operations.delete(message.id);
        op?.sink.complete?.();
        break;
      }
      case 'connection_error':
        // The server refused the token: trying again with the same one cannot help.
        stopped = true;
        onState('refused');
        socket?.close(4403, 'refused');
        break;
      default:
        break;
    }
  }

  connect();

  return {
    /** Starts a subscription; returns a function that stops it. */
    subscribe(query, variables, sink) {
      const id = String(nextId);
      nextId += 1;
      const op = { query, variables, sink };
      operations.set(id, op);
      if (acknowledged) start(id, op);
      return () => {
        if (operations.delete(id) && acknowledged) send({ id, type: 'complete' });
      };
    },
    /** Closes the connection for good. */
    close() {
      stopped = true;
      if (retryTimer) clearTimeout(retryTimer);
      operations.clear();
      socket?.close(1000, 'signed out');
      socket = null;
    },
  };
}
