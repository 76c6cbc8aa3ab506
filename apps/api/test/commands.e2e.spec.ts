import { randomUUID } from 'node:crypto';
import { dataOf, errorOf, mark, post, writtenSince, type GqlResponse } from './support/clients.js';
import { startTestServer, type TestServer } from './support/harness.js';

/**
 * Every mutation over HTTP, on an empty store on 1 May 2024: who may run it, what it records, what the
 * next query sees, and how it is refused. Each test works on oppdrag of its own.
 */
let server: TestServer;
const tokens = {} as Record<Who, string>;
type Who = 'coordinator' | 'coordinatorElsewhere' | 'leadRhf' | 'otherRhf' | 'auditor';
const WHO: readonly Who[] = ['coordinator', 'coordinatorElsewhere', 'leadRhf', 'otherRhf', 'auditor'];

beforeAll(async () => {
  server = await startTestServer({ now: '2024-05-01T10:00:00.000Z' });
  const [coordinator, elsewhere, lead, other, auditor] = await Promise.all([
    server.token('coordinator', 'hod'),
    // A coordinator token that names an RHF: signed and valid, but not HOD.
    server.token('coordinator', 'helse-vest'),
    server.token('rhf', 'helse-vest'),
    server.token('rhf', 'helse-nord'),
    server.token('auditor'),
  ]);
  Object.assign(tokens, {
    coordinator,
    coordinatorElsewhere: elsewhere,
    leadRhf: lead,
    otherRhf: other,
    auditor,
  });
});
afterAll(() => server.close());

const OPPDRAG_FIELDS = `id status revision lead { id } collaborators { id } statedDeadline startedOn reportedOn
  documentRef milestones { id reportedOn documentRef } closed { outcome reason }`;

interface Result {
  revision: number;
  events: string[];
  duplicate: boolean;
  oppdrag: Record<string, unknown>;
}

let counter = 0;
/** A fresh oppdrag id for one test. */
const freshId = (label: string): string => `e2e-${label.toLowerCase()}-${++counter}`;

function mutate(
  name: string,
  inputType: string,
  token: string,
  input: Record<string, unknown>,
  headers?: Record<string, string>,
): Promise<GqlResponse<Record<string, Result>>> {
  return post(server, {
    token,
    query: `mutation ($input: ${inputType}!) { ${name}(input: $input) { revision events duplicate oppdrag { ${OPPDRAG_FIELDS} } } }`,
    variables: { input },
    ...(headers ? { headers } : {}),
  });
}

const assignInput = (oppdragId: string): Record<string, unknown> => ({
  oppdragId,
  year: 2024,
  title: 'Utrede felles ventelister for barn og unge.',
  description: 'Helse Vest RHF skal, i samarbeid med Helse Nord RHF og FHI, utrede felles ventelister.',
  hovedmalNumber: 1,
  hovedmalTitle: 'Vi skal utdanne, rekruttere og beholde personell',
  lead: 'helse-vest',
  collaborators: ['helse-nord', 'FHI'],
  deadline: '2024-06-30',
  milestones: [{ id: 'status-1', kind: 'statusrapport', title: 'Statusrapport', dueDate: '2024-06-01' }],
  sources: [{ letter: 'Tilleggsdokument 2024', letterKind: 'tilleggsdokument', sectionNumber: 2 }],
});

async function ok(response: GqlResponse<Record<string, Result>>, name: string): Promise<Result> {
  return Promise.resolve(dataOf(response)[name] as Result);
}

async function assign(id: string): Promise<void> {
  await ok(
    await mutate('assignOppdrag', 'AssignOppdragInput', tokens.coordinator, assignInput(id)),
    'assignOppdrag',
  );
}
async function report(id: string): Promise<void> {
  await ok(
    await mutate('reportOppdrag', 'ReportOppdragInput', tokens.leadRhf, {
      oppdragId: id,
      reportedOn: '2024-04-30',
      documentRef: 'Rapport.pdf',
    }),
    'reportOppdrag',
  );
}
async function close(id: string): Promise<void> {
  await ok(
    await mutate('closeOppdrag', 'CloseOppdragInput', tokens.coordinator, {
      oppdragId: id,
      outcome: 'WITHDRAWN',
      reason: 'Trukket i tilleggsdokument.',
    }),
    'closeOppdrag',
  );
}

async function readOppdrag(id: string): Promise<Record<string, unknown> | null> {
  const response = await server.gql<{ oppdrag: Record<string, unknown> | null }>(
    tokens.auditor,
    `query ($id: ID!) { oppdrag(id: $id) { ${OPPDRAG_FIELDS} } }`,
    { id },
  );
  return dataOf(response).oppdrag;
}

interface Case {
  readonly name: string;
  readonly inputType: string;
  /** Who may run it: a HOD coordinator, or a member of the lead RHF (helse-vest). */
  readonly allowed: 'coordinator' | 'leadRhf';
  /** Brings a fresh oppdrag to a state where the command is valid. */
  readonly prepare: (id: string) => Promise<void>;
  readonly input: (id: string) => Record<string, unknown>;
  readonly events: readonly string[];
  /** What the oppdrag shows afterwards. */
  readonly effect: Record<string, unknown>;
}

const CASES: readonly Case[] = [
  {
    name: 'assignOppdrag',
    inputType: 'AssignOppdragInput',
    allowed: 'coordinator',
    prepare: () => Promise.resolve(),
    input: assignInput,
    events: ['OppdragAssigned'],
    effect: {
      status: 'ASSIGNED',
      revision: 0,
      lead: { id: 'helse-vest' },
      collaborators: [{ id: 'helse-nord' }, { id: 'folkehelseinstituttet' }],
      statedDeadline: '2024-06-30',
      milestones: [{ id: 'status-1', reportedOn: null, documentRef: null }],
    },
  },
  {
    name: 'startOppdrag',
    inputType: 'StartOppdragInput',
    allowed: 'leadRhf',
    prepare: assign,
    input: (oppdragId) => ({ oppdragId, startedOn: '2024-04-30' }),
    events: ['OppdragStarted'],
    effect: { status: 'STARTED', startedOn: '2024-04-30', revision: 1 },
  },
  {
    name: 'recordMilestone',
    inputType: 'RecordMilestoneInput',
    allowed: 'leadRhf',
    prepare: assign,
    input: (oppdragId) => ({
      oppdragId,
      milestoneId: 'status-1',
      reportedOn: '2024-04-29',
      documentRef: 'Statusrapport april.pdf',
      note: 'Levert i oppfølgingsmøtet.',
    }),
    // A milestone on an assigned oppdrag means the work started.
    events: ['OppdragStarted', 'MilestoneReported'],
    effect: {
      status: 'STARTED',
      startedOn: '2024-04-29',
      milestones: [{ id: 'status-1', reportedOn: '2024-04-29', documentRef: 'Statusrapport april.pdf' }],
      revision: 2,
    },
  },
  {
    name: 'reportOppdrag',
    inputType: 'ReportOppdragInput',
    allowed: 'leadRhf',
    prepare: assign,
    input: (oppdragId) => ({
      oppdragId,
      reportedOn: '2024-05-01',
      documentRef: 'Rapport.pdf',
      summary: 'Levert.',
    }),
    events: ['OppdragStarted', 'OppdragReported'],
    effect: {
      status: 'REPORTED',
      startedOn: '2024-05-01',
      reportedOn: '2024-05-01',
      documentRef: 'Rapport.pdf',
    },
  },
  {
    name: 'reopenOppdrag',
    inputType: 'ReopenOppdragInput',
    allowed: 'coordinator',
    prepare: async (id) => {
      await assign(id);
      await report(id);
    },
    input: (oppdragId) => ({ oppdragId, reason: 'Rapporten mangler tall for 2023.' }),
    events: ['OppdragReopened'],
    effect: { status: 'STARTED', reportedOn: null, documentRef: null, revision: 3 },
  },
  {
    name: 'closeOppdrag',
    inputType: 'CloseOppdragInput',
    allowed: 'coordinator',
    prepare: assign,
    input: (oppdragId) => ({ oppdragId, outcome: 'WITHDRAWN', reason: 'Trukket i tilleggsdokument.' }),
    events: ['OppdragClosed'],
    effect: { status: 'CLOSED', closed: { outcome: 'WITHDRAWN', reason: 'Trukket i tilleggsdokument.' } },
  },
  {
    name: 'changeDeadline',
    inputType: 'ChangeDeadlineInput',
    allowed: 'coordinator',
    prepare: assign,
    input: (oppdragId) => ({ oppdragId, deadline: '2024-09-01', reason: 'Utsatt etter søknad.' }),
    events: ['DeadlineChanged'],
    effect: { statedDeadline: '2024-09-01', status: 'ASSIGNED' },
  },
  {
    name: 'reassignLead',
    inputType: 'ReassignLeadInput',
    allowed: 'coordinator',
    prepare: assign,
    input: (oppdragId) => ({ oppdragId, lead: 'helse-midt-norge', reason: 'Helse Midt-Norge tar over.' }),
    // Helse Midt-Norge was not addressed: the lead always is, so it is addressed in the same decision.
    events: ['AddresseeAdded', 'LeadReassigned'],
    effect: { lead: { id: 'helse-midt-norge' } },
  },
  {
    name: 'addCollaborator',
    inputType: 'AddCollaboratorInput',
    allowed: 'coordinator',
    prepare: assign,
    input: (oppdragId) => ({ oppdragId, collaborator: 'Helsedirektoratet', reason: 'Trenger data.' }),
    events: ['CollaboratorAdded'],
    effect: {
      collaborators: [{ id: 'helse-nord' }, { id: 'folkehelseinstituttet' }, { id: 'helsedirektoratet' }],
    },
  },
  {
    name: 'removeCollaborator',
    inputType: 'RemoveCollaboratorInput',
    allowed: 'coordinator',
    prepare: assign,
    input: (oppdragId) => ({ oppdragId, collaboratorId: 'helse-nord', reason: 'Ikke lenger aktuelt.' }),
    events: ['CollaboratorRemoved'],
    effect: { collaborators: [{ id: 'folkehelseinstituttet' }] },
  },
];

const run = (c: Case, who: Who, input: Record<string, unknown>, headers?: Record<string, string>) =>
  mutate(c.name, c.inputType, tokens[who], input, headers);

describe.each(CASES)('$name', (c) => {
  describe('role matrix', () => {
    it.each(WHO)('%s', async (who) => {
      const id = freshId(`${c.name}-${who}`);
      await c.prepare(id);
      const before = await mark(server);
      const response = await run(c, who, c.input(id));
      if (who === c.allowed) {
        const result = await ok(response, c.name);
        expect(result.events).toEqual(c.events);
        expect(result.oppdrag).toMatchObject(c.effect);
        expect((await writtenSince(server, before)).map((e) => e.type)).toEqual(c.events);
      } else if (who === 'coordinatorElsewhere') {
        // A coordinator is a user of HOD: a coordinator token for another organisation is not accepted.
        const error = errorOf(response);
        expect(error.extensions?.code).toBe('UNAUTHENTICATED');
        expect(error.message).toMatch(/coordinators are users of HOD/);
        expect(response.body.data ?? null).toBeNull();
        expect(await writtenSince(server, before)).toEqual([]);
      } else {
        const error = errorOf(response);
        expect(error.extensions?.code).toBe('FORBIDDEN');
        // The refusal names the rule that refused it.
        expect(error.message).toMatch(
          /^rule "(only a HOD coordinator may|an RHF acts only on its own part of an oppdrag addressed to it|auditors write nothing)/,
        );
        expect(response.body.data).toBeNull();
        expect(await writtenSince(server, before)).toEqual([]);
      }
    });
  });

  it('read-your-writes: the answer and the very next query show the change', async () => {
    const id = freshId(c.name);
    await c.prepare(id);
    const result = await ok(await run(c, c.allowed, c.input(id)), c.name);
    expect(result.duplicate).toBe(false);
    expect(result.oppdrag).toMatchObject({ ...c.effect, revision: result.revision });
    expect(await readOppdrag(id)).toEqual(result.oppdrag);
  });

  it('a stale expectedRevision is CONFLICT and writes nothing; the current one succeeds', async () => {
    const id = freshId(c.name);
    await c.prepare(id);
    const current = (await readOppdrag(id))?.revision as number | undefined;
    // A new oppdrag has no revision yet: any revision is stale.
    const stale = current === undefined ? 0 : current === 0 ? 1 : current - 1;
    const before = await mark(server);
    const conflict = errorOf(await run(c, c.allowed, { ...c.input(id), expectedRevision: stale }));
    expect(conflict.extensions).toEqual({ code: 'CONFLICT', field: 'expectedRevision' });
    expect(conflict.message).toBe(
      `oppdrag ${id} is at revision ${current ?? 'no_stream'}, not ${stale}: it changed since you read it`,
    );
    expect(await writtenSince(server, before)).toEqual([]);
    const input = current === undefined ? c.input(id) : { ...c.input(id), expectedRevision: current };
    const result = await ok(await run(c, c.allowed, input), c.name);
    expect(result.events).toEqual(c.events);
  });

  it('a retried commandId answers duplicate: true and writes nothing twice', async () => {
    const id = freshId(c.name);
    await c.prepare(id);
    const commandId = randomUUID();
    const first = await ok(await run(c, c.allowed, { ...c.input(id), commandId }), c.name);
    expect(first.duplicate).toBe(false);
    const before = await mark(server);
    const retry = await ok(await run(c, c.allowed, { ...c.input(id), commandId }), c.name);
    expect(retry).toMatchObject({ duplicate: true, revision: first.revision, events: first.events });
    expect(await writtenSince(server, before)).toEqual([]);
    const stored = await server.store.readStream(`oppdrag-${id}`);
    expect(stored.filter((e) => e.metadata.commandId === commandId).map((e) => e.type)).toEqual(c.events);
  });

  it('on a closed oppdrag it is INVALID_TRANSITION and writes nothing (reopen aside)', async () => {
    if (c.name === 'reopenOppdrag') return; // Reopening a closed oppdrag is allowed: see below.
    const id = freshId(c.name);
    await assign(id);
    await close(id);
    const before = await mark(server);
    const error = errorOf(await run(c, c.allowed, c.input(id)));
    expect(error.extensions?.code).toBe('INVALID_TRANSITION');
    expect(error.message).toMatch(
      c.name === 'assignOppdrag' ? /is already assigned/ : /is closed \(withdrawn\)/,
    );
    expect(await writtenSince(server, before)).toEqual([]);
  });
});

describe('racing writers', () => {
  it('two writers who read the same revision: one wins, the other gets CONFLICT', async () => {
    const id = freshId('race');
    await assign(id);
    const change = (deadline: string) =>
      mutate('changeDeadline', 'ChangeDeadlineInput', tokens.coordinator, {
        oppdragId: id,
        deadline,
        reason: `Ny frist ${deadline}.`,
        expectedRevision: 0,
      });
    const answers = await Promise.all([change('2024-08-01'), change('2024-09-01')]);
    const won = answers.filter((a) => a.body.errors === undefined);
    const lost = answers.filter((a) => a.body.errors !== undefined);
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    const conflict = errorOf(lost[0]!);
    expect(conflict.extensions?.code).toBe('CONFLICT');
    expect(conflict.message).toContain(`oppdrag ${id}`);
    const stored = await server.store.readStream(`oppdrag-${id}`);
    expect(stored.map((e) => e.type)).toEqual(['OppdragAssigned', 'DeadlineChanged']);
    expect(await readOppdrag(id)).toMatchObject({
      revision: 1,
      statedDeadline: (dataOf(won[0]!).changeDeadline as Result).oppdrag.statedDeadline,
    });
  });

  it('a retry that races the original writes its events once, and both answers agree', async () => {
    const id = freshId('retry-race');
    await assign(id);
    const input = {
      oppdragId: id,
      reportedOn: '2024-04-30',
      documentRef: 'Rapport.pdf',
      commandId: randomUUID(),
    };
    const answers = await Promise.all([
      mutate('reportOppdrag', 'ReportOppdragInput', tokens.leadRhf, input),
      mutate('reportOppdrag', 'ReportOppdragInput', tokens.leadRhf, input),
    ]);
    const results = await Promise.all(answers.map((a) => ok(a, 'reportOppdrag')));
    expect(results.map((r) => [r.revision, r.events])).toEqual([
      [2, ['OppdragStarted', 'OppdragReported']],
      [2, ['OppdragStarted', 'OppdragReported']],
    ]);
    const stored = await server.store.readStream(`oppdrag-${id}`);
    expect(stored.map((e) => e.type)).toEqual(['OppdragAssigned', 'OppdragStarted', 'OppdragReported']);
  });
});

describe('across RHFs', () => {
  it('a user of one RHF cannot report on an oppdrag another RHF leads', async () => {
    const id = freshId('cross-rhf');
    await assign(id);
    const before = await mark(server);
    const response = await mutate('reportOppdrag', 'ReportOppdragInput', tokens.otherRhf, {
      oppdragId: id,
      reportedOn: '2024-04-30',
      documentRef: 'Vår rapport.pdf',
    });
    expect(errorOf(response)).toMatchObject({
      message: `rule "an RHF acts only on its own part of an oppdrag addressed to it": oppdrag ${id} is addressed to Helse Vest RHF, not Helse Nord RHF`,
      extensions: { code: 'FORBIDDEN' },
    });
    expect(await writtenSince(server, before)).toEqual([]);
    expect(await readOppdrag(id)).toMatchObject({ status: 'ASSIGNED', reportedOn: null, revision: 0 });
  });

  it('after the lead is reassigned, the new lead reports the oppdrag; the old one, still addressed, only its own part', async () => {
    const id = freshId('reassigned');
    await assign(id);
    await ok(
      await mutate('reassignLead', 'ReassignLeadInput', tokens.coordinator, {
        oppdragId: id,
        lead: 'helse-midt-norge',
        reason: 'Helse Midt-Norge overtar.',
      }),
      'reassignLead',
    );
    const input = { oppdragId: id, reportedOn: '2024-04-30', documentRef: 'Rapport.pdf' };
    const old = await ok(
      await mutate('reportOppdrag', 'ReportOppdragInput', tokens.leadRhf, input),
      'reportOppdrag',
    );
    expect(old.oppdrag).toMatchObject({ status: 'STARTED' });
    const now = await ok(
      await mutate(
        'reportOppdrag',
        'ReportOppdragInput',
        await server.token('rhf', 'helse-midt-norge'),
        input,
      ),
      'reportOppdrag',
    );
    expect(now.oppdrag).toMatchObject({ status: 'REPORTED', lead: { id: 'helse-midt-norge' } });
  });
});

describe('refusals, each with its code and nothing written', () => {
  it('NOT_FOUND: a command on an oppdrag that does not exist', async () => {
    const before = await mark(server);
    const start = errorOf(
      await mutate('startOppdrag', 'StartOppdragInput', tokens.leadRhf, {
        oppdragId: 'e2e-finnes-ikke',
        startedOn: '2024-04-30',
      }),
    );
    expect(start).toMatchObject({
      message: 'oppdrag e2e-finnes-ikke does not exist',
      extensions: { code: 'NOT_FOUND' },
    });
    const deadline = errorOf(
      await mutate('changeDeadline', 'ChangeDeadlineInput', tokens.coordinator, {
        oppdragId: 'e2e-finnes-ikke',
        deadline: '2024-09-01',
        reason: 'Utsatt.',
      }),
    );
    expect(deadline.extensions?.code).toBe('NOT_FOUND');
    expect(await writtenSince(server, before)).toEqual([]);
  });

  it('INVALID_TRANSITION: reopening what is not reported, reporting twice', async () => {
    const id = freshId('transitions');
    await assign(id);
    const before = await mark(server);
    const reopen = errorOf(
      await mutate('reopenOppdrag', 'ReopenOppdragInput', tokens.coordinator, {
        oppdragId: id,
        reason: 'Feil.',
      }),
    );
    expect(reopen).toMatchObject({
      message: `Helse Vest RHF's part of oppdrag ${id} is assigned; only a reported part or a closed oppdrag can be reopened`,
      extensions: { code: 'INVALID_TRANSITION' },
    });
    expect(await writtenSince(server, before)).toEqual([]);
    await report(id);
    const after = await mark(server);
    const again = errorOf(
      await mutate('reportOppdrag', 'ReportOppdragInput', tokens.leadRhf, {
        oppdragId: id,
        reportedOn: '2024-05-01',
        documentRef: 'Rapport v2.pdf',
      }),
    );
    expect(again).toMatchObject({
      message: `Helse Vest RHF's part of oppdrag ${id} is already reported; a coordinator must reopen it first`,
      extensions: { code: 'INVALID_TRANSITION' },
    });
    expect(await writtenSince(server, after)).toEqual([]);
  });

  it('BAD_USER_INPUT from input validation names each field, nested ones by their path, and the rule', async () => {
    const before = await mark(server);
    const response = await mutate('assignOppdrag', 'AssignOppdragInput', tokens.coordinator, {
      ...assignInput('e2e-invalid'),
      year: 1999,
      milestones: [{ id: 'Status 1', kind: 'statusrapport', title: 'Status', dueDate: '2024-02-30' }],
      sources: [{ letter: 'Brev', letterKind: 'brev' }],
      commandId: 'not-a-uuid',
    });
    const error = errorOf(response);
    expect(error.extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'year' });
    const problems = error.message.split('; ');
    expect(problems).toEqual(
      expect.arrayContaining([
        'year must not be less than 2000',
        'milestones.0.id must be lower-case letters, digits and dashes (at most 40)',
        'milestones.0.dueDate must be a calendar date YYYY-MM-DD',
        'sources.0.letterKind must be one of the following values: hoveddokument, tilleggsdokument, other',
        'commandId must be a UUID',
      ]),
    );
    expect(problems).toHaveLength(5);
    expect(await writtenSince(server, before)).toEqual([]);
  });

  it('BAD_USER_INPUT from the GraphQL types: a missing required field is named, and nothing runs', async () => {
    const before = await mark(server);
    const response = await mutate('reopenOppdrag', 'ReopenOppdragInput', tokens.coordinator, {
      oppdragId: 'x',
    });
    expect(response.status).toBe(400);
    const error = errorOf(response);
    expect(error.extensions?.code).toBe('BAD_USER_INPUT');
    expect(error.message).toMatch(/Field "reason" of required type "String!" was not provided/);
    expect(await writtenSince(server, before)).toEqual([]);
  });

  it('BAD_USER_INPUT from the domain rules names the field: a business date after today, a report before the start', async () => {
    const id = freshId('dates');
    await assign(id);
    const before = await mark(server);
    const future = errorOf(
      await mutate('startOppdrag', 'StartOppdragInput', tokens.leadRhf, {
        oppdragId: id,
        startedOn: '2024-05-02',
      }),
    );
    expect(future).toMatchObject({
      message: 'startedOn: must not be after today (2024-05-01)',
      extensions: { code: 'BAD_USER_INPUT', field: 'startedOn' },
    });
    expect(await writtenSince(server, before)).toEqual([]);
    await ok(
      await mutate('startOppdrag', 'StartOppdragInput', tokens.leadRhf, {
        oppdragId: id,
        startedOn: '2024-04-20',
      }),
      'startOppdrag',
    );
    const after = await mark(server);
    const early = errorOf(
      await mutate('reportOppdrag', 'ReportOppdragInput', tokens.leadRhf, {
        oppdragId: id,
        reportedOn: '2024-04-10',
        documentRef: 'Rapport.pdf',
      }),
    );
    expect(early).toMatchObject({
      message: "reportedOn: must not be before the day Helse Vest RHF's part was started (2024-04-20)",
      extensions: { code: 'BAD_USER_INPUT', field: 'reportedOn' },
    });
    const hod = errorOf(
      await mutate('addCollaborator', 'AddCollaboratorInput', tokens.coordinator, {
        oppdragId: id,
        collaborator: 'HOD',
        reason: 'Test.',
      }),
    );
    expect(hod).toMatchObject({
      message: 'collaborator: HOD issues the oppdrag and cannot collaborate on it',
      extensions: { code: 'BAD_USER_INPUT', field: 'collaborator' },
    });
    expect(await writtenSince(server, after)).toEqual([]);
  });
});

describe('metadata: who, when, why, and the correlation id', () => {
  type Entry = {
    revision: number;
    type: string;
    recordedAt: string;
    actor: { userId: string; name: string; role: string; organisationId: string };
    commandId: string;
    commandType: string;
    correlationId: string;
    causationId: string;
    reason: string | null;
    data: string;
  };
  const history = async (id: string) =>
    dataOf(
      await server.gql<{ history: { entries: Entry[] } }>(
        tokens.auditor,
        `query ($id: ID!) { history(id: $id, first: 10) { entries { revision type recordedAt
          actor { userId name role organisationId } commandId commandType correlationId causationId reason data } } }`,
        { id },
      ),
    ).history.entries;

  it('echoes x-correlation-id and stores it as the events’ correlationId, with the command id as causation', async () => {
    const id = freshId('correlation');
    await assign(id);
    server.clock.set('2024-05-01T12:34:56.000Z');
    const commandId = randomUUID();
    const response = await mutate(
      'changeDeadline',
      'ChangeDeadlineInput',
      tokens.coordinator,
      { oppdragId: id, deadline: '2024-10-01', reason: 'Avtalt i oppfølgingsmøtet.', commandId },
      { 'x-correlation-id': 'oppfolging-2024-05' },
    );
    expect(response.headers.get('x-correlation-id')).toBe('oppfolging-2024-05');
    await ok(response, 'changeDeadline');
    const entries = await history(id);
    expect(entries[1]).toEqual({
      revision: 1,
      type: 'DeadlineChanged',
      recordedAt: '2024-05-01T12:34:56.000Z',
      actor: {
        userId: 'kari.koordinator',
        name: 'Kari Koordinator (HOD)',
        role: 'COORDINATOR',
        organisationId: 'hod',
      },
      commandId,
      commandType: 'ChangeDeadline',
      correlationId: 'oppfolging-2024-05',
      causationId: commandId,
      reason: 'Avtalt i oppfølgingsmøtet.',
      data: expect.any(String),
    });
    expect(JSON.parse(entries[1]!.data)).toMatchObject({ from: '2024-06-30', to: '2024-10-01' });
    const [, stored] = await server.store.readStream(`oppdrag-${id}`);
    expect(stored?.metadata).toMatchObject({
      correlationId: 'oppfolging-2024-05',
      causationId: commandId,
      commandId,
    });
  });

  it('the audit trail shows the command right after it, with actor and correlation id', async () => {
    const id = freshId('audit');
    await assign(id);
    await mutate(
      'startOppdrag',
      'StartOppdragInput',
      tokens.leadRhf,
      { oppdragId: id, startedOn: '2024-04-30' },
      { 'x-correlation-id': 'oppstart-vest' },
    );
    const { auditTrail } = dataOf(
      await server.gql<{ auditTrail: { entries: Array<Record<string, unknown>> } }>(
        tokens.auditor,
        `query ($id: String) { auditTrail(filter: { oppdragId: $id }) { entries { type revision correlationId actor { userId organisationId } } } }`,
        { id },
      ),
    );
    expect(auditTrail.entries).toEqual([
      expect.objectContaining({ type: 'OppdragAssigned', revision: 0 }),
      {
        type: 'OppdragStarted',
        revision: 1,
        correlationId: 'oppstart-vest',
        actor: { userId: 'vegard.vest', organisationId: 'helse-vest' },
      },
    ]);
  });

  it('every event of one command shares its correlation id', async () => {
    const id = freshId('correlation-two');
    await assign(id);
    const response = await mutate(
      'reportOppdrag',
      'ReportOppdragInput',
      tokens.leadRhf,
      { oppdragId: id, reportedOn: '2024-04-30', documentRef: 'Rapport.pdf' },
      { 'x-correlation-id': 'arlig-melding-2024' },
    );
    expect((await ok(response, 'reportOppdrag')).events).toEqual(['OppdragStarted', 'OppdragReported']);
    const entries = await history(id);
    expect(entries.slice(1).map((e) => [e.type, e.correlationId, e.actor.userId])).toEqual([
      ['OppdragStarted', 'arlig-melding-2024', 'vegard.vest'],
      ['OppdragReported', 'arlig-melding-2024', 'vegard.vest'],
    ]);
  });

  it('without the header (or with an unusable one) the request id is made up, echoed and stored', async () => {
    for (const headers of [{}, { 'x-correlation-id': 'not a usable id!' }] as Array<Record<string, string>>) {
      const id = freshId('correlation-made');
      const response = await mutate(
        'assignOppdrag',
        'AssignOppdragInput',
        tokens.coordinator,
        assignInput(id),
        headers,
      );
      await ok(response, 'assignOppdrag');
      const echoed = response.headers.get('x-correlation-id');
      expect(echoed).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      expect((await history(id))[0]?.correlationId).toBe(echoed);
    }
  });
});
