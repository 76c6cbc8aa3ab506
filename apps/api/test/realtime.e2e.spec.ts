import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import type { Client } from 'graphql-ws';
import { dataOf, subscribe, watchListeners, wsClient } from './support/clients.js';
import { startTestServer, type TestServer } from './support/harness.js';

/**
 * Subscriptions over WebSocket (graphql-ws, the `graphql-transport-ws` protocol) and the deadline
 * engine: DeadlinePassed recorded through the API, exactly once even with two instances on one store.
 */
type Change = {
  eventType: string;
  recordedAt: string;
  oppdrag: {
    id: string;
    status: string;
    lead: { id: string } | null;
    overdue: boolean;
    deadlinePassedOn: string | null;
  };
};
const CHANGE = 'eventType recordedAt oppdrag { id status lead { id } overdue deadlinePassedOn }';

async function assign(server: TestServer, token: string, id: string, lead: string, deadline: string | null) {
  dataOf(
    await server.gql(
      token,
      `mutation ($input: AssignOppdragInput!) { assignOppdrag(input: $input) { revision } }`,
      { input: { oppdragId: id, year: 2024, title: `Oppdrag ${id}`, lead, deadline } },
    ),
  );
}

describe('subscriptions', () => {
  let server: TestServer;
  let listeners: ReturnType<typeof watchListeners>;
  const clients: Client[] = [];
  const tokens = {} as Record<'coordinator' | 'vest' | 'nord' | 'auditor', string>;

  beforeAll(async () => {
    server = await startTestServer({ now: '2024-05-01T10:00:00.000Z' });
    listeners = watchListeners(server);
    const [coordinator, vest, nord, auditor] = await Promise.all([
      server.token('coordinator', 'hod'),
      server.token('rhf', 'helse-vest'),
      server.token('rhf', 'helse-nord'),
      server.token('auditor'),
    ]);
    Object.assign(tokens, { coordinator, vest, nord, auditor });
    await assign(server, coordinator, 'rt-vest', 'helse-vest', '2024-05-10');
    await assign(server, coordinator, 'rt-nord', 'helse-nord', '2024-05-20');
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => Promise.resolve(c.dispose())));
    await server.close();
  });
  const client = (token: string | null): Client => {
    const c = wsClient(server, token);
    clients.push(c);
    return c;
  };
  const start = (token: string, id: string, day: string) =>
    server.gql(
      token,
      `mutation { startOppdrag(input: { oppdragId: "${id}", startedOn: "${day}" }) { revision } }`,
    );

  it('oppdragChanged: every change, as the read model shows it after the change', async () => {
    const live = subscribe<{ oppdragChanged: Change }>(
      client(tokens.coordinator),
      `subscription { oppdragChanged { ${CHANGE} } }`,
    );
    await listeners.waitFor(listeners.count() + 1);
    dataOf(await start(tokens.vest, 'rt-vest', '2024-04-30'));
    expect(await live.next()).toEqual({
      oppdragChanged: {
        eventType: 'OppdragStarted',
        recordedAt: '2024-05-01T10:00:00.000Z',
        oppdrag: {
          id: 'rt-vest',
          status: 'STARTED',
          lead: { id: 'helse-vest' },
          overdue: false,
          deadlinePassedOn: null,
        },
      },
    });
    await live.close();
  });

  it('oppdragChanged(lead): only changes to what that RHF leads, for any signed-in role', async () => {
    const before = listeners.count();
    const vestOnly = subscribe<{ oppdragChanged: Change }>(
      client(tokens.nord),
      `subscription ($lead: String) { oppdragChanged(lead: $lead) { ${CHANGE} } }`,
      { lead: 'helse-vest' },
    );
    const forAuditor = subscribe<{ oppdragChanged: Change }>(
      client(tokens.auditor),
      `subscription { oppdragChanged { eventType oppdrag { id } } }`,
    );
    await listeners.waitFor(before + 2);
    // Helse Nord's change comes first: had the filter let it through, it would arrive first.
    dataOf(await start(tokens.nord, 'rt-nord', '2024-04-30'));
    dataOf(
      await server.gql(
        tokens.coordinator,
        `mutation { changeDeadline(input: { oppdragId: "rt-vest", deadline: "2024-05-08", reason: "Fremskyndet." }) { revision } }`,
      ),
    );
    const first = await vestOnly.next();
    expect(first.oppdragChanged).toMatchObject({ eventType: 'DeadlineChanged', oppdrag: { id: 'rt-vest' } });
    expect(vestOnly.pending).toEqual([]);
    expect((await forAuditor.next()).oppdragChanged).toEqual({
      eventType: 'OppdragStarted',
      oppdrag: { id: 'rt-nord' },
    });
    expect((await forAuditor.next()).oppdragChanged).toEqual({
      eventType: 'DeadlineChanged',
      oppdrag: { id: 'rt-vest' },
    });
    await Promise.all([vestOnly.close(), forAuditor.close()]);
  });

  it('a bad argument is refused with BAD_USER_INPUT naming the field, also over WebSocket', async () => {
    const bad = subscribe(
      client(tokens.coordinator),
      'subscription { oppdragChanged(lead: "helse-sør") { eventType } }',
    );
    expect(await bad.failed).toEqual([
      expect.objectContaining({
        message: 'lead: must be one of the four RHF ids',
        extensions: { code: 'BAD_USER_INPUT', field: 'lead' },
      }),
    ]);
  });

  it('oppdragBecameOverdue: the engine records DeadlinePassed when the clock passes the deadline', async () => {
    const before = listeners.count();
    const overdue = subscribe<{ oppdragBecameOverdue: Change }>(
      client(tokens.coordinator),
      `subscription { oppdragBecameOverdue { ${CHANGE} } }`,
    );
    await listeners.waitFor(before + 1);
    // The deadline is 8 May; on 8 May it has not passed yet.
    server.clock.set('2024-05-08T20:00:00.000Z');
    expect(await server.runtime.watcher.runOnce()).toEqual({ recorded: 0, alreadyRecorded: 0, failed: 0 });
    // 9 May, 00:30 in Oslo (22:30Z the day before): it has.
    server.clock.set('2024-05-08T22:30:00.000Z');
    expect(await server.runtime.watcher.runOnce()).toEqual({ recorded: 1, alreadyRecorded: 0, failed: 0 });
    expect(await overdue.next()).toEqual({
      oppdragBecameOverdue: {
        eventType: 'DeadlinePassed',
        recordedAt: '2024-05-08T22:30:00.000Z',
        oppdrag: {
          id: 'rt-vest',
          status: 'STARTED',
          lead: { id: 'helse-vest' },
          overdue: true,
          deadlinePassedOn: '2024-05-09',
        },
      },
    });
    // A second run finds nothing new, and the store holds the fact once, recorded by the engine.
    expect(await server.runtime.watcher.runOnce()).toEqual({ recorded: 0, alreadyRecorded: 0, failed: 0 });
    const passed = (await server.store.readStream('oppdrag-rt-vest')).filter(
      (e) => e.type === 'DeadlinePassed',
    );
    expect(passed).toHaveLength(1);
    expect(passed[0]?.metadata).toMatchObject({ actor: { role: 'system', name: 'Fristvakt' } });
    expect(passed[0]?.data).toMatchObject({ deadline: '2024-05-08', passedOn: '2024-05-09' });
    expect(overdue.pending).toEqual([]);
    await overdue.close();
  });

  it('a connection without a valid token is refused at connection_init and no subscription starts', async () => {
    const subscriptionsBefore = listeners.count();
    for (const payload of [{}, { authorization: 'Bearer not.a.token' }]) {
      const frames: string[] = [];
      const socket = new WebSocket(server.wsUrl, 'graphql-transport-ws');
      await new Promise<void>((resolve) => socket.once('open', () => resolve()));
      const closed = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));
      socket.on('message', (data: Buffer) => frames.push(data.toString()));
      socket.send(JSON.stringify({ type: 'connection_init', payload }));
      socket.send(
        JSON.stringify({
          id: '1',
          type: 'subscribe',
          payload: { query: 'subscription { oppdragChanged { eventType } }' },
        }),
      );
      await closed;
      // Mercurius answers with its own `connection_error` frame (not part of graphql-transport-ws) and closes.
      expect(frames.map((f) => JSON.parse(f) as unknown)).toEqual([
        { type: 'connection_error', payload: { message: 'Forbidden' } },
      ]);
    }
    expect(listeners.count()).toBe(subscriptionsBefore);
  });

  it('a valid token in connection_init is acknowledged', async () => {
    const socket = new WebSocket(server.wsUrl, 'graphql-transport-ws');
    await new Promise<void>((resolve) => socket.once('open', () => resolve()));
    const first = new Promise<string>((resolve) =>
      socket.once('message', (data: Buffer) => resolve(data.toString())),
    );
    socket.send(
      JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${tokens.vest}` } }),
    );
    expect(JSON.parse(await first)).toEqual({ type: 'connection_ack' });
    socket.close();
  });
});

describe('two API instances on one store', () => {
  const dir = mkdtempSync(join(tmpdir(), 'oppdragsflyt-two-'));
  let a: TestServer;
  let b: TestServer;
  afterAll(async () => {
    await Promise.all([a?.close(), b?.close()]);
    rmSync(dir, { recursive: true, force: true });
  });

  it('record a passed deadline exactly once, also when both run at once and after a restart', async () => {
    a = await startTestServer({ dir, now: '2024-05-01T10:00:00.000Z' });
    b = await startTestServer({
      dir,
      now: '2024-05-01T10:00:00.000Z',
      config: { readModelPath: join(dir, 'readmodels-b.db') },
    });
    const coordinator = await a.token('coordinator', 'hod');
    await assign(a, coordinator, 'to-instanser', 'helse-vest', '2024-05-10');
    await assign(a, coordinator, 'to-instanser-2', 'helse-nord', '2024-05-12');

    // B learns of A's writes from the shared store, not from A.
    const seen = async (id: string): Promise<void> => {
      const until = Date.now() + 5000;
      while (b.runtime.queries.byId(id) === undefined) {
        if (Date.now() > until) throw new Error(`instance B never saw ${id}`);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    };
    await Promise.all([seen('to-instanser'), seen('to-instanser-2')]);

    a.clock.set('2024-05-13T08:00:00.000Z');
    b.clock.set('2024-05-13T08:00:00.000Z');
    const [ra, rb] = await Promise.all([a.runtime.watcher.runOnce(), b.runtime.watcher.runOnce()]);
    // Each instance handled both facts without failing. (Which of them "recorded" a fact cannot be told
    // apart here: the store accepts the loser's identical append as a repeat, and the command handler
    // reports it as new. The store is what must hold each fact once.)
    for (const run of [ra, rb]) {
      expect(run.failed).toBe(0);
      expect(run.recorded + run.alreadyRecorded).toBe(2);
    }

    const passed = async () =>
      (await a.store.readAll({ maxCount: 1000 }))
        .filter((e) => e.type === 'DeadlinePassed')
        .map((e) => e.streamId)
        .sort();
    expect(await passed()).toEqual(['oppdrag-to-instanser', 'oppdrag-to-instanser-2']);

    // Both answer through the API that the deadline passed on 11 May.
    for (const server of [a, b]) {
      const query = `{ oppdrag(id: "to-instanser") { overdue deadlinePassedOn } }`;
      const until = Date.now() + 5000;
      type Answer = { oppdrag: { overdue: boolean; deadlinePassedOn: string | null } };
      let answer = dataOf(await server.gql<Answer>(coordinator, query));
      while (answer.oppdrag.deadlinePassedOn === null && Date.now() < until) {
        await new Promise((resolve) => setTimeout(resolve, 10));
        answer = dataOf(await server.gql<Answer>(coordinator, query));
      }
      expect(answer).toEqual({ oppdrag: { overdue: true, deadlinePassedOn: '2024-05-11' } });
    }

    // A restart of A (its read models reloaded from its own file) and later runs on both write nothing more.
    await a.close();
    a = await startTestServer({ dir, now: '2024-05-14T08:00:00.000Z' });
    b.clock.set('2024-05-14T08:00:00.000Z');
    const again = await Promise.all([a.runtime.watcher.runOnce(), b.runtime.watcher.runOnce()]);
    expect(again.map((r) => r.recorded)).toEqual([0, 0]);
    expect(await passed()).toEqual(['oppdrag-to-instanser', 'oppdrag-to-instanser-2']);
  });
});
