import { createHash, randomUUID } from 'node:crypto';
import type { CalendarDate } from '#domain';
import { SqliteEventStore } from '#event-store';
import { assignCommand, coordinator, rhfUser } from '#testing';
import { commandDigest, encodeEvent, loadOppdrag, ManualClock, OppdragCommandHandler } from '../src/index.js';

const report = (documentRef = 'sak 24/1') =>
  ({
    type: 'ReportOppdrag',
    data: {
      oppdragId: '2024-hmn-01',
      reportedOn: '2024-05-01' as CalendarDate,
      documentRef,
      summary: null,
    },
  }) as const;

describe('a command id belongs to one actor and one command', () => {
  let store: SqliteEventStore;
  let clock: ManualClock;
  const hmn = rhfUser('helse-midt-norge');

  beforeEach(async () => {
    store = new SqliteEventStore({ path: ':memory:' });
    clock = new ManualClock('2024-05-01T10:00:00.000Z');
    await new OppdragCommandHandler(store, clock).handle(assignCommand(), {
      commandId: randomUUID(),
      actor: coordinator,
    });
  });
  afterEach(() => store.close());

  it('another user re-sending a command id is refused with FORBIDDEN and learns nothing of the oppdrag', async () => {
    const handler = new OppdragCommandHandler(store, clock);
    const commandId = randomUUID();
    await handler.handle(report(), { commandId, actor: hmn });
    const colleague = rhfUser('helse-midt-norge', 'kollega');
    await expect(handler.handle(report(), { commandId, actor: colleague })).rejects.toMatchObject({
      code: 'FORBIDDEN',
      field: 'commandId',
      message: expect.stringMatching(/^commandId: was used by another user/),
    });
    await expect(
      new OppdragCommandHandler(store, clock).handle(report(), { commandId, actor: coordinator }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN', field: 'commandId' });
    expect(await store.readStream('oppdrag-2024-hmn-01')).toHaveLength(3);
  });

  it('the same user re-sending a command id with another command is refused, and nothing is written', async () => {
    const handler = new OppdragCommandHandler(store, clock);
    const commandId = randomUUID();
    await handler.handle(report(), { commandId, actor: hmn });
    await expect(handler.handle(report('sak 24/2'), { commandId, actor: hmn })).rejects.toMatchObject({
      code: 'VALIDATION',
      field: 'commandId',
      message: expect.stringMatching(/^commandId: was used for another command/),
    });
    await expect(
      handler.handle(
        { type: 'StartOppdrag', data: { oppdragId: '2024-hmn-01', startedOn: '2024-04-01' as CalendarDate } },
        { commandId, actor: hmn },
      ),
    ).rejects.toMatchObject({ code: 'VALIDATION', field: 'commandId' });
    expect(await store.readStream('oppdrag-2024-hmn-01')).toHaveLength(3);
  });

  it('parallel retries of one command: one writes, every other answers duplicate with the same events', async () => {
    const handlers = Array.from({ length: 6 }, () => new OppdragCommandHandler(store, clock));
    const commandId = randomUUID();
    const results = await Promise.all(
      handlers.flatMap((h) => [
        h.handle(report(), { commandId, actor: hmn }),
        h.handle(report(), { commandId, actor: hmn }),
      ]),
    );
    expect(results.filter((r) => !r.duplicate)).toHaveLength(1);
    const written = results.find((r) => !r.duplicate)!;
    for (const r of results) {
      expect(r.events).toEqual(written.events);
      expect(r.revision).toBe(written.revision);
    }
    expect(await store.readStream('oppdrag-2024-hmn-01')).toHaveLength(3);
  });
});

describe('a stream is read as of an instant by its order, never by clocks alone', () => {
  let store: SqliteEventStore;
  afterEach(() => store.close());

  it("an instance whose clock runs behind records its event no earlier than the stream's last one", async () => {
    store = new SqliteEventStore({ path: ':memory:' });
    const ahead = new OppdragCommandHandler(store, new ManualClock('2024-05-01T12:00:00.000Z'));
    const behind = new OppdragCommandHandler(store, new ManualClock('2024-05-01T11:00:00.000Z'));
    await ahead.handle(assignCommand(), { commandId: randomUUID(), actor: coordinator });
    await behind.handle(report(), { commandId: randomUUID(), actor: rhfUser('helse-midt-norge') });
    const times = (await store.readStream('oppdrag-2024-hmn-01')).map((e) => e.recordedAt);
    expect(times).toEqual([
      '2024-05-01T12:00:00.000Z',
      '2024-05-01T12:00:00.000Z',
      '2024-05-01T12:00:00.000Z',
    ]);
  });

  it('as of an instant, the stream is cut before its first later event, so the answer is a state it passed through', async () => {
    store = new SqliteEventStore({ path: ':memory:' });
    const handler = new OppdragCommandHandler(store, new ManualClock('2024-05-01T12:00:00.000Z'));
    await handler.handle(assignCommand(), { commandId: randomUUID(), actor: coordinator });
    // An event stored with an earlier time than the one before it (a writer whose clock ran behind).
    const started = encodeEvent({
      type: 'OppdragStarted',
      data: { oppdragId: '2024-hmn-01', part: 'helse-midt-norge', startedOn: '2024-04-01' as CalendarDate },
    });
    await store.appendToStream(
      'oppdrag-2024-hmn-01',
      [
        {
          id: randomUUID(),
          type: started.type,
          data: started.data,
          metadata: { recordedAt: '2024-05-01T11:00:00.000Z', actor: rhfUser('helse-midt-norge') },
        },
      ],
      { expectedRevision: 0 },
    );
    const before = await loadOppdrag(store, '2024-hmn-01', { asOf: '2024-05-01T11:30:00.000Z' });
    expect(before.revision).toBe('no_stream');
    expect(before.state.status).toBe('initial');
    const after = await loadOppdrag(store, '2024-hmn-01', { asOf: '2024-05-01T12:00:00.000Z' });
    expect(after.revision).toBe(1);
    expect(after.state.status).toBe('started');
  });
});

describe('the digest of a command', () => {
  it('is the same for the same command whatever the order of its keys, and differs when anything differs', () => {
    const a = report();
    const reordered = {
      data: { summary: null, documentRef: 'sak 24/1', reportedOn: '2024-05-01', oppdragId: '2024-hmn-01' },
      type: 'ReportOppdrag',
    };
    expect(commandDigest(reordered)).toBe(commandDigest(a));
    expect(commandDigest({ ...a, data: { ...a.data, part: undefined } })).toBe(commandDigest(a));
    expect(commandDigest(report('sak 24/2'))).not.toBe(commandDigest(a));
    expect(commandDigest({ ...a, type: 'StartOppdrag' })).not.toBe(commandDigest(a));
  });

  it('is the digest it was first defined as (stored digests and import ids depend on it)', () => {
    // The first definition: JSON with a replacer rebuilding every object with sorted keys.
    const first = (command: { readonly type: string; readonly data: object }): string => {
      const sorted = (_key: string, value: unknown): unknown =>
        value !== null && typeof value === 'object' && !Array.isArray(value)
          ? Object.fromEntries(Object.entries(value).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)))
          : value;
      return createHash('sha256')
        .update(JSON.stringify({ type: command.type, data: command.data }, sorted))
        .digest('base64url');
    };
    const awkward = {
      oppdragId: '2024-hmn-01',
      zeta: [3, undefined, null, () => 1, { b: 1, a: [{ d: 'x', c: undefined }] }, [], {}],
      alpha: { '10': 'ten', '9': 'nine', b: true, a: false, '01': 'zero-one', '-1': 'minus', Å: 'å' },
      when: new Date('2024-05-01T10:00:00.000Z'),
      custom: { toJSON: () => ({ y: 2, x: 1 }) },
      nothing: undefined,
      numbers: [0, -0, 1.5, 1e21, Number.NaN, Number.POSITIVE_INFINITY],
      text: 'linje\n"sitat" \u0001 😀',
      '4294967295': 'not an index',
      '4294967294': 'an index',
    };
    const commands = [
      report(),
      { type: 'AssignOppdrag', data: awkward },
      { type: 'Empty', data: {} },
      { type: 'Listed', data: [awkward, 1] },
    ];
    for (const command of commands) expect(commandDigest(command)).toBe(first(command));
  });
});

describe('commands that do not conflict succeed under contention', () => {
  const organisations = [
    'helsedirektoratet',
    'folkehelseinstituttet',
    'direktoratet-for-medisinske-produkter',
    'nav',
    'kommunene',
    'ks',
    'bufdir',
    'bufetat',
    'sametinget',
    'fagskolene',
    'helsetilsynet',
    'norsk-helsenett',
    'helseatlas',
    'sykehusinnkjop',
    'nasjonalt-klageorgan',
    'kreftregisteret',
    'universitetene',
    'pasientorganisasjonene',
    'fylkeskommunene',
    'statsforvalterne',
  ];
  const add = (id: string) =>
    ({
      type: 'AddCollaborator',
      data: { oppdragId: '2024-hmn-01', collaborator: { id, name: id }, reason: 'Nevnt i tillegget' },
    }) as const;

  it.each([
    ['one handler', 1],
    ['four handlers on one store, as four processes would be', 4],
  ])('20 parallel AddCollaborator through %s all succeed, each once', async (_name, handlerCount) => {
    const store = new SqliteEventStore({ path: ':memory:' });
    const clock = new ManualClock('2024-05-01T10:00:00.000Z');
    const handlers = Array.from({ length: handlerCount }, () => new OppdragCommandHandler(store, clock));
    await handlers[0]!.handle(assignCommand({ collaborators: [] }), {
      commandId: randomUUID(),
      actor: coordinator,
    });
    const results = await Promise.allSettled(
      organisations.map((id, i) =>
        handlers[i % handlerCount]!.handle(add(id), { commandId: randomUUID(), actor: coordinator }),
      ),
    );
    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
    const added = (await store.readStream('oppdrag-2024-hmn-01')).filter(
      (e) => e.type === 'CollaboratorAdded',
    );
    expect(added.map((e) => (e.data.collaborator as { id: string }).id).sort()).toEqual(
      [...organisations].sort(),
    );
    await store.close();
  });
});
