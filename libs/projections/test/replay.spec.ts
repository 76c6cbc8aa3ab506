import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { toStoredOppdragEvent, type StoredOppdragEvent } from '#application';
import { SqliteEventStore, type EventStore, type ScanByStreamOptions } from '#event-store';
import {
  applyToView,
  auditIndexEntryOf,
  foldText,
  foldTextByRule,
  OppdragProjector,
  partEntry,
  ReadModelStore,
  type AuditIndexEntry,
  type OppdragView,
} from '../src/index.js';
import { ViewFold } from '../src/replay-fold.js';
import { HeldAuditRows } from '../src/held-audit.js';
import { ReplayPartitions } from '../src/replay-partitions.js';
import { replayWorkerFromSource, seededRandom } from '#testing';
import { randomHistory } from './support/random-history.js';

/** Everything a read-model file holds, in a stable order, for comparing two of them. */
function contents(models: ReadModelStore) {
  const byId = <T extends { id: string }>(items: T[]): T[] => items.sort((a, b) => (a.id < b.id ? -1 : 1));
  return {
    checkpoint: models.checkpoint(),
    audit: models.audit({ limit: 1_000_000 }),
    searchTexts: [...models.loadSearchTexts()].sort(),
    summaries: byId(models.loadSummaries()),
    views: [...models.allViews()].sort((a, b) => (a.oppdrag.id < b.oppdrag.id ? -1 : 1)),
  };
}

const journalMode = (path: string): string => {
  const db = new Database(path, { readonly: true });
  try {
    return String(db.pragma('journal_mode', { simple: true }));
  } finally {
    db.close();
  }
};

describe('a replay from zero', () => {
  let dir: string;
  let store: SqliteEventStore;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'oppdragsflyt-replay-'));
    store = new SqliteEventStore({ path: join(dir, 'events.db'), pollIntervalMs: 10 });
    const accepted = await randomHistory(store, { seed: 7, steps: 1500, oppdrag: 60 });
    expect(accepted).toBeGreaterThan(300);
  });
  afterAll(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Replays the store from zero into a new file as `options` say and returns the projector and file. */
  async function replayed(
    name: string,
    options: ConstructorParameters<typeof OppdragProjector>[2],
    from: EventStore = store,
  ) {
    const models = new ReadModelStore(join(dir, `${name}.db`));
    const projector = new OppdragProjector(from, models, { retry: false, ...options });
    await projector.start();
    return { models, projector };
  }

  /** The store, doing `act` as it hands out the `n`-th batch of a scan stream by stream; `batches` counts them. */
  function actingOnBatch(n: number, act: () => void) {
    let batches = 0;
    const from: EventStore = Object.create(store, {
      scanByStream: {
        value: (options: ScanByStreamOptions) =>
          store.scanByStream({
            ...options,
            handle: (events) => {
              if (++batches === n) act();
              return options.handle(events);
            },
          }),
      },
    }) as EventStore;
    return { from, batches: () => batches };
  }

  /** The file holds nothing of a replay that did not finish, and a new start replays it all as a plain replay does. */
  async function expectNothingThenAll(
    models: ReadModelStore,
    options: ConstructorParameters<typeof OppdragProjector>[2],
    name: string,
  ): Promise<void> {
    expect(models.checkpoint()).toBeNull();
    expect(models.loadSummaries()).toEqual([]);
    expect(models.audit({ limit: 10 })).toEqual([]);
    const again = new OppdragProjector(store, models, { retry: false, ...options });
    await again.start();
    await again.stop();
    const plain = await replayed(name, { byStream: false });
    await plain.projector.stop();
    expect(contents(models)).toEqual(contents(plain.models));
    plain.models.close();
  }

  it('folds each stream as applyToView does event by event, including events applied again', async () => {
    const events = (await store.readAll({ maxCount: 100_000 }))
      .filter((e) => e.streamId.startsWith('oppdrag-'))
      .map(toStoredOppdragEvent);
    const streams = new Map<string, typeof events>();
    for (const e of events) streams.set(e.oppdragId, [...(streams.get(e.oppdragId) ?? []), e]);
    const { pick } = seededRandom(11);
    let compared = 0;
    for (const stream of streams.values()) {
      const fold = new ViewFold();
      let view: OppdragView | undefined;
      for (const event of stream) {
        // Now and then an event already applied comes again: neither changes anything.
        for (const e of [event, pick(stream)]) {
          const after = applyToView(view, e);
          expect(fold.apply(e)).toBe(after !== undefined && after !== view);
          view = after;
          expect(fold.view()).toEqual(view);
          expect(JSON.stringify(fold.view())).toBe(JSON.stringify(view));
          compared += 1;
        }
      }
    }
    expect(compared).toBe(2 * events.length);
  });

  it('stream by stream, without listeners, writes exactly what a plain replay in global order writes', async () => {
    const plain = await replayed('plain', {
      byStream: false,
      batchSize: 10,
      flushEveryEvents: 50,
      cachedViews: 3,
    });
    const fast = await replayed('fast', { batchSize: 7 });
    const inOneBatch = await replayed('one-batch', { batchSize: 5000 });
    await Promise.all([plain.projector.stop(), fast.projector.stop(), inOneBatch.projector.stop()]);
    const expected = contents(plain.models);
    expect(expected.views.length).toBeGreaterThan(50);
    expect(expected.audit.length).toBeGreaterThan(300);
    expect(contents(fast.models)).toEqual(expected);
    expect(contents(inOneBatch.models)).toEqual(expected);
    // In memory too: the summaries and every view the projector hands out.
    expect(new Map(fast.projector.summaries)).toEqual(new Map(plain.projector.summaries));
    expect([...fast.projector.allViews()]).toEqual([...plain.projector.allViews()]);
    for (const m of [plain.models, fast.models, inOneBatch.models]) m.close();
  });

  it('writes into a new file without the write-ahead log, and leaves it in WAL mode with the same contents', async () => {
    const plain = await replayed('plain-wal', { byStream: false });
    const path = join(dir, 'bulk.db');
    const modes = new Set<string>();
    const models = new ReadModelStore(path);
    const projector = new OppdragProjector(store, models, { retry: false, bulkJournalFromPosition: 0 });
    projector.onChange(() => modes.add(journalMode(path)));
    await projector.start();
    const fast = { models, projector };
    expect(modes).toEqual(new Set(['delete']));
    expect(journalMode(path)).toBe('wal');
    // A replay up to a head short of the threshold keeps the log.
    const shortPath = join(dir, 'short.db');
    const shortModels = new ReadModelStore(shortPath);
    const short = new OppdragProjector(store, shortModels, {
      retry: false,
      bulkJournalFromPosition: Number((await store.headPosition())!.commit) + 1,
    });
    const shortModes = new Set<string>();
    short.onChange(() => shortModes.add(journalMode(shortPath)));
    await short.start();
    await short.stop();
    shortModels.close();
    expect(shortModes).toEqual(new Set(['wal']));
    expect(existsSync(join(dir, 'bulk.db-journal'))).toBe(false);
    // Live writes after it go through the log again.
    await fast.projector.stop();
    await plain.projector.stop();
    expect(contents(fast.models)).toEqual(contents(plain.models));
    fast.models.close();
    plain.models.close();
  });

  it('keeps the write-ahead log while another connection has the file open, with the same contents', async () => {
    const path = join(dir, 'shared.db');
    const other = new ReadModelStore(path);
    const models = new ReadModelStore(path);
    const projector = new OppdragProjector(store, models, { retry: false, bulkJournalFromPosition: 0 });
    const modes = new Set<string>();
    projector.onChange(() => modes.add(journalMode(path)));
    await projector.start();
    expect(modes).toEqual(new Set(['wal']));
    const fast = { models, projector };
    expect(other.checkpoint()).toBe(fast.models.checkpoint());
    const plain = await replayed('plain-shared', { byStream: false });
    await Promise.all([fast.projector.stop(), plain.projector.stop()]);
    expect(contents(other)).toEqual(contents(plain.models));
    for (const m of [other, fast.models, plain.models]) m.close();
  });

  it('on its own writer thread, leaves the file answering as empty until it commits, then as written', async () => {
    const plain = await replayed('plain-thread', { byStream: false });
    const path = join(dir, 'thread.db');
    const models = new ReadModelStore(path);
    const projector = new OppdragProjector(store, models, {
      retry: false,
      writerThreadFromPosition: 0,
      bulkJournalFromPosition: 0,
    });
    const during: Array<{ checkpoint: string | null; audit: number; view: boolean; journal: string }> = [];
    projector.onChange(({ view }) =>
      during.push({
        checkpoint: models.checkpoint(),
        audit: models.audit({ limit: 10 }).length,
        view: models.loadView(view.oppdrag.id) !== undefined,
        journal: journalMode(path),
      }),
    );
    await projector.start();
    expect(during.length).toBeGreaterThan(300);
    expect(new Set(during.map((d) => JSON.stringify(d)))).toEqual(
      new Set([JSON.stringify({ checkpoint: null, audit: 0, view: false, journal: 'delete' })]),
    );
    // The writer thread wrote without the write-ahead log, and left the file with it.
    expect(journalMode(path)).toBe('wal');
    await Promise.all([projector.stop(), plain.projector.stop()]);
    // The same contents as a replay on one thread, in the same connection the store had before.
    expect(contents(models)).toEqual(contents(plain.models));
    expect(contents(models)).toEqual(contents((await replayed('one-thread', {})).models));
    models.close();
    plain.models.close();
  });

  /** The store, telling what the projector asks it: the cuts it gave and the runs of streams scanned here. */
  function watched() {
    const cuts: string[][] = [];
    const scanned: Array<ScanByStreamOptions['streams']> = [];
    const from: EventStore = Object.create(store, {
      splitStreams: {
        value: async (...args: Parameters<NonNullable<EventStore['splitStreams']>>) => {
          const given = await store.splitStreams(...args);
          cuts.push(given);
          return given;
        },
      },
      scanByStream: {
        value: (options: ScanByStreamOptions) => {
          scanned.push(options.streams);
          return store.scanByStream(options);
        },
      },
    }) as EventStore;
    return { from, cuts, scanned };
  }

  const onThreads = (threads: number) => ({
    writerThreadFromPosition: 0,
    partitionFromPosition: 0,
    replayThreads: threads,
    replayWorker: replayWorkerFromSource(),
  });

  it('on several threads, writes and keeps in memory exactly what a plain replay in global order does', async () => {
    const plain = await replayed('plain-parts', { byStream: false });
    const { from, cuts, scanned } = watched();
    const parted = await replayed('parts', { ...onThreads(3), batchSize: 9 }, from);
    // Three runs of streams: this thread scanned the first, two threads the others.
    expect(cuts).toHaveLength(1);
    expect(cuts[0]).toHaveLength(2);
    expect(scanned).toEqual([{ from: '', before: cuts[0]![0] }]);
    await Promise.all([plain.projector.stop(), parted.projector.stop()]);
    const expected = contents(plain.models);
    expect(contents(parted.models)).toEqual(expected);
    // Oppdrag of every run of streams, with the summaries and search texts in memory a plain replay has.
    const ids = [...parted.projector.summaries.keys()].sort();
    expect(ids.some((id) => `oppdrag-${id}` >= cuts[0]![1]!)).toBe(true);
    expect(new Map(parted.projector.summaries)).toEqual(new Map(plain.projector.summaries));
    // Their parts are the shared entries summaryOf makes, from whichever thread they came.
    for (const summary of parted.projector.summaries.values())
      for (const part of summary.parts)
        expect(part).toBe(partEntry(part.rhf, part.status, part.reportedLate));
    expect([...parted.projector.allViews()]).toEqual([...plain.projector.allViews()]);
    for (const id of ids) expect(parted.projector.searchText(id)).toBe(plain.projector.searchText(id));
    plain.models.close();
    parted.models.close();
  });

  it('on several threads, records an unreadable event a partition meets as one thread does', async () => {
    const copy = join(dir, 'events-broken.db');
    const source = new Database(join(dir, 'events.db'), { readonly: true });
    await source.backup(copy);
    source.close();
    const raw = new Database(copy);
    const last = (await store.splitStreams((await store.headPosition())!, 3)).at(-1)!;
    // An event of the last run of streams, which a partition's thread folds.
    const broken = raw
      .prepare<[string], number>(
        'SELECT position FROM events WHERE stream_id >= ? ORDER BY position LIMIT 1 OFFSET 5',
      )
      .pluck()
      .get(last)!;
    raw.prepare("UPDATE events SET data = '{not json' WHERE position = ?").run(broken);
    raw.close();
    const brokenStore = new SqliteEventStore({ path: copy });
    try {
      const problems: string[] = [];
      const oneThread = await replayed('broken-one', { writerThreadFromPosition: 0 }, brokenStore);
      const parted = await replayed(
        'broken-parts',
        { ...onThreads(3), onProblem: (message) => problems.push(message) },
        brokenStore,
      );
      await Promise.all([oneThread.projector.stop(), parted.projector.stop()]);
      expect(problems).toEqual([expect.stringContaining(`at ${broken} in`)]);
      expect(parted.models.skippedEvents().map((e) => e.position.split('/')[0])).toEqual([String(broken)]);
      expect(parted.models.skippedEvents()).toEqual(oneThread.models.skippedEvents());
      expect(contents(parted.models)).toEqual(contents(oneThread.models));
      expect(new Map(parted.projector.summaries)).toEqual(new Map(oneThread.projector.summaries));
      oneThread.models.close();
      parted.models.close();
    } finally {
      await brokenStore.close();
    }
  });

  it('on several threads, fails with the reason of a partition that fails, leaves nothing, and replays it all next time', async () => {
    const path = join(dir, 'parts-failed.db');
    const models = new ReadModelStore(path);
    const failing = new OppdragProjector(store, models, {
      retry: false,
      ...onThreads(2),
      replayWorker: {
        url: new URL(`data:text/javascript,${encodeURIComponent("throw new Error('the partition broke')")}`),
      },
    });
    await expect(failing.start()).rejects.toThrow('the partition broke');
    await expectNothingThenAll(models, onThreads(2), 'plain-parts-failed');
    models.close();
  });

  it('on several threads, stopped halfway, stops the partitions and leaves nothing written', async () => {
    const path = join(dir, 'parts-stopped.db');
    const models = new ReadModelStore(path);
    const stop: { stopping: Promise<void> | null } = { stopping: null };
    const stopping = actingOnBatch(3, () => {
      stop.stopping = projector.stop();
    });
    // Partitions that would never finish: the stop must end them.
    const projector = new OppdragProjector(stopping.from, models, {
      retry: false,
      batchSize: 5,
      ...onThreads(3),
      replayWorker: {
        url: new URL(`data:text/javascript,${encodeURIComponent('setInterval(() => {}, 1000)')}`),
      },
    });
    const starting = projector.start();
    await new Promise<void>((resolve) => {
      const wait = (): void => (stop.stopping ? resolve() : void setTimeout(wait, 5));
      wait();
    });
    await stop.stopping;
    void starting.catch(() => undefined);
    expect(stopping.batches()).toBe(3);
    await expectNothingThenAll(models, onThreads(3), 'plain-parts-stopped');
    models.close();
  });

  it('on several threads, stopped after its own run while partitions still work, ends them and leaves nothing written', async () => {
    const path = join(dir, 'parts-stopped-late.db');
    const models = new ReadModelStore(path);
    let ownRunDone: () => void = () => undefined;
    const ownRun = new Promise<void>((resolve) => (ownRunDone = resolve));
    const telling: EventStore = Object.create(store, {
      scanByStream: {
        value: async (options: ScanByStreamOptions) => {
          await store.scanByStream(options);
          ownRunDone();
        },
      },
    }) as EventStore;
    // Partitions that would never finish: only the stop can end them.
    const projector = new OppdragProjector(telling, models, {
      retry: false,
      ...onThreads(3),
      replayWorker: {
        url: new URL(`data:text/javascript,${encodeURIComponent('setInterval(() => {}, 1000)')}`),
      },
    });
    const starting = projector.start();
    void starting.catch(() => undefined);
    await ownRun;
    // Let the replay's thread hand over its last views and go on to wait for the partitions.
    await new Promise((resolve) => setTimeout(resolve, 50));
    await projector.stop();
    await expectNothingThenAll(models, onThreads(3), 'plain-parts-stopped-late');
    models.close();
  });

  it('on several threads, fails with the reason of the writer thread when it fails on a view of a partition, and commits nothing', async () => {
    const path = join(dir, 'parts-writer-failed.db');
    const models = new ReadModelStore(path);
    // A view of the last run of streams, which a partition folds, cannot be written.
    const last = (await store.splitStreams((await store.headPosition())!, 3)).at(-1)!;
    const refused = (await store.readAll({ maxCount: 100_000 })).find((e) => e.streamId > last)!.streamId;
    const other = new Database(path);
    other.exec(
      `CREATE TRIGGER refuse BEFORE INSERT ON oppdrag_view WHEN NEW.id = '${refused.slice('oppdrag-'.length)}'
       BEGIN SELECT RAISE(ABORT, 'no room for this view'); END`,
    );
    other.close();
    const projector = new OppdragProjector(store, models, { retry: false, ...onThreads(3) });
    await expect(projector.start()).rejects.toThrow('writing the read models failed: no room for this view');
    models.close();
    const fixed = new Database(path);
    fixed.exec('DROP TRIGGER refuse');
    fixed.close();
    const reopened = new ReadModelStore(path);
    await expectNothingThenAll(reopened, onThreads(3), 'plain-parts-writer-failed');
    reopened.close();
  });

  it('stopped halfway on its own writer thread, leaves nothing written, and the next start replays it all', async () => {
    const path = join(dir, 'stopped.db');
    const models = new ReadModelStore(path);
    const projector = new OppdragProjector(store, models, {
      retry: false,
      batchSize: 20,
      writerThreadFromPosition: 0,
    });
    let seen = 0;
    const stop: { stopping: Promise<void> | null } = { stopping: null };
    projector.onChange(() => {
      if (++seen === 100) stop.stopping = projector.stop();
    });
    const starting = projector.start();
    await new Promise<void>((resolve) => {
      const wait = (): void => (stop.stopping ? resolve() : void setTimeout(wait, 5));
      wait();
    });
    await stop.stopping;
    expect(seen).toBeGreaterThanOrEqual(100);
    void starting.catch(() => undefined);
    await expectNothingThenAll(models, { writerThreadFromPosition: 0 }, 'plain-stopped');
    models.close();
  });

  it('fails with the reason of the writer thread when it cannot write, and crashes nothing', async () => {
    const path = join(dir, 'no-views.db');
    const models = new ReadModelStore(path);
    // Another process broke the file: the writer thread cannot prepare its inserts.
    const other = new Database(path);
    other.exec('DROP TABLE oppdrag_view');
    other.close();
    const projector = new OppdragProjector(store, models, { retry: false, writerThreadFromPosition: 0 });
    await expect(projector.start()).rejects.toThrow(
      'writing the read models failed: no such table: oppdrag_view',
    );
    // The store's own connection cannot be opened again on the broken file either, and says why.
    expect(() => models.checkpoint()).toThrow('no such table: oppdrag_view');
    models.close();
  });

  it('failing halfway leaves the file empty and in WAL mode, and the next start replays it all', async () => {
    // The store fails on the third batch of the scan.
    const failing = actingOnBatch(3, () => {
      throw new Error('the disk went away');
    });
    const path = join(dir, 'failed.db');
    const models = new ReadModelStore(path);
    const projector = new OppdragProjector(failing.from, models, {
      retry: false,
      batchSize: 20,
      bulkJournalFromPosition: 0,
    });
    await expect(projector.start()).rejects.toThrow('the disk went away');
    expect(failing.batches()).toBe(3);
    // Without retries, the write in progress is dropped when the file is closed.
    models.close();
    expect(journalMode(path)).toBe('wal');
    const reopened = new ReadModelStore(path);
    expect(reopened.checkpoint()).toBeNull();
    expect(reopened.loadSummaries()).toEqual([]);
    expect(reopened.audit({ limit: 10 })).toEqual([]);
    reopened.close();
    const again = await replayed('failed', { bulkJournalFromPosition: 0 });
    const plain = await replayed('plain-again', { byStream: false });
    await Promise.all([again.projector.stop(), plain.projector.stop()]);
    expect(contents(again.models)).toEqual(contents(plain.models));
    again.models.close();
    plain.models.close();
  });
});

describe('folding text for search', () => {
  it('gives what the rule gives for every character of the basic plane', () => {
    for (let c = 0; c <= 0xffff; c++) {
      const text = String.fromCharCode(c);
      expect(foldText(text)).toBe(foldTextByRule(text));
    }
  });

  it('gives what the rule gives for random Norwegian and other text', () => {
    const { next: random, pick } = seededRandom(3);
    const latin1 = Array.from({ length: 256 }, (_, c) => String.fromCharCode(c));
    const others = ['Ǆ', 'ẞ', 'İ', 'Å', 'ﬁ', '\u0301', 'Ω', '😀', 'ŉ', 'ǰ'];
    for (let i = 0; i < 5000; i++) {
      const length = Math.floor(random() * 40);
      const mixed = i % 5 === 0;
      const text = Array.from({ length }, () => (mixed && random() < 0.2 ? pick(others) : pick(latin1))).join(
        '',
      );
      expect(foldText(text)).toBe(foldTextByRule(text));
    }
    expect(foldText('Helse Sør-Øst, Ærlig ÅPEN Økonomi')).toBe('helse sor-ost, aerlig apen okonomi');
  });
});

describe('the audit rows a replay holds', () => {
  const event = (position: bigint, oppdragId: string, revision: number): StoredOppdragEvent =>
    ({
      event: { type: 'OppdragStarted', data: { oppdragId } },
      oppdragId,
      revision,
      position: { commit: position, prepare: position },
      eventId: `e${position}`,
      metadata: { actor: { userId: 'kari', name: 'Kari', role: 'coordinator', organisationId: 'hod' } },
      recordedAt: '2024-05-01T10:00:00.000Z',
    }) as unknown as StoredOppdragEvent;

  /** The rows held, in the order handed out, as audit index entries. */
  const rowsOut = (held: HeldAuditRows): AuditIndexEntry[] => {
    const rows: AuditIndexEntry[] = [];
    held.forEachInPositionOrder(
      (position, oppdragId, revision, type, recordedAt, actorUserId, actorOrganisation) =>
        rows.push({
          position: String(position),
          oppdragId,
          revision,
          type,
          recordedAt,
          actorUserId,
          actorOrganisation,
        }),
    );
    return rows;
  };

  /** Holds the events' rows and gives back their positions in the order handed out. */
  const positionsOut = (events: StoredOppdragEvent[]): string[] => {
    const held = new HeldAuditRows();
    for (const e of events) expect(held.add(e, e.oppdragId)).toBe(true);
    expect(held.size).toBe(events.length);
    return rowsOut(held).map((r) => r.position);
  };

  it('hands them out in position order, whether the positions lie close together or far apart', () => {
    const dense = [5n, 9n, 6n, 7n, 12n, 8n, 10n].map((p, i) => event(p, `o${i % 3}`, i));
    expect(positionsOut(dense)).toEqual(['5', '6', '7', '8', '9', '10', '12']);
    const sparse = [10n ** 12n, 7n, 10n ** 9n, 3n].map((p, i) => event(p, 'o', i));
    expect(positionsOut(sparse)).toEqual(['3', '7', String(10n ** 9n), String(10n ** 12n)]);
    expect(positionsOut([])).toEqual([]);
  });

  it('holds many more rows than it first has room for', () => {
    const { next: random } = seededRandom(5);
    const positions = Array.from({ length: 5000 }, (_, i) => BigInt(i + 1)).sort(() => random() - 0.5);
    const events = positions.map((p, i) => event(p, `o${i % 97}`, i));
    expect(positionsOut(events)).toEqual(Array.from({ length: 5000 }, (_, i) => String(i + 1)));
  });

  it('gives each row as the audit index entry of its event, with or without an actor', () => {
    const e = event(42n, '2024-a', 3);
    const anonymous = { ...event(43n, '2024-a', 4), metadata: {} } as unknown as StoredOppdragEvent;
    const held = new HeldAuditRows();
    held.add(e, '2024-a');
    held.add(anonymous, '2024-a');
    expect(rowsOut(held)).toEqual([auditIndexEntryOf(e), auditIndexEntryOf(anonymous)]);
    expect(auditIndexEntryOf(anonymous).actorUserId).toBe('ukjent');
  });

  it('holds nothing for a position beyond what a number holds exactly', () => {
    const held = new HeldAuditRows();
    expect(held.add(event(2n ** 60n, 'o', 0), 'o')).toBe(false);
    expect(held.size).toBe(0);
  });
});

describe('the partitions of a replay', () => {
  /** A partition's module that tells one skipped event, then works for ever. */
  const tellsOneSkipped = new URL(
    `data:text/javascript,${encodeURIComponent(`
      import { parentPort } from 'node:worker_threads';
      parentPort.postMessage({
        type: 'skipped',
        skipped: { position: '7/7', eventId: 'e7', streamId: 'oppdrag-x', type: 'OppdragStarted', reason: 'broken' },
        message: 'broken',
      });
      setInterval(() => {}, 1000);
    `)}`,
  );

  it('fail, and crash nothing, when what a partition tells cannot be kept', async () => {
    const ports: MessagePort[] = [];
    const partitions = new ReplayPartitions({
      worker: { url: tellsOneSkipped },
      file: ':unused:',
      upTo: { commit: 10n, prepare: 10n },
      batchSize: 10,
      cuts: ['oppdrag-m'],
      openPort: () => {
        const { port1, port2 } = new MessageChannel();
        ports.push(port2);
        return port1;
      },
      onOppdrag: () => undefined,
      onSkipped: () => {
        throw new Error('writing the read models failed: disk is full');
      },
    });
    expect(partitions.done).toHaveLength(1);
    await expect(partitions.done[0]).rejects.toThrow('disk is full');
    expect(partitions.failure?.message).toContain('disk is full');
    await partitions.stop();
    for (const port of ports) port.close();
  });

  it('are stopped without a failure, and without a rejection left unhandled', async () => {
    const partitions = new ReplayPartitions({
      worker: { url: tellsOneSkipped },
      file: ':unused:',
      upTo: { commit: 10n, prepare: 10n },
      batchSize: 10,
      cuts: ['oppdrag-c', 'oppdrag-m'],
      openPort: () => new MessageChannel().port1,
      onOppdrag: () => undefined,
      onSkipped: () => undefined,
    });
    await partitions.stop();
    const settled = await Promise.allSettled(partitions.done);
    expect(settled.map((s) => s.status)).toEqual(['rejected', 'rejected']);
    expect(partitions.failure).toBeNull();
  });
});
