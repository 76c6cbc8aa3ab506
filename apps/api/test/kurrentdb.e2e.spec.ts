import 'reflect-metadata';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '#application';
import { KurrentDbStandIn } from '../../../libs/event-store/test/support/kurrentdb-stand-in.js';
import { loadConfig } from '../src/config/app-config.js';
import { createApp, type CreatedApp } from '../src/create-app.js';
import { DEMO_USERS, mintToken } from '../src/auth/tokens.js';
import { TEST_SECRET } from './support/harness.js';

/*
 * The API on OPPDRAGSFLYT_STORE=kurrentdb: the real client against the wire-level stand-in of a node,
 * whose subscriptions are dropped and whose log is rolled back under the running API.
 */

let standIn: KurrentDbStandIn;
let created: CreatedApp;
let url: string;
let dir: string;
let coordinator: string;

beforeAll(async () => {
  standIn = await KurrentDbStandIn.start();
  dir = mkdtempSync(join(tmpdir(), 'oppdragsflyt-api-kurrentdb-'));
  const config = loadConfig(
    {
      NODE_ENV: 'test',
      JWT_SECRET: TEST_SECRET,
      OPPDRAGSFLYT_DATA_DIR: dir,
      PORT: '0',
      OPPDRAGSFLYT_STORE: 'kurrentdb',
      KURRENTDB_CONNECTION_STRING: standIn.connectionString(),
      KURRENTDB_DEADLINE_MS: '500',
    },
    { demoData: false, logLevel: 'silent' },
  );
  created = await createApp({ config, clock: new ManualClock('2024-05-01T10:00:00.000Z'), watch: false });
  await created.app.listen({ port: 0, host: '127.0.0.1' });
  const address = created.app.getHttpServer().address();
  url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  coordinator = await mintToken(
    TEST_SECRET,
    DEMO_USERS.find((u) => u.role === 'coordinator')!,
  );
});
afterAll(async () => {
  await created.app.close();
  await standIn.stop();
  rmSync(dir, { recursive: true, force: true });
});

interface GqlBody {
  data?: {
    assignOppdrag?: { revision: number; oppdrag: { id: string; title: string } };
    oppdrag?: { id: string; title: string } | null;
  } | null;
  errors?: Array<{ message: string; extensions?: { code?: string } }>;
}

async function gql(query: string, variables?: Record<string, unknown>): Promise<GqlBody> {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${coordinator}` },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as GqlBody;
}

const assign = (oppdragId: string) =>
  gql(
    'mutation ($input: AssignOppdragInput!) { assignOppdrag(input: $input) { revision oppdrag { id title } } }',
    {
      input: {
        oppdragId,
        year: 2024,
        title: 'Utrede felles ventelister for barn og unge.',
        description: 'Helse Vest RHF skal utrede felles ventelister.',
        hovedmalNumber: 1,
        hovedmalTitle: 'Vi skal utdanne, rekruttere og beholde personell',
        lead: 'helse-vest',
        collaborators: ['helse-nord'],
        deadline: '2024-06-30',
        milestones: [],
        sources: [{ letter: 'Tilleggsdokument 2024', letterKind: 'tilleggsdokument', sectionNumber: 2 }],
      },
    },
  );

const health = async (which: 'live' | 'ready') => {
  const response = await fetch(`${url}/health/${which}`);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
};

describe('the API on KurrentDB', () => {
  it('answers and shows a write made after the subscription was dropped, saying why it was not ready meanwhile', async () => {
    expect((await assign('2024-kdb-01')).data?.assignOppdrag?.revision).toBe(0);
    expect((await health('ready')).status).toBe(200);

    // The node drops the subscription and, for a while, refuses a new one.
    standIn.refuseSubscriptions(true);
    standIn.dropSubscriptions();
    // Until the store has resubscribed, readiness says why it is not ready; liveness stays.
    let ready = await health('ready');
    const deadline = Date.now() + 5_000;
    while (ready.body.status !== 'interrupted' && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 10));
      ready = await health('ready');
    }
    expect(ready.status).toBe(503);
    expect(ready.body).toMatchObject({
      status: 'interrupted',
      reason: expect.stringMatching(
        /subscription was lost .* resubscribing from \d+\/\d+ in \d+ ms, attempt \d+/,
      ),
    });
    expect((await health('live')).status).toBe(200);
    standIn.refuseSubscriptions(false);

    const written = await assign('2024-kdb-02');
    expect(written.errors).toBeUndefined();
    expect(written.data?.assignOppdrag).toMatchObject({ revision: 0, oppdrag: { id: '2024-kdb-02' } });
    const read = await gql('{ oppdrag(id: "2024-kdb-02") { id title } }');
    expect(read.data?.oppdrag).toEqual({
      id: '2024-kdb-02',
      title: 'Utrede felles ventelister for barn og unge.',
    });
    expect((await health('ready')).status).toBe(200);
  });

  it('answers SERVICE_UNAVAILABLE within the deadline when the node does not answer a read, and the same write works once it does', async () => {
    standIn.holdReads(true);
    const started = Date.now();
    let held: GqlBody;
    try {
      held = await assign('2024-kdb-04');
    } finally {
      standIn.holdReads(false);
    }
    // Far above the deadline of 500 ms: only that the request did not wait for the node for ever.
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(held.data?.assignOppdrag ?? null).toBeNull();
    expect(held.errors?.[0]?.extensions?.code).toBe('SERVICE_UNAVAILABLE');
    const written = await assign('2024-kdb-04');
    expect(written.errors).toBeUndefined();
    expect(written.data?.assignOppdrag).toMatchObject({ revision: 0, oppdrag: { id: '2024-kdb-04' } });
  });

  it('keeps calendar feeds in a stream on the node: a feed is made, read and revoked', async () => {
    expect((await assign('2024-kdb-05')).errors).toBeUndefined();
    const made = (await gql('mutation { createCalendarFeed { feedId path } }')) as {
      data?: { createCalendarFeed?: { feedId: string; path: string } };
    };
    const feed = made.data?.createCalendarFeed;
    expect(feed?.path).toMatch(/^\/kalender\/.+\.ics$/);
    const calendar = await fetch(`${url}${feed!.path}`);
    expect(calendar.status).toBe(200);
    expect(await calendar.text()).toContain('UID:2024-kdb-05.frist.alle@oppdragsflyt');
    const revoked = await gql(`mutation { revokeCalendarFeed(feedId: "${feed!.feedId}") { revokedAt } }`);
    expect(revoked.errors).toBeUndefined();
    expect((await fetch(`${url}${feed!.path}`)).status).toBe(404);
  });

  it('fails liveness when the store was rolled back behind the read models: it cannot go on', async () => {
    const before = standIn.head();
    expect((await assign('2024-kdb-03')).errors).toBeUndefined();
    standIn.truncate(before);
    standIn.dropSubscriptions();
    let live = await health('live');
    const deadline = Date.now() + 5_000;
    while (live.status === 200 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      live = await health('live');
    }
    expect(live.status).toBe(503);
    expect(live.body).toMatchObject({
      status: 'failed',
      reason: expect.stringMatching(/Rebuild the read models/),
    });
    expect((await health('ready')).body).toMatchObject({ status: 'failed' });
  });
});
