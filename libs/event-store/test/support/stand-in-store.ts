import {
  KurrentDbEventStore,
  type KurrentDbConnectionOptions,
} from '../../src/kurrentdb/kurrentdb-event-store.js';
import { KurrentDbStandIn } from './kurrentdb-stand-in.js';

/** A store's options on the stand-in, besides where it is; it serves the `oppdrag-` streams unless told. */
export type StandInStoreOptions = Partial<Omit<KurrentDbConnectionOptions, 'connectionString'>>;

/**
 * A stand-in node and a store on it through the real client, for the tests of one file: started before
 * them (a `beforeAll` registered by this call) and stopped after them.
 */
export function standInStore(options: StandInStoreOptions = {}): {
  readonly standIn: KurrentDbStandIn;
  readonly store: KurrentDbEventStore;
} {
  let started: { standIn: KurrentDbStandIn; store: KurrentDbEventStore } | null = null;
  beforeAll(async () => {
    const standIn = await KurrentDbStandIn.start();
    const store = new KurrentDbEventStore({
      connectionString: standIn.connectionString(),
      streamPrefixes: ['oppdrag-'],
      ...options,
    });
    started = { standIn, store };
  });
  afterAll(async () => {
    await started?.store.close();
    await started?.standIn.stop();
  });
  const running = (): { standIn: KurrentDbStandIn; store: KurrentDbEventStore } => {
    if (started === null) throw new Error('the stand-in starts in beforeAll: use it inside a hook or test');
    return started;
  };
  return {
    get standIn() {
      return running().standIn;
    },
    get store() {
      return running().store;
    },
  };
}
