import { KurrentDbEventStore } from '../src/kurrentdb/kurrentdb-event-store.js';
import { eventStoreContract } from './contract.js';

/**
 * The contract suite against a real KurrentDB server. Start one with `docker compose up -d kurrentdb`, then
 * `KURRENTDB_CONNECTION_STRING=kurrentdb://localhost:2113?tls=false npm run test:kurrentdb`.
 */
const connectionString = process.env.KURRENTDB_CONNECTION_STRING;

if (connectionString) {
  eventStoreContract('KurrentDB', () => ({
    category: 'oppdrag',
    open: () => Promise.resolve(new KurrentDbEventStore({ connectionString, streamPrefixes: ['oppdrag-'] })),
    reopen: () =>
      Promise.resolve(new KurrentDbEventStore({ connectionString, streamPrefixes: ['oppdrag-'] })),
    dispose: () => Promise.resolve(),
  }));
} else {
  // Written straight to stderr: Jest drops console output of a file whose tests are all skipped.
  process.stderr.write(
    'KurrentDB contract suite skipped: no server here; set KURRENTDB_CONNECTION_STRING=kurrentdb://... to run it\n',
  );
  describe.skip('event store contract: KurrentDB (needs KURRENTDB_CONNECTION_STRING)', () => {
    it('runs the contract suite against a KurrentDB server', () => undefined);
  });
}
