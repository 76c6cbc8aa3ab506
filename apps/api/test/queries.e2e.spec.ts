import { dataOf, errorOf, post, type GqlError } from './support/clients.js';
import { startTestServer, type TestServer } from './support/harness.js';

/**
 * Every query over HTTP against the demo data, read on 1 May 2024 (Europe/Oslo). The demo (src/demo/seed.ts)
 * tells ten stories; sorted by effective deadline they are:
 *
 * | id | lead | status | effective deadline | notes |
 * |----|------|--------|--------------------|-------|
 * | 07 | helse-midt-norge | closed | 2024-01-22 | reported late |
 * | 03 | helse-nord | reported | 2024-03-02 | reported late, collaborator FHI |
 * | 01 | helse-vest | started | 2024-03-22 | overdue 40 days |
 * | 09 | helse-sor-ost | assigned | 2024-04-11 | overdue 20 days |
 * | 06 | helse-vest | started | 2024-04-26 | overdue 5 days |
 * | 04 | helse-sor-ost | assigned | 2024-05-13 | |
 * | 02 | helse-midt-norge | started | 2024-05-26 | milestone overdue |
 * | 10 | helse-sor-ost | reported | 2024-05-29 | |
 * | 08 | helse-nord | started | 2024-06-30 | |
 * | 05 | (none) | assigned | 2025-03-15 | no stated deadline: Årlig melding |
 */
const d = (n: number): string => `2024-demo-${String(n).padStart(2, '0')}`;
const ids = (...ns: number[]): string[] => ns.map(d);

let server: TestServer;
let coordinator: string;
let auditor: string;
let vest: string;

beforeAll(async () => {
  server = await startTestServer({ demo: true, now: '2024-05-01T10:00:00.000Z' });
  [coordinator, auditor, vest] = await Promise.all([
    server.token('coordinator', 'hod'),
    server.token('auditor'),
    server.token('rhf', 'helse-vest'),
  ]);
});
afterAll(() => server.close());

type Node = { id: string };
const listIds = async (filter: Record<string, unknown>, token = coordinator): Promise<string[]> => {
  const response = await post<{ oppdragList: { nodes: Node[]; totalCount: number } }>(server, {
    token,
    query:
      'query ($filter: OppdragFilterInput) { oppdragList(filter: $filter, first: 100) { totalCount nodes { id } } }',
    variables: { filter },
  });
  const list = dataOf(response).oppdragList;
  expect(list.totalCount).toBe(list.nodes.length);
  return list.nodes.map((n) => n.id);
};

describe('me and organisations', () => {
  it('me: who the token says you are, for every role', async () => {
    const query = '{ me { userId name role organisation { id name kind } } }';
    expect(dataOf(await server.gql(coordinator, query))).toEqual({
      me: {
        userId: 'kari.koordinator',
        name: 'Kari Koordinator (HOD)',
        role: 'COORDINATOR',
        organisation: { id: 'hod', name: 'Helse- og omsorgsdepartementet', kind: 'ministry' },
      },
    });
    expect(dataOf(await server.gql(vest, query))).toMatchObject({
      me: { userId: 'vegard.vest', role: 'RHF', organisation: { id: 'helse-vest', kind: 'rhf' } },
    });
    expect(dataOf(await server.gql(auditor, query))).toMatchObject({
      me: { userId: 'rita.revisor', role: 'AUDITOR' },
    });
  });

  it('organisations: the registry, with the four RHFs, HOD and collaborators known by short names', async () => {
    const { organisations } = dataOf(
      await server.gql<{ organisations: Array<{ id: string; shortName: string; kind: string }> }>(
        vest,
        '{ organisations { id name shortName kind } }',
      ),
    );
    const byId = new Map(organisations.map((o) => [o.id, o]));
    expect(organisations.filter((o) => o.kind === 'rhf').map((o) => o.id)).toEqual([
      'helse-sor-ost',
      'helse-vest',
      'helse-midt-norge',
      'helse-nord',
    ]);
    expect(byId.get('hod')).toMatchObject({ kind: 'ministry', shortName: 'HOD' });
    expect(byId.get('folkehelseinstituttet')).toMatchObject({ shortName: 'FHI' });
  });
});

describe('oppdrag(id)', () => {
  it('answers one oppdrag from the read model with both deadlines and which applies', async () => {
    const { oppdrag } = dataOf<{ oppdrag: unknown }>(
      await server.gql(
        vest,
        `{ oppdrag(id: "${d(5)}") { id year status lead { id } collaborators { id }
           statedDeadline effectiveDeadline deadlineSource overdue daysOverdue revision
           hovedmal { number title } sources { letter letterKind sectionNumber }
           lastChange { type actorName actorOrganisation } } }`,
      ),
    );
    expect(oppdrag).toEqual({
      id: d(5),
      year: 2024,
      // No lead, addressed to all four: Helse Nord has started its part, Vest and Midt-Norge reported theirs.
      status: 'STARTED',
      lead: null,
      collaborators: [{ id: 'kommunene' }, { id: 'ks' }],
      statedDeadline: null,
      effectiveDeadline: '2025-03-15',
      deadlineSource: 'ANNUAL_REPORT',
      overdue: false,
      daysOverdue: 0,
      revision: 5,
      hovedmal: { number: 2, title: 'Vi skal styrke samhandlingen med kommunene' },
      sources: [{ letter: 'Oppdragsdokument 2024 (demo)', letterKind: 'hoveddokument', sectionNumber: 2 }],
      lastChange: {
        type: 'OppdragReported',
        actorName: 'Mari i Helse Midt-Norge',
        actorOrganisation: 'helse-midt-norge',
      },
    });
  });

  it('judges overdue on the day asked about, and shows milestones with their own overdue flag', async () => {
    const query = `query ($id: ID!, $on: String) { oppdrag(id: $id, on: $on) {
      status overdue daysOverdue nextDue { date what } milestones { id dueDate overdue late reportedOn } } }`;
    const today = dataOf(await server.gql(vest, query, { id: d(1) }));
    expect(today).toEqual({
      oppdrag: {
        status: 'STARTED',
        overdue: true,
        daysOverdue: 40,
        nextDue: { date: '2024-03-22', what: 'frist' },
        milestones: [],
      },
    });
    const before = dataOf(await server.gql(vest, query, { id: d(1), on: '2024-03-22' }));
    expect(before).toMatchObject({ oppdrag: { overdue: false, daysOverdue: 0 } });
    const withMilestone = dataOf(await server.gql(vest, query, { id: d(2) }));
    expect(withMilestone).toEqual({
      oppdrag: {
        status: 'STARTED',
        overdue: false,
        daysOverdue: 0,
        nextDue: { date: '2024-04-21', what: 'Statusrapport til HOD' },
        milestones: [
          { id: 'statusrapport-1', dueDate: '2024-04-21', overdue: true, late: false, reportedOn: null },
        ],
      },
    });
  });

  it('shows a report delivered after the deadline as late, and a closed oppdrag with its closure', async () => {
    const { oppdrag } = dataOf<{ oppdrag: unknown }>(
      await server.gql(
        auditor,
        `{ oppdrag(id: "${d(7)}") { status reportedOn reportedLate overdue nextDue { date }
           closed { outcome closedOn reason } } }`,
      ),
    );
    expect(oppdrag).toEqual({
      status: 'CLOSED',
      reportedOn: '2024-02-21',
      reportedLate: true,
      overdue: false,
      nextDue: null,
      closed: {
        outcome: 'COMPLETED',
        closedOn: '2024-04-11',
        reason: 'Rapporten er behandlet i oppfølgingsmøtet.',
      },
    });
  });

  it('answers null for an id that does not exist, and BAD_USER_INPUT for one that cannot exist', async () => {
    expect(dataOf(await server.gql(vest, '{ oppdrag(id: "2024-demo-99") { id } }'))).toEqual({
      oppdrag: null,
    });
    const bad = errorOf(await server.gql(vest, '{ oppdrag(id: "Not An Id") { id } }'));
    expect(bad.extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'id' });
    expect(bad.message).toBe('id: must be lower-case letters, digits and dashes (at most 80)');
    const badDay = errorOf(await server.gql(vest, `{ oppdrag(id: "${d(1)}", on: "2024-02-30") { id } }`));
    expect(badDay).toMatchObject({
      message: 'on: must be a calendar date YYYY-MM-DD',
      extensions: { code: 'BAD_USER_INPUT', field: 'on' },
    });
  });
});

const LEAD_RULE =
  "lead must be one of the four RHF ids, or an RHF's name or alias: helse-sor-ost (Helse Sør-Øst RHF), helse-vest (Helse Vest RHF), helse-midt-norge (Helse Midt-Norge RHF), helse-nord (Helse Nord RHF)";

describe('oppdragList: every filter', () => {
  it('without a filter: everything, soonest effective deadline first', async () => {
    expect(await listIds({})).toEqual(ids(7, 3, 1, 9, 6, 4, 2, 10, 8, 5));
  });

  it('year', async () => {
    expect(await listIds({ year: 2024 })).toHaveLength(10);
    expect(await listIds({ year: 2023 })).toEqual([]);
  });

  it('lead, and withoutLead for "all RHFs, each for itself"', async () => {
    expect(await listIds({ lead: 'helse-sor-ost' })).toEqual(ids(9, 4, 10));
    expect(await listIds({ lead: 'helse-vest', year: 2024 })).toEqual(ids(1, 6));
    expect(await listIds({ withoutLead: true })).toEqual(ids(5));
  });

  it('collaborator, by organisation id (FHI was entered by its abbreviation)', async () => {
    expect(await listIds({ collaborator: 'helsedirektoratet' })).toEqual(ids(1, 9, 4));
    expect(await listIds({ collaborator: 'folkehelseinstituttet' })).toEqual(ids(3));
    expect(await listIds({ collaborator: 'helse-sor-ost' })).toEqual(ids(1));
  });

  it('lead and collaborator by name or alias as well as by id', async () => {
    expect(await listIds({ lead: 'Helse Vest' })).toEqual(await listIds({ lead: 'helse-vest' }));
    expect(await listIds({ lead: 'Helse Sør-Øst RHF' })).toEqual(ids(9, 4, 10));
    expect(await listIds({ lead: 'HMN' })).toEqual(await listIds({ lead: 'helse-midt-norge' }));
    expect(await listIds({ collaborator: 'FHI' })).toEqual(ids(3));
    expect(await listIds({ collaborator: 'Folkehelseinstituttet' })).toEqual(ids(3));
    expect(await listIds({ collaborator: 'Helsedirektoratet' })).toEqual(ids(1, 9, 4));
    expect(await listIds({ collaborator: 'Helse Sør-Øst' })).toEqual(ids(1));
  });

  it('names the valid values when a lead or collaborator filter is not one', async () => {
    const query = 'query ($filter: OppdragFilterInput) { oppdragList(filter: $filter) { totalCount } }';
    const lead = errorOf(await server.gql(coordinator, query, { filter: { lead: 'Helse Øst' } }));
    expect(lead).toMatchObject({ message: LEAD_RULE, extensions: { code: 'BAD_USER_INPUT', field: 'lead' } });
    const collaborator = errorOf(
      await server.gql(coordinator, query, { filter: { collaborator: 'Helsedirektortet' } }),
    );
    expect(collaborator.extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'collaborator' });
    expect(collaborator.message).toMatch(
      /^collaborator: no organisation is called "Helsedirektortet"; did you mean Helsedirektoratet \(helsedirektoratet\)\?/,
    );
  });

  it('one invalid filter leaves the other lists of the answer in place', async () => {
    const response = await server.gql<{
      bad: unknown;
      groups: unknown;
      good: { totalCount: number };
    }>(
      coordinator,
      `{ bad: oppdragList(filter: { lead: "Helse Øst" }) { totalCount }
         good: oppdragList(filter: { lead: "Helse Vest" }) { totalCount }
         groups: whoLeadsWhat(filter: { collaborator: "Helsedirektortet" }) { totalCount } }`,
    );
    expect(response.body.data).toEqual({ bad: null, good: { totalCount: 2 }, groups: null });
    const errors: GqlError[] = response.body.errors ?? [];
    expect(errors.map((e) => [e.path, e.extensions?.field])).toEqual([
      [['bad'], 'lead'],
      [['groups'], 'collaborator'],
    ]);
  });

  it('status, one or several', async () => {
    expect(await listIds({ status: ['REPORTED'] })).toEqual(ids(3, 10));
    expect(await listIds({ status: ['ASSIGNED', 'CLOSED'] })).toEqual(ids(7, 9, 4));
  });

  it('hovedmål number', async () => {
    expect(await listIds({ hovedmal: 2 })).toEqual(ids(7, 3, 5));
  });

  it('overdueOn a given day', async () => {
    expect(await listIds({ overdueOn: '2024-05-01' })).toEqual(ids(1, 9, 6));
    expect(await listIds({ overdueOn: '2024-05-20' })).toEqual(ids(1, 9, 6, 4));
    expect(await listIds({ overdueOn: '2024-03-01' })).toEqual([]);
  });

  it('dueWithinDays: open and due from today to today + N', async () => {
    expect(await listIds({ dueWithinDays: 14 })).toEqual(ids(4));
    // 10 is due on 29 May too, but it is reported: nothing is due any more.
    expect(await listIds({ dueWithinDays: 30 })).toEqual(ids(4, 2));
  });

  it('free text over id, title and description, ignoring case and accents', async () => {
    expect(await listIds({ text: 'KUNSTIG intelligens' })).toEqual(ids(4));
    // "Årlig" is written with a decomposable å: "arlig" finds it.
    expect(await listIds({ text: 'arlig MELDING' })).toEqual(ids(5));
    expect(await listIds({ text: 'Helse Sør-Øst' })).toEqual(ids(9, 4, 10));
    expect(await listIds({ text: d(8) })).toEqual(ids(8));
    expect(await listIds({ text: 'finnes ikke' })).toEqual([]);
  });

  it('refuses an invalid filter with BAD_USER_INPUT that names the field and the rule', async () => {
    const query = 'query ($filter: OppdragFilterInput) { oppdragList(filter: $filter) { totalCount } }';
    const lead = errorOf(await server.gql(coordinator, query, { filter: { lead: 'helse-sørøst' } }));
    expect(lead.extensions?.code).toBe('BAD_USER_INPUT');
    expect(lead.message).toBe(LEAD_RULE);
    const day = errorOf(await server.gql(coordinator, query, { filter: { overdueOn: '1. mai' } }));
    expect(day.message).toBe('overdueOn must be a calendar date YYYY-MM-DD');
    const within = errorOf(await server.gql(coordinator, query, { filter: { dueWithinDays: -1 } }));
    expect(within).toMatchObject({
      message: 'dueWithinDays must not be less than 0',
      extensions: { code: 'BAD_USER_INPUT', field: 'dueWithinDays' },
    });
  });
});

describe('oppdragList: Relay-style cursor pagination', () => {
  type Page = {
    oppdragList: {
      totalCount: number;
      pageInfo: { endCursor: string | null; hasNextPage: boolean };
      edges: Array<{ cursor: string; node: Node }>;
    };
  };
  const pageQuery = `query ($first: Int, $after: String) { oppdragList(first: $first, after: $after) {
    totalCount pageInfo { endCursor hasNextPage } edges { cursor node { id } } } }`;
  const page = async (first: number, after: string | null) =>
    dataOf(await server.gql<Page>(coordinator, pageQuery, { first, after })).oppdragList;

  it('walks every oppdrag exactly once, in order, page by page', async () => {
    const seen: string[] = [];
    const shapes: Array<[number, boolean]> = [];
    let after: string | null = null;
    for (;;) {
      const current = await page(3, after);
      expect(current.totalCount).toBe(10);
      seen.push(...current.edges.map((e) => e.node.id));
      shapes.push([current.edges.length, current.pageInfo.hasNextPage]);
      expect(current.pageInfo.endCursor).toBe(current.edges[current.edges.length - 1]?.cursor);
      if (!current.pageInfo.hasNextPage) break;
      after = current.pageInfo.endCursor;
    }
    expect(shapes).toEqual([
      [3, true],
      [3, true],
      [3, true],
      [1, false],
    ]);
    expect(seen).toEqual(ids(7, 3, 1, 9, 6, 4, 2, 10, 8, 5));
  });

  it('continues after any edge’s cursor, not only the last', async () => {
    const first = await page(5, null);
    const fromSecond = await page(2, first.edges[1]!.cursor);
    expect(fromSecond.edges.map((e) => e.node.id)).toEqual(ids(1, 9));
  });

  it('past the end, an empty page keeps the cursor it was given, so the next page is empty too', async () => {
    const all = await page(10, null);
    expect(all.pageInfo.hasNextPage).toBe(false);
    const end = all.pageInfo.endCursor;
    const past = await page(3, end);
    expect(past.edges).toEqual([]);
    expect(past.pageInfo).toEqual({ endCursor: end, hasNextPage: false });
    expect((await page(3, past.pageInfo.endCursor)).edges).toEqual([]);
  });

  it('bounds the page size: 1 to 100, and says so', async () => {
    for (const first of [0, 101, -5]) {
      const error = errorOf(await server.gql(coordinator, pageQuery, { first, after: null }));
      expect(error).toMatchObject({
        message: 'first: must be a whole number from 1 to 100',
        extensions: { code: 'BAD_USER_INPUT', field: 'first' },
      });
    }
    expect((await page(100, null)).edges).toHaveLength(10);
  });

  it('refuses a cursor it did not give out', async () => {
    const error = errorOf(await server.gql(coordinator, pageQuery, { first: 2, after: 'bm90IGEgY3Vyc29y' }));
    expect(error.extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'after' });
    expect(error.message).toMatch(/^after: /);
  });
});

describe('whoLeadsWhat, overdue, workload', () => {
  it('whoLeadsWhat: per RHF and "no lead", soonest deadline first, bounded per lead', async () => {
    type Group = { lead: { id: string } | null; totalCount: number; oppdrag: Node[] };
    const query =
      'query ($limit: Int, $filter: OppdragFilterInput) { whoLeadsWhat(limitPerLead: $limit, filter: $filter) { lead { id } totalCount oppdrag { id } } }';
    const all = dataOf(await server.gql<{ whoLeadsWhat: Group[] }>(coordinator, query, {})).whoLeadsWhat;
    expect(all.map((g) => [g.lead?.id ?? null, g.totalCount, g.oppdrag.map((o) => o.id)])).toEqual([
      ['helse-sor-ost', 3, ids(9, 4, 10)],
      ['helse-vest', 2, ids(1, 6)],
      ['helse-midt-norge', 2, ids(7, 2)],
      ['helse-nord', 2, ids(3, 8)],
      [null, 1, ids(5)],
    ]);
    const open = dataOf(
      await server.gql<{ whoLeadsWhat: Group[] }>(coordinator, query, {
        limit: 1,
        filter: { status: ['ASSIGNED', 'STARTED'] },
      }),
    ).whoLeadsWhat;
    expect(open.map((g) => [g.lead?.id ?? null, g.totalCount, g.oppdrag.map((o) => o.id)])).toEqual([
      ['helse-sor-ost', 2, ids(9)],
      ['helse-vest', 2, ids(1)],
      ['helse-midt-norge', 1, ids(2)],
      ['helse-nord', 1, ids(8)],
      [null, 1, ids(5)],
    ]);
    const tooMany = errorOf(await server.gql(coordinator, query, { limit: 101 }));
    expect(tooMany.extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'limitPerLead' });
  });

  it('overdue today: most overdue first, with days overdue', async () => {
    const { overdue } = dataOf<{ overdue: unknown }>(
      await server.gql(vest, '{ overdue { on totalCount oppdrag { id daysOverdue effectiveDeadline } } }'),
    );
    expect(overdue).toEqual({
      on: '2024-05-01',
      totalCount: 3,
      oppdrag: [
        { id: d(1), daysOverdue: 40, effectiveDeadline: '2024-03-22' },
        { id: d(9), daysOverdue: 20, effectiveDeadline: '2024-04-11' },
        { id: d(6), daysOverdue: 5, effectiveDeadline: '2024-04-26' },
      ],
    });
  });

  it('overdue on a given date, bounded by first', async () => {
    const { overdue } = dataOf<{ overdue: unknown }>(
      await server.gql(
        vest,
        '{ overdue(on: "2024-05-20", first: 2) { on totalCount oppdrag { id daysOverdue } } }',
      ),
    );
    expect(overdue).toEqual({
      on: '2024-05-20',
      totalCount: 4,
      oppdrag: [
        { id: d(1), daysOverdue: 59 },
        { id: d(9), daysOverdue: 39 },
      ],
    });
    const error = errorOf(await server.gql(vest, '{ overdue(on: "20.05.2024") { totalCount } }'));
    expect(error).toMatchObject({
      message: 'on: must be a calendar date YYYY-MM-DD',
      extensions: { field: 'on' },
    });
  });

  it('workload per RHF: leads, collaborates on, and its parts: how many, open, overdue, reported late', async () => {
    const query =
      'query ($on: String, $year: Int) { workload(on: $on, year: $year) { organisation { id } leads collaboratesOn parts open overdue reportedLate } }';
    type Row = {
      organisation: { id: string };
      leads: number;
      collaboratesOn: number;
      parts: number;
      open: number;
      overdue: number;
      reportedLate: number;
    };
    const rows = async (variables: Record<string, unknown>) =>
      dataOf(await server.gql<{ workload: Row[] }>(coordinator, query, variables)).workload.map((r) => [
        r.organisation.id,
        r.leads,
        r.collaboratesOn,
        r.parts,
        r.open,
        r.overdue,
        r.reportedLate,
      ]);
    // Parts: each oppdrag it leads, plus its part of 05 (no lead) and 08 (led by Helse Nord), both addressed
    // to all four. Vest and Midt-Norge reported their parts of 05, Vest its part of 08: those are not open.
    expect(await rows({})).toEqual([
      ['helse-sor-ost', 3, 1, 5, 4, 1, 0],
      ['helse-vest', 2, 0, 4, 2, 2, 0],
      ['helse-midt-norge', 2, 0, 4, 2, 0, 1],
      ['helse-nord', 2, 1, 3, 2, 0, 1],
    ]);
    expect((await rows({ on: '2024-05-20' }))[0]).toEqual(['helse-sor-ost', 3, 1, 5, 4, 2, 0]);
    expect(await rows({ year: 2023 })).toEqual([
      ['helse-sor-ost', 0, 0, 0, 0, 0, 0],
      ['helse-vest', 0, 0, 0, 0, 0, 0],
      ['helse-midt-norge', 0, 0, 0, 0, 0, 0],
      ['helse-nord', 0, 0, 0, 0, 0, 0],
    ]);
  });
});

describe('history and oppdragAsOf: read from the stream', () => {
  type Entry = {
    revision: number;
    position: string;
    eventId: string;
    type: string;
    recordedAt: string;
    actor: { userId: string; name: string; role: string; organisationId: string };
    commandId: string;
    commandType: string | null;
    correlationId: string;
    causationId: string;
    reason: string | null;
    data: string;
  };
  const historyQuery = `query ($id: ID!, $from: Int, $first: Int) { history(id: $id, fromRevision: $from, first: $first) {
    oppdragId totalCount hasMore entries { revision position eventId type recordedAt
    actor { userId name role organisationId } commandId commandType correlationId causationId reason data } } }`;

  it('history: every event with who, when, why and all metadata', async () => {
    const { history } = dataOf(
      await server.gql<{
        history: { oppdragId: string; totalCount: number; hasMore: boolean; entries: Entry[] };
        // Every field of 100 entries (the default page) costs 2001, just over the default complexity limit.
      }>(auditor, historyQuery, { id: d(7), first: 50 }),
    );
    expect(history.oppdragId).toBe(d(7));
    expect(history.totalCount).toBe(4);
    expect(history.hasMore).toBe(false);
    expect(
      history.entries.map((e) => [e.revision, e.type, e.recordedAt, e.actor.userId, e.actor.role]),
    ).toEqual([
      [0, 'OppdragAssigned', '2023-09-04T10:00:00.000Z', 'kari.koordinator', 'COORDINATOR'],
      [1, 'OppdragStarted', '2023-10-14T10:00:00.000Z', 'mari.midt', 'RHF'],
      [2, 'OppdragReported', '2024-02-21T10:00:00.000Z', 'mari.midt', 'RHF'],
      [3, 'OppdragClosed', '2024-04-11T10:00:00.000Z', 'kari.koordinator', 'COORDINATOR'],
    ]);
    const closed = history.entries[3]!;
    expect(closed).toMatchObject({
      actor: { name: 'Kari Koordinator (HOD)', organisationId: 'hod' },
      commandType: 'CloseOppdrag',
      reason: 'Rapporten er behandlet i oppfølgingsmøtet.',
    });
    expect(JSON.parse(closed.data)).toMatchObject({
      oppdragId: d(7),
      outcome: 'completed',
      closedOn: '2024-04-11',
    });
    const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
    for (const entry of history.entries) {
      expect(entry.eventId).toMatch(uuid);
      expect(entry.commandId).toMatch(uuid);
      // The demo commands named no correlation: both fall back to the command id.
      expect(entry.correlationId).toBe(entry.commandId);
      expect(entry.causationId).toBe(entry.commandId);
      expect(entry.position).toMatch(/^\d+\/\d+$/);
    }
    // What the API shows is what the store holds.
    const stored = await server.store.readStream(`oppdrag-${d(7)}`);
    expect(history.entries.map((e) => e.eventId)).toEqual(stored.map((e) => e.id));
    expect(history.entries.map((e) => e.commandId)).toEqual(stored.map((e) => e.metadata.commandId));
  });

  it('history pages by revision', async () => {
    const { history } = dataOf(
      await server.gql<{ history: { totalCount: number; hasMore: boolean; entries: Entry[] } }>(
        auditor,
        historyQuery,
        {
          id: d(7),
          from: 1,
          first: 2,
        },
      ),
    );
    expect(history.totalCount).toBe(4);
    expect(history.hasMore).toBe(true);
    expect(history.entries.map((e) => e.revision)).toEqual([1, 2]);
  });

  it('history of an oppdrag that does not exist is NOT_FOUND; a negative revision is BAD_USER_INPUT', async () => {
    const missing = errorOf(await server.gql(auditor, historyQuery, { id: '2024-demo-99', first: 10 }));
    expect(missing).toMatchObject({
      message: 'oppdrag 2024-demo-99 does not exist',
      extensions: { code: 'NOT_FOUND' },
    });
    const negative = errorOf(await server.gql(auditor, historyQuery, { id: d(7), from: -1, first: 10 }));
    expect(negative.extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'fromRevision' });
  });

  const asOfQuery = `query ($id: ID!, $instant: String!) { oppdragAsOf(id: $id, instant: $instant) {
    asOf existed revision oppdrag { status revision reportedOn closed { outcome } lastChange { type at } } } }`;
  const asOf = async (id: string, instant: string) =>
    dataOf(await server.gql<{ oppdragAsOf: Record<string, unknown> }>(auditor, asOfQuery, { id, instant }))
      .oppdragAsOf;

  it('oppdragAsOf: the oppdrag as it stood at any instant', async () => {
    expect(await asOf(d(7), '2023-09-01T00:00:00Z')).toEqual({
      asOf: '2023-09-01T00:00:00.000Z',
      existed: false,
      revision: null,
      oppdrag: null,
    });
    expect(await asOf(d(7), '2023-10-01T00:00:00Z')).toMatchObject({
      existed: true,
      revision: 0,
      oppdrag: { status: 'ASSIGNED', revision: 0, reportedOn: null, closed: null },
    });
    // An instant with an offset: 11:00 in Oslo (CET) is 10:00Z, the instant the report was recorded.
    expect(await asOf(d(7), '2024-02-21T11:00:00+01:00')).toMatchObject({
      asOf: '2024-02-21T10:00:00.000Z',
      revision: 2,
      oppdrag: {
        status: 'REPORTED',
        reportedOn: '2024-02-21',
        lastChange: { type: 'OppdragReported', at: '2024-02-21T10:00:00.000Z' },
      },
    });
    expect(await asOf(d(7), '2024-02-21T09:59:59.999Z')).toMatchObject({
      revision: 1,
      oppdrag: { status: 'STARTED' },
    });
    expect(await asOf(d(7), '2024-05-01T10:00:00Z')).toMatchObject({
      revision: 3,
      oppdrag: { status: 'CLOSED', closed: { outcome: 'COMPLETED' } },
    });
  });

  it('oppdragAsOf is replayed from the stream, not read from the read model', async () => {
    const summaries = server.runtime.projector.summaries;
    const summary = summaries.get(d(3))!;
    summaries.delete(d(3));
    try {
      expect(dataOf(await server.gql(auditor, `{ oppdrag(id: "${d(3)}") { id } }`))).toEqual({
        oppdrag: null,
      });
      expect(await asOf(d(3), '2024-05-01T10:00:00Z')).toMatchObject({
        existed: true,
        revision: 2,
        oppdrag: { status: 'REPORTED', reportedOn: '2024-03-17' },
      });
    } finally {
      summaries.set(d(3), summary);
    }
  });

  it('oppdragAsOf refuses what is not an ISO instant', async () => {
    for (const instant of ['yesterday', '2024-05-01', '2024-13-45T00:00:00Z']) {
      const error = errorOf(await server.gql(auditor, asOfQuery, { id: d(7), instant }));
      expect(error).toMatchObject({
        message: 'instant: must be an ISO instant such as 2024-06-01T12:00:00Z',
        extensions: { code: 'BAD_USER_INPUT', field: 'instant' },
      });
    }
  });
});

describe('auditTrail', () => {
  type Audit = {
    auditTrail: {
      endCursor: string | null;
      hasNextPage: boolean;
      entries: Array<{
        position: string;
        oppdragId: string;
        revision: number;
        type: string;
        recordedAt: string;
        actor: { userId: string; organisationId: string; role: string };
        commandId: string;
        correlationId: string;
      }>;
    };
  };
  const auditQuery = `query ($filter: AuditFilterInput, $first: Int, $after: String) {
    auditTrail(filter: $filter, first: $first, after: $after) { endCursor hasNextPage
      entries { position oppdragId revision type recordedAt actor { userId organisationId role } commandId correlationId } } }`;
  const trail = async (variables: Record<string, unknown>, token = auditor) =>
    dataOf(await server.gql<Audit>(token, auditQuery, variables)).auditTrail;
  const summary = (t: Audit['auditTrail']) => t.entries.map((e) => `${e.oppdragId}:${e.type}`);

  it('everything, oldest first, for an auditor and a coordinator alike', async () => {
    const all = await trail({ first: 100 });
    expect(all.entries).toHaveLength(29);
    expect(all.hasNextPage).toBe(false);
    const positions = all.entries.map((e) => BigInt(e.position));
    expect(positions).toEqual([...positions].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    expect((await trail({ first: 100 }, coordinator)).entries).toHaveLength(29);
  });

  it('filtered by actor', async () => {
    const mari = await trail({ filter: { actorUserId: 'mari.midt' } });
    expect(summary(mari)).toEqual([
      `${d(2)}:OppdragStarted`,
      // Her own part of the joint oppdrag 05: reporting an assigned part starts it too.
      `${d(5)}:OppdragStarted`,
      `${d(5)}:OppdragReported`,
      `${d(7)}:OppdragStarted`,
      `${d(7)}:OppdragReported`,
    ]);
    expect(mari.entries.every((e) => e.actor.userId === 'mari.midt' && e.actor.role === 'RHF')).toBe(true);
  });

  it('filtered by organisation, by its id, name or alias', async () => {
    const byId = await trail({ filter: { organisationId: 'helse-nord' } });
    expect(await trail({ filter: { organisationId: 'Helse Nord' } })).toEqual(byId);
    expect(await trail({ filter: { organisationId: 'HOD' } })).toEqual(
      await trail({ filter: { organisationId: 'hod' } }),
    );
    expect(summary(byId)).toEqual([
      `${d(3)}:OppdragStarted`,
      `${d(3)}:OppdragReported`,
      `${d(5)}:OppdragStarted`,
      `${d(8)}:OppdragStarted`,
    ]);
  });

  it('filtered by event type, and by oppdrag', async () => {
    expect(summary(await trail({ filter: { types: ['OppdragClosed', 'OppdragReported'] } }))).toEqual([
      `${d(3)}:OppdragReported`,
      `${d(5)}:OppdragReported`,
      `${d(5)}:OppdragReported`,
      `${d(7)}:OppdragReported`,
      `${d(7)}:OppdragClosed`,
      `${d(8)}:OppdragReported`,
      `${d(10)}:OppdragReported`,
    ]);
    expect((await trail({ filter: { oppdragId: d(7) } })).entries.map((e) => e.revision)).toEqual([
      0, 1, 2, 3,
    ]);
  });

  it('filtered by a time range, inclusive at both ends', async () => {
    const april = await trail({
      filter: { from: '2024-04-01T10:00:00.000Z', to: '2024-04-29T10:00:00.000Z' },
    });
    expect(summary(april)).toEqual([
      `${d(6)}:OppdragStarted`,
      `${d(7)}:OppdragClosed`,
      `${d(8)}:OppdragStarted`,
      `${d(10)}:OppdragReported`,
    ]);
    expect(april.entries.map((e) => e.recordedAt)).toEqual([
      '2024-04-01T10:00:00.000Z',
      '2024-04-11T10:00:00.000Z',
      '2024-04-16T10:00:00.000Z',
      '2024-04-29T10:00:00.000Z',
    ]);
  });

  it('compares instants, not text: a range given with a UTC offset means the same instants', async () => {
    // 12:00+02:00 is 10:00Z: the very instants of the first and last event above.
    const april = await trail({
      filter: { from: '2024-04-01T12:00:00+02:00', to: '2024-04-29T12:00:00+02:00' },
    });
    expect(summary(april)).toEqual([
      `${d(6)}:OppdragStarted`,
      `${d(7)}:OppdragClosed`,
      `${d(8)}:OppdragStarted`,
      `${d(10)}:OppdragReported`,
    ]);
  });

  it('pages with a cursor, also under a filter', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    let pages = 0;
    for (;;) {
      const page = await trail({ filter: { types: ['OppdragStarted'] }, first: 3, after });
      pages += 1;
      seen.push(...page.entries.map((e) => e.oppdragId));
      if (!page.hasNextPage) break;
      expect(page.endCursor).toBe(page.entries[page.entries.length - 1]!.position);
      after = page.endCursor;
    }
    // Twelve starts, three a page: 01, 02, 03, 05 (three parts), 06, 07, 08 (three parts), 10.
    expect(pages).toBe(4);
    expect(seen.sort()).toEqual(ids(1, 2, 3, 5, 5, 5, 6, 7, 8, 8, 8, 10));
  });

  it('is for auditors and coordinators only: an RHF user gets FORBIDDEN naming the rule', async () => {
    const error = errorOf(await server.gql(vest, auditQuery, {}));
    expect(error.extensions?.code).toBe('FORBIDDEN');
    expect(error.message).toBe(
      'rule "only auditor or coordinator may read the audit trail": Vegard i Helse Vest is rhf',
    );
  });

  it('refuses bad filters and cursors with BAD_USER_INPUT', async () => {
    const cursor = errorOf(await server.gql(auditor, auditQuery, { after: 'abc' }));
    expect(cursor).toMatchObject({
      message: 'after: must be a cursor this query gave out',
      extensions: { code: 'BAD_USER_INPUT' },
    });
    const from = errorOf(await server.gql(auditor, auditQuery, { filter: { from: 'last week' } }));
    expect(from).toMatchObject({
      message: 'from must be a valid ISO 8601 date string',
      extensions: { code: 'BAD_USER_INPUT', field: 'from' },
    });
    const types = errorOf(await server.gql(auditor, auditQuery, { filter: { types: ['oppdrag closed'] } }));
    expect(types.message).toBe('types must be event type names');
    const size = errorOf(await server.gql(auditor, auditQuery, { first: 1000 }));
    expect(size.extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'first' });
  });
});
