import { loadConfig } from '../src/config/app-config.js';
import { startTestServer, TEST_SECRET, type TestServer } from './support/harness.js';

const INTROSPECT = '{ __schema { queryType { name } } }';

describe('introspection is configurable: off by default in production, on in development', () => {
  it('defaults follow NODE_ENV, and GRAPHQL_INTROSPECTION overrides them', () => {
    expect(loadConfig({ NODE_ENV: 'production', JWT_SECRET: TEST_SECRET }).introspection).toBe(false);
    expect(loadConfig({ NODE_ENV: 'development' }).introspection).toBe(true);
    expect(
      loadConfig({ NODE_ENV: 'production', JWT_SECRET: TEST_SECRET, GRAPHQL_INTROSPECTION: 'true' })
        .introspection,
    ).toBe(true);
    expect(loadConfig({ NODE_ENV: 'development', GRAPHQL_INTROSPECTION: 'false' }).introspection).toBe(false);
    expect(() => loadConfig({ GRAPHQL_INTROSPECTION: 'yes' })).toThrow(
      'GRAPHQL_INTROSPECTION: must be true or false (got "yes")',
    );
  });

  describe.each([
    ['off (production default)', false],
    ['on (development default)', true],
  ])('%s', (_name, introspection) => {
    let server: TestServer;
    beforeAll(async () => {
      server = await startTestServer({ config: { introspection } });
    });
    afterAll(() => server.close());

    it(introspection ? 'answers __schema' : 'refuses __schema with 400 and says why', async () => {
      const response = await server.gql(await server.token('auditor'), INTROSPECT);
      if (introspection) {
        expect(response.status).toBe(200);
        expect(response.body.data).toEqual({ __schema: { queryType: { name: 'Query' } } });
      } else {
        expect(response.status).toBe(400);
        expect(response.body.errors?.[0]?.message).toMatch(/introspection/i);
        expect(response.body.data ?? null).toBeNull();
      }
    });

    it('other queries answer either way, __typename included', async () => {
      const response = await server.gql(await server.token('auditor'), '{ __typename me { role } }');
      expect(response.body).toEqual({ data: { __typename: 'Query', me: { role: 'AUDITOR' } } });
    });
  });
});
