import { startTestServer, type TestServer } from './support/harness.js';

describe('the API over HTTP (smoke)', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ demo: true });
  });
  afterAll(() => server.close());

  it('answers health without a token and nothing else', async () => {
    expect((await fetch(`${server.url}/health/live`)).status).toBe(200);
    const ready = await fetch(`${server.url}/health/ready`);
    expect(ready.status).toBe(200);
    const anonymous = await server.gql(null, '{ me { name } }');
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('shows the demo data to a coordinator, with overdue oppdrag', async () => {
    const token = await server.token('coordinator');
    const { body } = await server.gql<{ overdue: { totalCount: number } }>(
      token,
      '{ overdue { totalCount oppdrag { id } } }',
    );
    expect(body.errors).toBeUndefined();
    expect(body.data?.overdue.totalCount).toBeGreaterThan(0);
  });
});
