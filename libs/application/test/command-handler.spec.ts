import { randomUUID } from 'node:crypto';
import { CURRENT_SCHEMA_VERSION, type CalendarDate } from '#domain';
import { SqliteEventStore } from '#event-store';
import { assignCommand, coordinator, rhfUser } from '#testing';
import { commandDigest, loadOppdrag, ManualClock, OppdragCommandHandler, eventIdFor } from '../src/index.js';

/** Helse Midt-Norge reports its part of 2024-hmn-01 (started on the way). */
const report = {
  type: 'ReportOppdrag',
  data: {
    oppdragId: '2024-hmn-01',
    reportedOn: '2024-05-01' as CalendarDate,
    documentRef: 'sak 24/1',
    summary: null,
  },
} as const;

describe('the generic command handler (load, decide, append with the revision read)', () => {
  let store: SqliteEventStore;
  let clock: ManualClock;
  let handler: OppdragCommandHandler;
  const hmn = rhfUser('helse-midt-norge');

  beforeEach(() => {
    store = new SqliteEventStore({ path: ':memory:' });
    clock = new ManualClock('2024-05-01T10:00:00.000Z');
    handler = new OppdragCommandHandler(store, clock);
  });
  afterEach(() => store.close());

  it('appends the decided events with metadata: actor, recordedAt from the clock, command, correlation and causation ids', async () => {
    const commandId = randomUUID();
    const correlationId = randomUUID();
    const result = await handler.handle(assignCommand(), { commandId, actor: coordinator, correlationId });
    expect(result.revision).toBe(0);
    expect(result.duplicate).toBe(false);
    const [stored] = await store.readStream('oppdrag-2024-hmn-01');
    expect(stored?.id).toBe(eventIdFor(commandId, 0));
    expect(stored?.metadata).toEqual({
      recordedAt: '2024-05-01T10:00:00.000Z',
      actor: coordinator,
      commandId,
      commandType: 'AssignOppdrag',
      commandDigest: commandDigest(assignCommand()),
      correlationId,
      causationId: commandId,
    });
    expect(stored?.data.schemaVersion).toBe(CURRENT_SCHEMA_VERSION.OppdragAssigned);
  });

  it('a retried command (same command id) appends nothing new and returns the same result', async () => {
    await handler.handle(assignCommand(), { commandId: randomUUID(), actor: coordinator });
    const commandId = randomUUID();
    const first = await handler.handle(report, { commandId, actor: hmn });
    const retry = await handler.handle(report, { commandId, actor: hmn });
    expect(first.events.map((e) => e.type)).toEqual(['OppdragStarted', 'OppdragReported']);
    expect(retry.duplicate).toBe(true);
    expect(retry.events).toEqual(first.events);
    expect(retry.revision).toBe(first.revision);
    expect(await store.readStream('oppdrag-2024-hmn-01')).toHaveLength(3);
  });

  it('a stale expectedRevision from the caller is refused with CONFLICT and nothing is written', async () => {
    await handler.handle(assignCommand(), { commandId: randomUUID(), actor: coordinator });
    await handler.handle(
      { type: 'StartOppdrag', data: { oppdragId: '2024-hmn-01', startedOn: '2024-04-02' as never } },
      { commandId: randomUUID(), actor: hmn },
    );
    await expect(
      handler.handle(
        {
          type: 'ChangeDeadline',
          data: { oppdragId: '2024-hmn-01', deadline: '2024-12-01' as never, reason: 'Utsatt' },
        },
        { commandId: randomUUID(), actor: coordinator },
        { expectedRevision: 0 },
      ),
    ).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(await store.readStream('oppdrag-2024-hmn-01')).toHaveLength(2);
  });

  it('retries a conflict with another writer by re-reading, and both commands land', async () => {
    await handler.handle(assignCommand(), { commandId: randomUUID(), actor: coordinator });
    const add = (id: string, name: string) =>
      handler.handle(
        {
          type: 'AddCollaborator',
          data: { oppdragId: '2024-hmn-01', collaborator: { id, name }, reason: 'Trengs' },
        },
        { commandId: randomUUID(), actor: coordinator },
      );
    const results = await Promise.all([
      add('nav', 'NAV'),
      add('helsedirektoratet', 'Helsedirektoratet'),
      add('kommunene', 'kommunene'),
    ]);
    expect(results.map((r) => r.revision).sort()).toEqual([1, 2, 3]);
    const loaded = await loadOppdrag(store, '2024-hmn-01');
    expect(loaded.state.status !== 'initial' && loaded.state.collaborators.map((c) => c.id).sort()).toEqual([
      'folkehelseinstituttet',
      'helsedirektoratet',
      'kommunene',
      'nav',
    ]);
  });

  it('refuses a domain rule with the domain error and writes nothing', async () => {
    await handler.handle(assignCommand(), { commandId: randomUUID(), actor: coordinator });
    await expect(
      handler.handle(
        {
          type: 'ReportOppdrag',
          data: {
            oppdragId: '2024-hmn-01',
            reportedOn: '2024-05-01' as never,
            documentRef: 'x',
            summary: null,
          },
        },
        { commandId: randomUUID(), actor: rhfUser('helse-vest') },
      ),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect(await store.readStream('oppdrag-2024-hmn-01')).toHaveLength(1);
  });

  it('decides on events another writer appended after this handler last read the oppdrag', async () => {
    const other = new OppdragCommandHandler(store, clock);
    await handler.handle(assignCommand(), { commandId: randomUUID(), actor: coordinator });
    await other.handle(
      {
        type: 'AddCollaborator',
        data: { oppdragId: '2024-hmn-01', collaborator: { id: 'nav', name: 'NAV' }, reason: 'Trengs' },
      },
      { commandId: randomUUID(), actor: coordinator },
    );
    // Only the other handler has seen NAV added; removing it through this one must see it too.
    const removed = await handler.handle(
      {
        type: 'RemoveCollaborator',
        data: { oppdragId: '2024-hmn-01', collaboratorId: 'nav', reason: 'Ikke lenger' },
      },
      { commandId: randomUUID(), actor: coordinator },
    );
    expect(removed.revision).toBe(2);
    expect(removed.state).toEqual((await loadOppdrag(store, '2024-hmn-01')).state);
    // A write the handler did not make, with a stale revision, is still refused by the store.
    await expect(
      store.appendToStream(
        'oppdrag-2024-hmn-01',
        [{ id: randomUUID(), type: 'OppdragStarted', data: {}, metadata: { recordedAt: clock.now() } }],
        { expectedRevision: 1 },
      ),
    ).rejects.toMatchObject({ code: 'CONFLICT' });
  });

  it('gives the same answers with room for a single folded oppdrag, retries included', async () => {
    const small = new OppdragCommandHandler(store, clock, 5, 1);
    const firstId = randomUUID();
    await small.handle(assignCommand(), { commandId: firstId, actor: coordinator });
    await small.handle(assignCommand({ oppdragId: '2024-hmn-02' }), {
      commandId: randomUUID(),
      actor: coordinator,
    });
    const startId = randomUUID();
    const start = {
      type: 'StartOppdrag',
      data: { oppdragId: '2024-hmn-01', startedOn: '2024-05-01' as CalendarDate },
    } as const;
    const started = await small.handle(start, { commandId: startId, actor: hmn });
    expect(started.revision).toBe(1);
    await small.handle(
      {
        type: 'StartOppdrag',
        data: { oppdragId: '2024-hmn-02', startedOn: '2024-05-01' as CalendarDate },
      },
      { commandId: randomUUID(), actor: hmn },
    );
    // 2024-hmn-01 was pushed out by 2024-hmn-02: the retries are still recognised.
    const retry = await small.handle(start, { commandId: startId, actor: hmn });
    expect(retry.duplicate).toBe(true);
    expect(retry.revision).toBe(1);
    const assignRetry = await small.handle(assignCommand(), { commandId: firstId, actor: coordinator });
    expect(assignRetry.duplicate).toBe(true);
    expect(assignRetry.state).toEqual((await loadOppdrag(store, '2024-hmn-01')).state);
    expect(await store.readStream('oppdrag-2024-hmn-01')).toHaveLength(2);
  });

  it('keeps deciding on the stored events after the same command raced on two handlers', async () => {
    const later = new OppdragCommandHandler(store, new ManualClock('2024-05-02T10:00:00.000Z'));
    await handler.handle(assignCommand(), { commandId: randomUUID(), actor: coordinator });
    await later.handle(
      {
        type: 'AddCollaborator',
        data: { oppdragId: '2024-hmn-01', collaborator: { id: 'nav', name: 'NAV' }, reason: 'Trengs' },
      },
      { commandId: randomUUID(), actor: coordinator },
    );
    // The same close, sent twice at once, decided on two days: one is stored, the other answered with it.
    const close = {
      type: 'CloseOppdrag',
      data: { oppdragId: '2024-hmn-01', outcome: 'withdrawn', reason: 'Trukket', supersededBy: null },
    } as const;
    const commandId = randomUUID();
    await Promise.all([
      handler.handle(close, { commandId, actor: coordinator }),
      later.handle(close, { commandId, actor: coordinator }),
    ]);
    expect(await store.readStream('oppdrag-2024-hmn-01')).toHaveLength(3);
    const stored = (await loadOppdrag(store, '2024-hmn-01')).state;
    for (const h of [handler, later]) {
      // Each handler decides the next command on what was stored (a refusal here), whichever close it sent.
      await expect(
        h.handle(
          {
            type: 'ChangeDeadline',
            data: { oppdragId: '2024-hmn-01', deadline: null, reason: 'Feil' },
          },
          { commandId: randomUUID(), actor: coordinator },
        ),
      ).rejects.toMatchObject({ code: 'INVALID_TRANSITION' });
      const kept = (h as unknown as { snapshots: Map<string, { state: unknown }> }).snapshots;
      expect(kept.get('2024-hmn-01')?.state).toEqual(stored);
    }
  });

  it('keeps, after its own appends, exactly the state and revision that folding the stored stream gives', async () => {
    const commands = [
      { command: assignCommand(), actor: coordinator },
      {
        command: {
          type: 'StartOppdrag',
          data: { oppdragId: '2024-hmn-01', startedOn: '2024-05-01' as CalendarDate },
        } as const,
        actor: hmn,
      },
      {
        command: {
          type: 'AddCollaborator',
          data: { oppdragId: '2024-hmn-01', collaborator: { id: 'nav', name: 'NAV' }, reason: 'Trengs' },
        } as const,
        actor: coordinator,
      },
      {
        command: report,
        actor: hmn,
      },
    ];
    const kept = (handler as unknown as { snapshots: Map<string, { state: unknown; revision: number }> })
      .snapshots;
    for (const { command, actor } of commands) {
      const result = await handler.handle(command, { commandId: randomUUID(), actor });
      const stored = await loadOppdrag(store, '2024-hmn-01');
      expect(result.state).toStrictEqual(stored.state);
      expect(kept.get('2024-hmn-01')).toMatchObject({ revision: stored.revision });
      expect(kept.get('2024-hmn-01')?.state).toStrictEqual(stored.state);
    }
  });

  describe('deciding first on the folded oppdrag it keeps, without reading', () => {
    const start = {
      type: 'StartOppdrag',
      data: { oppdragId: '2024-hmn-01', startedOn: '2024-04-02' as CalendarDate },
    } as const;
    const changeDeadline = {
      type: 'ChangeDeadline',
      data: { oppdragId: '2024-hmn-01', deadline: '2024-12-01' as CalendarDate, reason: 'Utsatt' },
    } as const;

    /** The handler's store, counting the reads of the oppdrag's stream. */
    function counting(): { reads: () => number; handler: OppdragCommandHandler } {
      let reads = 0;
      const counted = new Proxy(store, {
        get(target, key, receiver) {
          if (key === 'readStream') {
            return (...args: Parameters<SqliteEventStore['readStream']>) => {
              if (args[0] === 'oppdrag-2024-hmn-01') reads += 1;
              return target.readStream(...args);
            };
          }
          const value: unknown = Reflect.get(target, key, receiver);
          return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
        },
      });
      return { reads: () => reads, handler: new OppdragCommandHandler(counted, clock) };
    }

    it('handles the commands of an oppdrag it wrote itself without reading its stream again', async () => {
      const { reads, handler: own } = counting();
      // Nothing is kept of an oppdrag not seen before: it is read.
      await own.handle(assignCommand(), { commandId: randomUUID(), actor: coordinator });
      expect(reads()).toBe(1);
      await own.handle(start, { commandId: randomUUID(), actor: hmn });
      const reported = await own.handle(report, { commandId: randomUUID(), actor: hmn });
      expect(reads()).toBe(1);
      expect(reported.revision).toBe(2);
      expect(reported.state).toStrictEqual((await loadOppdrag(store, '2024-hmn-01')).state);
    });

    it('decides again on the stored stream when another writer moved it, and refuses what that refuses', async () => {
      const { reads, handler: own } = counting();
      const other = new OppdragCommandHandler(store, clock);
      await own.handle(assignCommand(), { commandId: randomUUID(), actor: coordinator });
      await other.handle(
        {
          type: 'CloseOppdrag',
          data: { oppdragId: '2024-hmn-01', outcome: 'withdrawn', reason: 'Trukket', supersededBy: null },
        },
        { commandId: randomUUID(), actor: coordinator },
      );
      // On the kept snapshot the change is allowed; on the stored stream the oppdrag is closed.
      await expect(
        own.handle(changeDeadline, { commandId: randomUUID(), actor: coordinator }),
      ).rejects.toMatchObject({ code: 'INVALID_TRANSITION' });
      expect(reads()).toBe(2);
      expect(await store.readStream('oppdrag-2024-hmn-01')).toHaveLength(2);
    });

    it('answers a retry another handler stored as a duplicate, though the kept snapshot decides it into other events', async () => {
      const other = new OppdragCommandHandler(store, clock);
      await handler.handle(assignCommand(), { commandId: randomUUID(), actor: coordinator });
      await other.handle(start, { commandId: randomUUID(), actor: hmn });
      const commandId = randomUUID();
      const stored = await other.handle(report, { commandId, actor: hmn });
      expect(stored.events.map((e) => e.type)).toEqual(['OppdragReported']);
      // This handler still holds the oppdrag as not started: there the report would also start it (two
      // events, the first with the id the stored report has).
      const retry = await handler.handle(report, { commandId, actor: hmn });
      expect(retry).toMatchObject({ duplicate: true, revision: stored.revision, events: stored.events });
      await expect(
        handler.handle(report, { commandId, actor: rhfUser('helse-midt-norge', 'kollega') }),
      ).rejects.toMatchObject({ code: 'FORBIDDEN', field: 'commandId' });
      expect(await store.readStream('oppdrag-2024-hmn-01')).toHaveLength(3);
    });

    it("judges the caller's expected revision by the stored stream, not by the kept snapshot", async () => {
      const other = new OppdragCommandHandler(store, clock);
      await handler.handle(assignCommand(), { commandId: randomUUID(), actor: coordinator });
      await other.handle(start, { commandId: randomUUID(), actor: hmn });
      // The snapshot says 0, the stream says 1: the caller who read 1 is right.
      await expect(
        handler.handle(
          changeDeadline,
          { commandId: randomUUID(), actor: coordinator },
          { expectedRevision: 1 },
        ),
      ).resolves.toMatchObject({ revision: 2 });
      await other.handle(report, { commandId: randomUUID(), actor: hmn });
      // The snapshot says 2, like the caller; the stream has moved to 3.
      await expect(
        handler.handle(
          { ...changeDeadline, data: { ...changeDeadline.data, deadline: '2025-01-01' as CalendarDate } },
          { commandId: randomUUID(), actor: coordinator },
          { expectedRevision: 2 },
        ),
      ).rejects.toMatchObject({
        code: 'CONFLICT',
        message: expect.stringMatching(/is at revision 3, not 2/),
      });
      expect(await store.readStream('oppdrag-2024-hmn-01')).toHaveLength(4);
    });
  });

  it('refuses a command id that is not a UUID', async () => {
    await expect(
      handler.handle(assignCommand(), { commandId: 'retry-me', actor: coordinator }),
    ).rejects.toMatchObject({
      code: 'VALIDATION',
    });
  });

  it('loads an oppdrag as it stood at an instant', async () => {
    await handler.handle(assignCommand(), { commandId: randomUUID(), actor: coordinator });
    clock.set('2024-05-03T09:00:00.000Z');
    await handler.handle(
      {
        type: 'ReportOppdrag',
        data: {
          oppdragId: '2024-hmn-01',
          reportedOn: '2024-05-03' as never,
          documentRef: 'x',
          summary: null,
        },
      },
      { commandId: randomUUID(), actor: hmn },
    );
    expect((await loadOppdrag(store, '2024-hmn-01', { asOf: '2024-05-02T00:00:00Z' })).state.status).toBe(
      'assigned',
    );
    expect((await loadOppdrag(store, '2024-hmn-01', { asOf: '2024-05-03T09:00:00Z' })).state.status).toBe(
      'reported',
    );
    expect((await loadOppdrag(store, '2024-hmn-01', { asOf: '2024-04-01T00:00:00Z' })).state.status).toBe(
      'initial',
    );
  });
});
