import { execute, parse, type GraphQLSchema } from 'graphql';
import type { Actor } from '#domain';
import { READ_POLICY } from '../src/auth/read-policy.js';
import { startTestServer, type TestServer } from './support/harness.js';

/**
 * Read authorization is one rule table (READ_POLICY) applied to every root field that reads. This table
 * test asks every Query field of the served schema as every kind of user, and fails when a field is
 * added without a query here.
 */
const QUERIES: Readonly<Record<string, string>> = {
  me: '{ me { name } }',
  organisations: '{ organisations { id } }',
  oppdrag: '{ oppdrag(id: "2024-policy-01") { id } }',
  oppdragList: '{ oppdragList(first: 1) { totalCount } }',
  whoLeadsWhat: '{ whoLeadsWhat { lead { id } } }',
  overdue: '{ overdue { on } }',
  workload: '{ workload { leads } }',
  myParts: '{ myParts(rhf: "helse-vest") { organisation { id } } }',
  stillOwes: '{ stillOwes(rhf: "helse-vest", year: 2024) { annualReportDate } }',
  history: '{ history(id: "2024-policy-01") { hasMore } }',
  oppdragAsOf: '{ oppdragAsOf(id: "2024-policy-01", instant: "2024-04-01T00:00:00Z") { existed } }',
  auditTrail: '{ auditTrail(first: 1) { endCursor } }',
  annualReport: '{ annualReport(year: 2024) { totalCount } }',
  charts: '{ charts(year: 2024) { year } }',
  calendarFeeds: '{ calendarFeeds { feedId } }',
};

const USERS: ReadonlyArray<[string, Actor]> = [
  ['coordinator (hod)', { userId: 'k', name: 'Kari', role: 'coordinator', organisationId: 'hod' }],
  [
    'coordinator of another organisation',
    { userId: 'v', name: 'Vera', role: 'coordinator', organisationId: 'helse-vest' },
  ],
  ['rhf', { userId: 'r', name: 'Vegard', role: 'rhf', organisationId: 'helse-vest' }],
  ['auditor', { userId: 'a', name: 'Rita', role: 'auditor', organisationId: 'riksrevisjonen' }],
];

function allowed(field: string, user: Actor): boolean {
  const rule = READ_POLICY[`Query.${field}`];
  return (
    rule !== undefined &&
    rule.roles.includes(user.role) &&
    (user.role !== 'coordinator' || user.organisationId === 'hod')
  );
}

describe('every root query field is authorised by the one read policy', () => {
  let server: TestServer;
  let schema: GraphQLSchema;
  beforeAll(async () => {
    server = await startTestServer();
    schema = (server.app.getHttpAdapter().getInstance() as unknown as { graphql: { schema: GraphQLSchema } })
      .graphql.schema;
  });
  afterAll(() => server.close());

  it('the table covers every Query field the API serves, and the policy has a rule for each', () => {
    const served = Object.keys(schema.getQueryType()?.getFields() ?? {}).sort();
    expect(Object.keys(QUERIES).sort()).toEqual(served);
    for (const field of served) expect(READ_POLICY[`Query.${field}`]).toBeDefined();
  });

  const cases = Object.keys(QUERIES).flatMap((field) => USERS.map(([who, user]) => ({ field, who, user })));
  it.each(cases)('$field as $who', async ({ field, user }) => {
    const result = await execute({
      schema,
      document: parse(QUERIES[field] as string),
      contextValue: { user },
    });
    const codes = (result.errors ?? []).map((e) => e.extensions?.code);
    if (allowed(field, user)) {
      expect(codes).not.toContain('FORBIDDEN');
      expect(codes).not.toContain('UNAUTHENTICATED');
    } else {
      expect(codes).toEqual(['FORBIDDEN']);
      expect(result.errors?.[0]?.message).toMatch(
        /^rule "only [a-z ]+ may [\p{L} ]+": .+ is (coordinator|rhf|auditor)$/u,
      );
      expect(result.data?.[field] ?? null).toBeNull();
    }
  });

  it('without a user every field is UNAUTHENTICATED', async () => {
    for (const query of Object.values(QUERIES)) {
      const result = await execute({ schema, document: parse(query), contextValue: {} });
      expect(result.errors?.map((e) => e.extensions?.code)).toEqual(['UNAUTHENTICATED']);
    }
  });

  it('over HTTP: an RHF user may not read the audit trail nor preview letters; an auditor may read the trail', async () => {
    const rhf = await server.token('rhf', 'helse-vest');
    const trail = await server.gql(rhf, QUERIES.auditTrail as string);
    expect(trail.body.errors?.[0]?.message).toBe(
      'rule "only auditor or coordinator may read the audit trail": Vegard i Helse Vest is rhf',
    );
    const preview = await server.gql(
      rhf,
      'mutation ($letters: [LetterInput!]!) { previewLetter(letters: $letters) { warnings } }',
      { letters: [{ fileName: 'brev.txt', text: 'Helse Vest RHF skal utrede noe.' }] },
    );
    expect(preview.body.errors?.[0]).toMatchObject({
      message: 'rule "only coordinator may import letters": Vegard i Helse Vest is rhf',
      extensions: { code: 'FORBIDDEN' },
    });
    const auditor = await server.gql(await server.token('auditor'), QUERIES.auditTrail as string);
    expect(auditor.body.errors).toBeUndefined();
  });
});
