import Database from 'better-sqlite3';
import { loadOppdrag, ManualClock, OppdragCommandHandler, uuidFromName } from '#application';
import {
  addDays,
  decide,
  evolve,
  initialState,
  streamIdFor,
  type Actor,
  type OppdragCommand,
  type OppdragState,
} from '#domain';
import { SqliteEventStore, type EventToAppend } from '#event-store';
import { COLLABORATORS, COORDINATORS, RHF_USERS } from '../data/corpus.js';
import { toAppend } from '../data/generate.js';
import { lifecycle, todayOf } from '../data/lifecycle.js';
import { applyPragmas, storePragmas } from '../raw.js';
import { median, now } from '../stats.js';

export interface AggregateResult {
  readonly events: number;
  readonly runs: number;
  /** Median milliseconds to read and fold the stream (loadOppdrag). */
  readonly loadMs: number;
  /** Median milliseconds for decide on the loaded state. */
  readonly decideMs: number;
  /** Median milliseconds for load + decide. */
  readonly loadDecideMs: number;
  /** Median milliseconds for a whole command through the handler, durable append included. */
  readonly commandMs: number;
  /** Reference: median milliseconds to select the same rows with better-sqlite3 and JSON.parse them. */
  readonly rawReadParseMs: number;
  /** Reference: the raw read and parse plus a one-row insert in its own transaction. */
  readonly rawReadParseInsertMs: number;
}

/**
 * One oppdrag with a long history (deadline changes, collaborators added and removed, reported and
 * reopened again and again): the time to load it and decide on it, against reading the same rows raw.
 */
export async function aggregateBench(
  path: string,
  targetEvents: number,
  runs: number,
): Promise<AggregateResult> {
  const nowMs = Date.now();
  const nowIso = new Date(nowMs).toISOString();
  const today = todayOf(nowMs);
  const store = new SqliteEventStore({ path });
  const base = lifecycle('lang', 0, today);
  const oppdragId = base.oppdragId;
  const streamId = streamIdFor(oppdragId);
  const coordinator = COORDINATORS[0] as Actor;
  const assign = base.commands[0]!;
  const assignData = (assign.command as Extract<OppdragCommand, { type: 'AssignOppdrag' }>).data;
  const lead = assignData.lead as keyof typeof RHF_USERS;
  const member = RHF_USERS[lead][0] as Actor;
  const partner = COLLABORATORS.find(
    (c) => c.id !== lead && !assignData.collaborators.some((x) => x.id === c.id),
  )!;

  // Build the history through the decider, appended in batches of 1,000 events.
  let state: OppdragState = initialState();
  let revision: number | 'no_stream' = 'no_stream';
  let batch: EventToAppend[] = [];
  let events = 0;
  let n = 0;
  const give = async (command: OppdragCommand, actor: Actor): Promise<void> => {
    const commandId = uuidFromName(`bench:aggregate:${n++}`);
    const decided = decide(command, state, { actor, now: nowIso });
    for (const event of decided) state = evolve(state, event);
    batch.push(...decided.map((e, i) => toAppend(e, i, command, actor, commandId, nowIso)));
    events += decided.length;
    if (batch.length >= 990) await flush();
  };
  const flush = async (): Promise<void> => {
    if (batch.length === 0) return;
    const result = await store.appendToStream(streamId, batch, { expectedRevision: revision });
    revision = result.nextExpectedRevision;
    batch = [];
  };
  await give(assign.command, assign.actor);
  await give({ type: 'StartOppdrag', data: { oppdragId, startedOn: today } }, member);
  for (let cycle = 0; events < targetEvents; cycle++) {
    const step = cycle % 5;
    if (step === 0) {
      await give(
        {
          type: 'ChangeDeadline',
          data: {
            oppdragId,
            deadline: addDays(today, 100 + (cycle % 50)),
            reason: 'Ny frist avtalt i oppfølgingsmøtet.',
          },
        },
        coordinator,
      );
    } else if (step === 1) {
      await give(
        {
          type: 'AddCollaborator',
          data: {
            oppdragId,
            collaborator: { id: partner.id, name: partner.name },
            reason: 'Tas med i arbeidet.',
          },
        },
        coordinator,
      );
    } else if (step === 2) {
      await give(
        {
          type: 'RemoveCollaborator',
          data: { oppdragId, collaboratorId: partner.id, reason: 'Deltar ikke lenger.' },
        },
        coordinator,
      );
    } else if (step === 3) {
      await give(
        {
          type: 'ReportOppdrag',
          data: { oppdragId, reportedOn: today, documentRef: `Rapport ${cycle}`, summary: null },
        },
        member,
      );
    } else {
      await give(
        {
          type: 'ReopenOppdrag',
          data: { oppdragId, reason: 'Departementet ber om en supplerende redegjørelse.' },
        },
        coordinator,
      );
    }
  }
  await flush();

  const clock = new ManualClock(nowIso);
  const handler = new OppdragCommandHandler(store, clock);
  const loads: number[] = [];
  const decides: number[] = [];
  const both: number[] = [];
  const commands: number[] = [];
  for (let r = 0; r < runs; r++) {
    const t0 = now();
    const loaded = await loadOppdrag(store, oppdragId);
    const t1 = now();
    const deadline = addDays(today, 300 + r);
    const command: OppdragCommand = {
      type: 'ChangeDeadline',
      data: { oppdragId, deadline, reason: 'Måling av lang historikk.' },
    };
    decide(command, loaded.state, { actor: coordinator, now: nowIso });
    const t2 = now();
    loads.push(t1 - t0);
    decides.push(t2 - t1);
    both.push(t2 - t0);
    const t3 = now();
    await handler.handle(command, {
      commandId: uuidFromName(`bench:aggregate:cmd:${r}`),
      actor: coordinator,
    });
    commands.push(now() - t3);
  }
  const pragmas = storePragmas(store);
  await store.close();

  // The reference: the same rows straight from better-sqlite3, parsed, and a one-row durable insert.
  const db = new Database(path);
  applyPragmas(db, pragmas);
  const select = db.prepare<[string], { data: string; metadata: string }>(
    'SELECT * FROM events WHERE stream_id = ? ORDER BY revision',
  );
  const insert = db.prepare(
    'INSERT INTO events (stream_id, revision, event_id, type, data, metadata, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  const reads: number[] = [];
  const readInserts: number[] = [];
  let rows = 0;
  for (let r = 0; r < runs; r++) {
    const t0 = now();
    const list = select.all(streamId);
    for (const row of list) {
      JSON.parse(row.data);
      JSON.parse(row.metadata);
    }
    const t1 = now();
    const last = list[list.length - 1]!;
    db.transaction(() =>
      insert.run(streamId, 1_000_000 + r, `raw-${r}`, 'DeadlineChanged', last.data, last.metadata, nowIso),
    ).immediate();
    const t2 = now();
    reads.push(t1 - t0);
    readInserts.push(t2 - t0);
    rows = list.length;
  }
  db.close();
  return {
    events: rows,
    runs,
    loadMs: median(loads),
    decideMs: median(decides),
    loadDecideMs: median(both),
    commandMs: median(commands),
    rawReadParseMs: median(reads),
    rawReadParseInsertMs: median(readInserts),
  };
}
