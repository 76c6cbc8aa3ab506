import { GraphQLSchemaHost } from '@nestjs/graphql';
import { isObjectType } from 'graphql';
import { startTestServer, type TestServer } from './support/harness.js';

/**
 * Mercurius runs a query text with graphql-js the first time and a graphql-jit compiled function after
 * that. A client must not be able to tell which one answered.
 */
let server: TestServer;
let coordinator: string;
let vest: string;

beforeAll(async () => {
  server = await startTestServer({ demo: true, now: '2024-05-01T10:00:00.000Z' });
  [coordinator, vest] = await Promise.all([
    server.token('coordinator', 'hod'),
    server.token('rhf', 'helse-vest'),
  ]);
});
afterAll(() => server.close());

/** Sends the same request `times` times and returns every answer. */
async function repeated(token: string, query: string, variables?: Record<string, unknown>, times = 4) {
  const answers = [];
  for (let i = 0; i < times; i += 1) answers.push(await server.gql(token, query, variables));
  return answers;
}

describe('a query answers the same on its first run and once compiled', () => {
  it.each([
    [
      'the overdue list',
      '{ overdue(first: 50) { on totalCount oppdrag { id title status effectiveDeadline daysOverdue lead { id name } nextDue { date what } } } }',
    ],
    [
      'who leads what, with a literal filter',
      '{ whoLeadsWhat(limitPerLead: 25, filter: { status: [ASSIGNED, STARTED] }) { lead { id name } totalCount oppdrag { id title status effectiveDeadline deadlineSource overdue } } }',
    ],
    [
      'a page with every Oppdrag field',
      `{ oppdragList(first: 3) { totalCount pageInfo { endCursor hasNextPage } edges { cursor node {
          id year title description hovedmal { number title } sources { letter recipient letterKind sectionNumber sectionTitle heading lineStart lineEnd }
          lead { id name shortName kind } collaborators { id name } status statedDeadline effectiveDeadline deadlineSource
          overdue daysOverdue nextDue { date what } milestones { id kind title dueDate reportedOn documentRef late overdue }
          startedOn reportedOn documentRef reportedLate closed { outcome closedOn reason } deadlinePassedOn revision
          lastChange { type at actorName actorOrganisation } } } } }`,
    ],
    [
      'aliases, fragments, __typename and literal @include/@skip',
      `query Both { a: overdue(first: 2) { __typename ...Counted oppdrag { id ... on Oppdrag { title } } }
        b: overdue(first: 1) { ...Counted @include(if: false) oppdrag @skip(if: true) { id } on }
        me { ... @include(if: true) { userId } role } }
       fragment Counted on OverdueList { totalCount }`,
    ],
    ['a missing oppdrag (null)', '{ oppdrag(id: "finnes-ikke") { id } }'],
    ['a refused argument', '{ oppdrag(id: "Not An Id") { id } }'],
    ['a refused page size', '{ overdue(first: 0) { totalCount } }'],
    ['a refused role', '{ auditTrail(first: 1) { entries { eventId } } }'],
    ['an unknown oppdrag history', '{ history(id: "finnes-ikke") { totalCount } }'],
  ])('%s', async (what, query) => {
    const token = query.includes('auditTrail') ? vest : coordinator;
    const answers = await repeated(token, query);
    if (!/refused|unknown/.test(what)) expect(answers[0]?.body.errors).toBeUndefined();
    else expect(answers[0]?.body.errors).toHaveLength(1);
    for (const answer of answers.slice(1)) {
      expect(answer.status).toBe(answers[0]?.status);
      expect(answer.body).toEqual(answers[0]?.body);
    }
  });

  it('a refused literal filter says the same each time', async () => {
    const answers = await repeated(coordinator, '{ oppdragList(filter: { year: 1800 }) { totalCount } }');
    expect(answers[0]?.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    for (const answer of answers.slice(1)) expect(answer.body).toEqual(answers[0]?.body);
  });
});

describe('the served schema', () => {
  it('reads object fields as plain properties; root fields keep their resolvers', () => {
    const { schema } = server.app.get(GraphQLSchemaHost);
    const oppdrag = schema.getType('Oppdrag');
    if (!isObjectType(oppdrag)) throw new Error('no Oppdrag type');
    // Every field but allowedActions (it asks the domain, for the asking user) is a plain property.
    for (const field of Object.values(oppdrag.getFields())) {
      if (field.name === 'allowedActions') expect(field.resolve).toBeInstanceOf(Function);
      else expect(field.resolve).toBeUndefined();
    }
    const query = schema.getQueryType();
    expect(query?.getFields().overdue?.resolve).toBeInstanceOf(Function);
    expect(schema.getMutationType()?.getFields().assignOppdrag?.resolve).toBeInstanceOf(Function);
    expect(schema.getSubscriptionType()?.getFields().oppdragChanged?.subscribe).toBeInstanceOf(Function);
  });
});

describe('requests with variables', () => {
  const assign = `mutation ($input: AssignOppdragInput!) { assignOppdrag(input: $input) { revision oppdrag { id collaborators { id } milestones { id } } } }`;

  it('accept an input that leaves out fields with defaults, however often the text is sent', async () => {
    for (let i = 0; i < 4; i += 1) {
      const answer = await server.gql(coordinator, assign, {
        input: { oppdragId: `jit-defaults-${i}`, year: 2024, title: `Standardverdier ${i}` },
      });
      expect(answer.body.errors).toBeUndefined();
      expect(answer.body.data).toEqual({
        assignOppdrag: {
          revision: 0,
          oppdrag: { id: `jit-defaults-${i}`, collaborators: [], milestones: [] },
        },
      });
    }
  });

  it('refuse a bad variable with the same message each time', async () => {
    const query = 'query ($n: Int!) { overdue(first: $n) { totalCount } }';
    const answers = await repeated(coordinator, query, { n: 'many' });
    expect(answers[0]?.status).toBe(400);
    expect(answers[0]?.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    for (const answer of answers.slice(1)) {
      expect(answer.status).toBe(400);
      expect(answer.body).toEqual(answers[0]?.body);
    }
    const fine = await repeated(coordinator, query, { n: 2 });
    for (const answer of fine) expect(answer.body.errors).toBeUndefined();
  });

  it('refuse a bad input the same way before and after the same text was accepted', async () => {
    const start = `mutation ($input: StartOppdragInput!) { startOppdrag(input: $input) { revision } }`;
    const bad = { input: { oppdragId: d(4), startedOn: 17 } };
    const first = await server.gql(vest, start, bad);
    expect(first.status).toBe(400);
    expect(first.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const good = await server.gql(vest, start, {
      input: { oppdragId: 'finnes-ikke', startedOn: '2024-05-01' },
    });
    expect(good.body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    for (let i = 0; i < 3; i += 1) {
      const again = await server.gql(vest, start, bad);
      expect(again.status).toBe(first.status);
      expect(again.body).toEqual(first.body);
    }
  });
});

const d = (n: number): string => `2024-demo-${String(n).padStart(2, '0')}`;
