import { KurrentDbEventStore } from '../src/kurrentdb/kurrentdb-event-store.js';
import { eventStoreContract } from './contract.js';
import { KurrentDbStandIn } from './support/kurrentdb-stand-in.js';

let standIn: KurrentDbStandIn;

eventStoreContract('KurrentDB through the real client, against the wire-level stand-in', () => {
  const opened: KurrentDbEventStore[] = [];
  const open = async (): Promise<KurrentDbEventStore> => {
    standIn ??= await KurrentDbStandIn.start();
    const store = new KurrentDbEventStore({
      connectionString: standIn.connectionString(),
      streamPrefixes: ['oppdrag-'],
    });
    opened.push(store);
    return store;
  };
  return {
    category: 'oppdrag',
    open,
    // A restart of the node: its log stays, its cache of recent writes is gone.
    reopen: async () => {
      await standIn.restart();
      return open();
    },
    dispose: async () => {
      await Promise.all(opened.map((store) => store.close()));
      await standIn.stop();
    },
  };
});
