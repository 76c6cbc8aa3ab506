import { join } from 'node:path';
import Database from 'better-sqlite3';
import { startTestServer, type TestServer } from './support/harness.js';

/**
 * Another process (a SQLite shell, a backup tool, a frozen peer instance) holds the event store's write
 * lock. Appends wait for it on the store's writer thread; health and queries go on answering.
 */
describe('another process holds the event store write lock', () => {
  let server: TestServer;
  let coordinator: string;
  beforeAll(async () => {
    server = await startTestServer();
    coordinator = await server.token('coordinator', 'hod');
  });
  afterAll(() => server.close());

  const assign = (oppdragId: string) =>
    server.gql<{ assignOppdrag: { revision: number } }>(
      coordinator,
      `mutation ($input: AssignOppdragInput!) { assignOppdrag(input: $input) { revision } }`,
      {
        input: {
          oppdragId,
          year: 2024,
          title: 'Utrede felles ventelister.',
          description: 'De regionale helseforetakene skal utrede felles ventelister.',
          hovedmalNumber: 1,
          hovedmalTitle: 'Hovedmål',
          deadline: '2024-06-30',
          sources: [{ letter: 'Oppdragsdokument 2024', letterKind: 'hoveddokument', sectionNumber: 1 }],
        },
      },
    );

  /** GETs a path and says how long the answer took. */
  const timed = async (
    path: string,
  ): Promise<{ status: number; ms: number; body: Record<string, unknown> }> => {
    const t0 = performance.now();
    const response = await fetch(`${server.url}${path}`);
    const body = (await response.json()) as Record<string, unknown>;
    return { status: response.status, ms: performance.now() - t0, body };
  };

  const holdLock = () => {
    const other = new Database(join(server.dir, 'events.db'));
    other.exec('BEGIN IMMEDIATE');
    return () => {
      other.exec('COMMIT');
      other.close();
    };
  };

  it('health and queries answer within 1 s while a mutation waits; the mutation lands once the lock is released', async () => {
    expect((await assign('2024-lock-1')).body).toEqual({ data: { assignOppdrag: { revision: 0 } } });
    const release = holdLock();
    let released = false;
    try {
      const mutation = assign('2024-lock-2');
      const slowest = { live: 0, ready: 0, query: 0 };
      for (let i = 0; i < 8; i++) {
        const [live, ready] = await Promise.all([timed('/health/live'), timed('/health/ready')]);
        expect(live.status).toBe(200);
        expect(ready.status).toBe(200);
        const t0 = performance.now();
        const list = await server.gql<{ oppdragList: { nodes: Array<{ id: string }> } }>(
          coordinator,
          '{ oppdragList(first: 10) { nodes { id } } }',
        );
        expect(list.body.data?.oppdragList.nodes.map((n) => n.id)).toEqual(['2024-lock-1']);
        slowest.live = Math.max(slowest.live, live.ms);
        slowest.ready = Math.max(slowest.ready, ready.ms);
        slowest.query = Math.max(slowest.query, performance.now() - t0);
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
      expect(slowest.live).toBeLessThan(1000);
      expect(slowest.ready).toBeLessThan(1000);
      expect(slowest.query).toBeLessThan(1000);
      release();
      released = true;
      const answer = await mutation;
      expect(answer.body.errors).toBeUndefined();
      expect(answer.body.data?.assignOppdrag.revision).toBe(0);
    } finally {
      if (!released) release();
    }
  });

  it('a mutation that waits past the busy timeout fails clearly, the ready check shows why, and the next one lands once the lock is free', async () => {
    const release = holdLock();
    let released = false;
    try {
      const t0 = performance.now();
      const refused = await assign('2024-lock-3');
      expect(performance.now() - t0).toBeGreaterThanOrEqual(4900);
      expect(refused.body.errors?.[0]).toMatchObject({
        message: expect.stringMatching(
          /another process holds the write lock \(waited 5000 ms\); nothing was stored/,
        ),
        extensions: { code: 'SERVICE_UNAVAILABLE' },
      });
      const ready = await timed('/health/ready');
      expect(ready.ms).toBeLessThan(1000);
      expect(ready.body).toMatchObject({
        status: 'ready',
        store: { writes: 'failing', reason: expect.stringContaining('write lock') },
      });
      expect((await timed('/health/live')).status).toBe(200);
      release();
      released = true;
    } finally {
      if (!released) release();
    }
    const stored = await assign('2024-lock-3');
    expect(stored.body.errors).toBeUndefined();
    expect(stored.body.data?.assignOppdrag.revision).toBe(0);
    expect((await timed('/health/ready')).body).not.toHaveProperty('store');
  });
});
