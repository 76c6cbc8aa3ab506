import { randomUUID } from 'node:crypto';
import { dataOf, errorOf, mark, post, writtenSince } from './support/clients.js';
import { startTestServer, type TestServer } from './support/harness.js';

/**
 * Joint oppdrag over HTTP: every addressed RHF reports its own part, the oppdrag's status follows from the
 * parts, and each RHF asks what it owes. On the demo data, read on 1 May 2024, and on oppdrag of their own.
 */
let server: TestServer;
const tokens: Record<string, string> = {};
const RHFS = ['helse-sor-ost', 'helse-vest', 'helse-midt-norge', 'helse-nord'] as const;

beforeAll(async () => {
  server = await startTestServer({ demo: true, now: '2024-05-01T10:00:00.000Z' });
  tokens.coordinator = await server.token('coordinator', 'hod');
  tokens.auditor = await server.token('auditor');
  for (const rhf of RHFS) tokens[rhf] = await server.token('rhf', rhf);
});
afterAll(() => server.close());

const PARTS = 'parts { organisation { id } lead status reportedOn owes dueDate overdue }';

async function mutate(name: string, type: string, token: string, input: Record<string, unknown>) {
  return post<Record<string, { events: string[]; duplicate: boolean; oppdrag: Record<string, unknown> }>>(
    server,
    {
      token,
      query: `mutation ($input: ${type}!) { ${name}(input: $input) { events duplicate oppdrag { id status ${PARTS} allowedActions } } }`,
      variables: { input },
    },
  );
}

async function assign(oppdragId: string, extra: Record<string, unknown>): Promise<void> {
  const response = await mutate('assignOppdrag', 'AssignOppdragInput', tokens.coordinator!, {
    oppdragId,
    // Next year's letter, so that the demo's 2024 answers below stay as the demo tells them.
    year: 2025,
    title: 'Felles oppdrag',
    description: 'De regionale helseforetakene skal utrede felles løsninger.',
    deadline: '2025-09-01',
    ...extra,
  });
  dataOf(response);
}

const report = (token: string, oppdragId: string, extra: Record<string, unknown> = {}) =>
  mutate('reportOppdrag', 'ReportOppdragInput', token, {
    oppdragId,
    reportedOn: '2024-05-01',
    documentRef: `Rapport ${oppdragId}.pdf`,
    ...extra,
  });

describe('an RHF user reports its own part', () => {
  it('of an oppdrag with no lead: the oppdrag is reported when the last part is', async () => {
    const id = 'parts-ingen-leder';
    await assign(id, { lead: null });
    const first = dataOf(await report(tokens['helse-vest']!, id)).reportOppdrag!;
    expect(first.events).toEqual(['OppdragStarted', 'OppdragReported']);
    expect(first.oppdrag).toMatchObject({ status: 'STARTED', allowedActions: [] });
    const parts = first.oppdrag.parts as Array<{
      organisation: { id: string };
      status: string;
      owes: string;
    }>;
    expect(parts.map((p) => [p.organisation.id, p.status, p.owes])).toEqual([
      ['helse-sor-ost', 'ASSIGNED', 'JOINT'],
      ['helse-vest', 'REPORTED', 'JOINT'],
      ['helse-midt-norge', 'ASSIGNED', 'JOINT'],
      ['helse-nord', 'ASSIGNED', 'JOINT'],
    ]);
    for (const rhf of ['helse-sor-ost', 'helse-midt-norge']) dataOf(await report(tokens[rhf]!, id));
    const last = dataOf(await report(tokens['helse-nord']!, id)).reportOppdrag!;
    expect(last.oppdrag.status).toBe('REPORTED');
  });

  it("of a led oppdrag: another part's report leaves it started; the lead's reports it", async () => {
    const id = 'parts-ledet';
    await assign(id, { lead: 'helse-nord', addressees: [...RHFS] });
    const vest = dataOf(await report(tokens['helse-vest']!, id)).reportOppdrag!;
    expect(vest.oppdrag.status).toBe('STARTED');
    const vestPart = (vest.oppdrag.parts as Array<Record<string, unknown>>).find(
      (p) => (p.organisation as { id: string }).id === 'helse-vest',
    );
    expect(vestPart).toMatchObject({
      lead: false,
      owes: 'ANNUAL_REPORT',
      dueDate: '2026-03-15',
      status: 'REPORTED',
    });
    const nord = dataOf(await report(tokens['helse-nord']!, id)).reportOppdrag!;
    expect(nord.oppdrag.status).toBe('REPORTED');
  });

  it("is refused on another RHF's part, and on an oppdrag not addressed to it, writing nothing", async () => {
    const id = 'parts-andres-del';
    await assign(id, { lead: 'helse-vest', addressees: ['helse-vest', 'helse-nord'] });
    const before = await mark(server);
    const other = errorOf(await report(tokens['helse-nord']!, id, { part: 'helse-vest' }));
    expect(other).toMatchObject({
      message: `rule "an RHF acts only on its own part of an oppdrag addressed to it": Nils i Helse Nord of Helse Nord RHF cannot act on Helse Vest RHF's part`,
      extensions: { code: 'FORBIDDEN' },
    });
    const outside = errorOf(await report(tokens['helse-sor-ost']!, id));
    expect(outside.extensions?.code).toBe('FORBIDDEN');
    expect(outside.message).toContain(
      'is addressed to Helse Vest RHF, Helse Nord RHF, not Helse Sør-Øst RHF',
    );
    expect(await writtenSince(server, before)).toEqual([]);
  });
});

describe('what each RHF has and owes, on the demo', () => {
  it('shows a joint oppdrag with its parts, and what the asking user may do', async () => {
    const { oppdrag } = dataOf<{ oppdrag: Record<string, unknown> }>(
      await server.gql(
        tokens['helse-nord']!,
        `{ oppdrag(id: "2024-demo-05") { status addressees { id } ${PARTS} overdueParts { organisation { id } } allowedActions } }`,
      ),
    );
    expect(oppdrag).toMatchObject({
      status: 'STARTED',
      addressees: RHFS.map((id) => ({ id })),
      overdueParts: [],
      allowedActions: ['report'],
    });
    expect((oppdrag.parts as Array<{ status: string }>).map((p) => p.status)).toEqual([
      'ASSIGNED',
      'REPORTED',
      'REPORTED',
      'STARTED',
    ]);
  });

  it('myParts: what Helse Nord leads, what is addressed to it, and what it collaborates on, soonest first', async () => {
    const { myParts } = dataOf<{
      myParts: { organisation: { id: string }; totalCount: number; items: Array<Record<string, unknown>> };
    }>(
      await server.gql(
        tokens['helse-nord']!,
        '{ myParts(year: 2024) { organisation { id } totalCount items { oppdrag { id } involvement dueDate overdue overdueMilestones { id } } } }',
      ),
    );
    expect(myParts.organisation.id).toBe('helse-nord');
    // 03 is reported; closed ones are left out. 01 names Helse Nord as a collaborator.
    expect(myParts.items.map((i) => [(i.oppdrag as { id: string }).id, i.involvement, i.dueDate])).toEqual([
      ['2024-demo-03', 'LEAD', '2024-03-02'],
      ['2024-demo-01', 'COLLABORATOR', null],
      ['2024-demo-08', 'LEAD', '2024-06-30'],
      ['2024-demo-05', 'ADDRESSEE', '2025-03-15'],
    ]);
    const coordinatorAsks = errorOf(await server.gql(tokens.coordinator!, '{ myParts { totalCount } }'));
    expect(coordinatorAsks).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', field: 'rhf' } });
  });

  it('stillOwes: what Helse Nord still owes before its Årlig melding for 2024', async () => {
    const { stillOwes } = dataOf<{ stillOwes: Record<string, unknown> }>(
      await server.gql(
        tokens.coordinator!,
        '{ stillOwes(year: 2024, rhf: "Helse Nord") { organisation { id } annualReportDate totalCount items { oppdrag { id } what milestone { id } dueDate overdue } } }',
      ),
    );
    expect(stillOwes).toEqual({
      organisation: { id: 'helse-nord' },
      annualReportDate: '2025-03-15',
      totalCount: 3,
      items: [
        {
          oppdrag: { id: '2024-demo-08' },
          what: 'MILESTONE',
          milestone: { id: 'statusrapport-1' },
          dueDate: '2024-05-21',
          overdue: false,
        },
        {
          oppdrag: { id: '2024-demo-08' },
          what: 'REPORT',
          milestone: null,
          dueDate: '2024-06-30',
          overdue: false,
        },
        {
          oppdrag: { id: '2024-demo-05' },
          what: 'REPORT',
          milestone: null,
          dueDate: '2025-03-15',
          overdue: false,
        },
      ],
    });
  });

  it('overdue lists the overdue milestones too, for a coordinator to follow up', async () => {
    const { overdue } = dataOf<{ overdue: Record<string, unknown> }>(
      await server.gql(
        tokens.coordinator!,
        '{ overdue(first: 5) { totalCount milestonesTotalCount milestones(first: 5) { oppdrag { id } milestone { id dueDate } daysOverdue } } }',
      ),
    );
    expect(overdue).toEqual({
      totalCount: 3,
      milestonesTotalCount: 1,
      milestones: [
        {
          oppdrag: { id: '2024-demo-02' },
          milestone: { id: 'statusrapport-1', dueDate: '2024-04-21' },
          daysOverdue: 10,
        },
      ],
    });
  });
});

describe('corrections and the rules around them', () => {
  it('reopens a closed oppdrag, with a reason, for a coordinator only', async () => {
    const id = 'parts-gjenapnet';
    await assign(id, { lead: 'helse-vest' });
    dataOf(
      await mutate('closeOppdrag', 'CloseOppdragInput', tokens.coordinator!, {
        oppdragId: id,
        outcome: 'WITHDRAWN',
        reason: 'Trukket',
      }),
    );
    const refused = errorOf(
      await mutate('reopenOppdrag', 'ReopenOppdragInput', tokens['helse-vest']!, {
        oppdragId: id,
        reason: 'Feil',
      }),
    );
    expect(refused.extensions?.code).toBe('FORBIDDEN');
    const reopened = dataOf(
      await mutate('reopenOppdrag', 'ReopenOppdragInput', tokens.coordinator!, {
        oppdragId: id,
        reason: 'Lukket ved en feil',
      }),
    ).reopenOppdrag!;
    expect(reopened).toMatchObject({ events: ['OppdragReopened'], oppdrag: { status: 'ASSIGNED' } });
  });

  it('refuses to close as superseded by an oppdrag that does not exist, naming the field', async () => {
    const id = 'parts-erstattet';
    await assign(id, { lead: 'helse-vest' });
    const before = await mark(server);
    const error = errorOf(
      await mutate('closeOppdrag', 'CloseOppdragInput', tokens.coordinator!, {
        oppdragId: id,
        outcome: 'SUPERSEDED',
        reason: 'Erstattet',
        supersededBy: 'finnes-ikke',
      }),
    );
    expect(error).toMatchObject({
      message: 'supersededBy: oppdrag finnes-ikke does not exist',
      extensions: { code: 'BAD_USER_INPUT', field: 'supersededBy' },
    });
    expect(await writtenSince(server, before)).toEqual([]);
  });

  it('refuses a misspelt collaborator with the nearest name, and registers a new one when asked', async () => {
    const id = 'parts-samarbeid';
    await assign(id, { lead: 'helse-vest' });
    const misspelt = errorOf(
      await mutate('addCollaborator', 'AddCollaboratorInput', tokens.coordinator!, {
        oppdragId: id,
        collaborator: 'Helsedirektortet',
        reason: 'Data',
      }),
    );
    expect(misspelt.message).toContain('did you mean Helsedirektoratet?');
    const added = dataOf(
      await mutate('addCollaborator', 'AddCollaboratorInput', tokens.coordinator!, {
        oppdragId: id,
        collaborator: 'Bergen kommune',
        reason: 'Pilot',
        registerNewOrganisation: true,
      }),
    ).addCollaborator!;
    expect(added.events).toEqual(['CollaboratorAdded']);
  });

  it('answers duplicate: true to the one of two racing identical commands that did not write', async () => {
    const id = 'parts-kapplop';
    await assign(id, { lead: 'helse-vest' });
    const input = { oppdragId: id, reportedOn: '2024-05-01', documentRef: 'R.pdf', commandId: randomUUID() };
    const answers = await Promise.all([
      report(tokens['helse-vest']!, id, input),
      report(tokens['helse-vest']!, id, input),
    ]);
    const results = answers.map((a) => dataOf(a).reportOppdrag!);
    expect(results.map((r) => r.duplicate).sort()).toEqual([false, true]);
    expect(results.map((r) => r.events)).toEqual([
      ['OppdragStarted', 'OppdragReported'],
      ['OppdragStarted', 'OppdragReported'],
    ]);
  });
});
