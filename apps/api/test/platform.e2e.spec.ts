import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GraphQLSchemaHost } from '@nestjs/graphql';
import { printSchema } from 'graphql';
import { SignJWT } from 'jose';
import { SqliteEventStore, type SubscribeOptions } from '#event-store';
import { mintToken } from '../src/auth/tokens.js';
import { dataOf, errorOf, mark, post, writtenSince } from './support/clients.js';
import { startTestServer, TEST_SECRET, type TestServer } from './support/harness.js';

/** Authentication, request limits, the committed schema, health and shutdown: the API as a server. */
let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({ demo: true, now: '2024-05-01T10:00:00.000Z' });
});
afterAll(() => server.close());

const secret = new TextEncoder().encode(TEST_SECRET);
const claims = { name: 'Kari Koordinator (HOD)', role: 'coordinator', org: 'hod' };
const signed = (
  payload: Record<string, unknown>,
  options: { issuer?: string; expires?: number | string; key?: Uint8Array } = {},
): Promise<string> =>
  new SignJWT(payload)
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject('kari.koordinator')
    .setIssuer(options.issuer ?? 'oppdragsflyt')
    .setIssuedAt()
    .setExpirationTime(options.expires ?? '1h')
    .sign(options.key ?? secret);

describe('authentication over HTTP', () => {
  const assign = `mutation { assignOppdrag(input: { oppdragId: "e2e-uten-token", year: 2024, title: "Uten token" }) { revision } }`;

  it('no token: 401 with a GraphQL-shaped body, UNAUTHENTICATED, and nothing runs', async () => {
    const before = await mark(server);
    const response = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: assign }),
    });
    expect(response.status).toBe(401);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await response.json()).toEqual({
      data: null,
      errors: [
        { message: 'sign in: send Authorization: Bearer <token>', extensions: { code: 'UNAUTHENTICATED' } },
      ],
    });
    expect(await writtenSince(server, before)).toEqual([]);
  });

  const refused: Array<[string, () => Promise<string>, RegExp]> = [
    [
      'a bad signature',
      () => signed(claims, { key: new TextEncoder().encode('x'.repeat(48)) }),
      /signature verification failed/,
    ],
    [
      'an expired token',
      () => signed(claims, { expires: Math.floor(Date.now() / 1000) - 60 }),
      /"exp" claim timestamp check failed/,
    ],
    ['the wrong issuer', () => signed(claims, { issuer: 'someone-else' }), /unexpected "iss" claim value/],
    [
      'an unknown role',
      () => signed({ ...claims, role: 'admin' }),
      /the token's role must be one of coordinator, rhf, auditor$/,
    ],
    [
      'the engine’s own role',
      () => signed({ ...claims, role: 'system' }),
      /the token's role must be one of coordinator, rhf, auditor$/,
    ],
    [
      'an rhf token for no RHF',
      () => signed({ ...claims, role: 'rhf', org: 'hod' }),
      /an rhf token must name one of the four RHFs/,
    ],
    [
      'no subject',
      () =>
        new SignJWT(claims)
          .setProtectedHeader({ alg: 'HS256' })
          .setIssuer('oppdragsflyt')
          .setExpirationTime('1h')
          .sign(secret),
      /no subject/,
    ],
    [
      'an unsigned token (alg none)',
      () => Promise.resolve(`${b64({ alg: 'none' })}.${b64({ ...claims, sub: 'x', iss: 'oppdragsflyt' })}.`),
      /the bearer token is not valid/,
    ],
    ['not a JWT at all', () => Promise.resolve('not-a-token'), /the bearer token is not valid/],
  ];

  it.each(refused)('%s: 401 UNAUTHENTICATED saying why, and nothing runs', async (_what, token, why) => {
    const before = await mark(server);
    const response = await post(server, { token: await token(), query: assign });
    expect(response.status).toBe(401);
    expect(errorOf(response)).toEqual({
      message: expect.stringMatching(why),
      extensions: { code: 'UNAUTHENTICATED' },
    });
    expect(await writtenSince(server, before)).toEqual([]);
  });

  it('a header that is not a bearer token is the same as none', async () => {
    const response = await post(server, {
      query: '{ me { name } }',
      headers: { authorization: `Basic ${btoa('kari:passord')}` },
    });
    expect(response.status).toBe(401);
    expect(errorOf(response).message).toBe('sign in: send Authorization: Bearer <token>');
  });

  it('a token minted with the server’s secret and issuer is accepted', async () => {
    const token = await mintToken(TEST_SECRET, {
      userId: 'ola',
      name: 'Ola Revisor',
      role: 'auditor',
      organisationId: 'riksrevisjonen',
    });
    expect(dataOf(await post(server, { token, query: '{ me { userId role } }' }))).toEqual({
      me: { userId: 'ola', role: 'AUDITOR' },
    });
  });
});

function b64(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

describe('request limits: refused with a clear error before anything runs', () => {
  let tight: TestServer;
  let token: string;
  beforeAll(async () => {
    tight = await startTestServer({
      now: '2024-05-01T10:00:00.000Z',
      config: {
        limits: {
          bodyBytes: 4096,
          queryDepth: 3,
          queryComplexity: 20,
          queryTokens: 4000,
          queryCacheBytes: 128 * 1024 * 1024,
          readYourWritesMs: 5000,
          auditExportRows: 10_000,
        },
      },
    });
    token = await tight.token('coordinator', 'hod');
  });
  afterAll(() => tight.close());

  const assign = (selection: string, description = '') =>
    `mutation { assignOppdrag(input: { oppdragId: "e2e-limits", year: 2024, title: "Grenser", description: "${description}" }) ${selection} }`;

  it('query depth: over the limit is 400 BAD_USER_INPUT naming depth and limit; a mutation so deep is not executed', async () => {
    const before = await mark(tight);
    const response = await post(tight, { token, query: assign('{ oppdrag { lead { id } } }') });
    expect(response.status).toBe(400);
    expect(response.body).toEqual({
      data: null,
      errors: [
        {
          message: 'query depth 4 exceeds the limit of 3: ask for fewer nested fields',
          extensions: { code: 'BAD_USER_INPUT' },
        },
      ],
    });
    expect(await writtenSince(tight, before)).toEqual([]);
    expect(dataOf(await post(tight, { token, query: '{ me { organisation { id } } }' }))).toEqual({
      me: { organisation: { id: 'hod' } },
    });
  });

  it('query complexity: page size times fields, variables included; over the limit is refused and not executed', async () => {
    const list = 'query ($n: Int) { oppdragList(first: $n) { nodes { id } } }';
    expect(dataOf(await post(tight, { token, query: list, variables: { n: 5 } }))).toEqual({
      oppdragList: { nodes: [] },
    });
    const tooMany = await post(tight, { token, query: list, variables: { n: 10 } });
    expect(tooMany.status).toBe(400);
    expect(errorOf(tooMany)).toEqual({
      message: 'query complexity 25 exceeds the limit of 20: ask for smaller pages or fewer fields',
      extensions: { code: 'BAD_USER_INPUT' },
    });
    const before = await mark(tight);
    const fields = Array.from({ length: 21 }, (_, i) => `f${i}: id`).join(' ');
    const wide = await post(tight, { token, query: assign(`{ oppdrag { ${fields} } }`) });
    expect(errorOf(wide).message).toMatch(/^query complexity \d+ exceeds the limit of 20/);
    expect(await writtenSince(tight, before)).toEqual([]);
  });

  it('body size: over the limit is 413 naming the limit, and not executed', async () => {
    const before = await mark(tight);
    const response = await post(tight, { token, query: assign('{ revision }', 'x'.repeat(5000)) });
    expect(response.status).toBe(413);
    expect(response.body).toEqual({
      data: null,
      errors: [
        {
          message: 'the request body is larger than the limit of 4096 bytes',
          extensions: { code: 'BAD_USER_INPUT' },
        },
      ],
    });
    expect(await writtenSince(tight, before)).toEqual([]);
  });

  it('a body that is not JSON, a syntax error, an unknown field: 400 BAD_USER_INPUT with the reason', async () => {
    const raw = await fetch(`${tight.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: '{"query": ',
    });
    expect(raw.status).toBe(400);
    expect(await raw.json()).toEqual({
      data: null,
      errors: [
        {
          message: "Body is not valid JSON but content-type is set to 'application/json'",
          extensions: { code: 'BAD_USER_INPUT' },
        },
      ],
    });
    const syntax = await post(tight, { token, query: '{ me { name }' });
    expect(syntax.status).toBe(400);
    expect(errorOf(syntax)).toMatchObject({
      message: 'Syntax Error: Expected Name, found <EOF>.',
      extensions: { code: 'BAD_USER_INPUT' },
    });
    const unknown = await post(tight, { token, query: '{ me { password } }' });
    expect(unknown.status).toBe(400);
    expect(errorOf(unknown)).toMatchObject({
      message: 'Cannot query field "password" on type "Me".',
      extensions: { code: 'BAD_USER_INPUT' },
    });
  });

  it('a mutation over GET is refused (405) and not executed', async () => {
    const before = await mark(tight);
    const response = await fetch(`${tight.url}/graphql?query=${encodeURIComponent(assign('{ revision }'))}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(response.status).toBe(405);
    expect(await response.json()).toEqual({
      data: null,
      errors: [
        {
          message: 'Operation cannot be performed via a GET request',
          extensions: { code: 'BAD_USER_INPUT' },
        },
      ],
    });
    expect(await writtenSince(tight, before)).toEqual([]);
  });
});

describe('the committed schema', () => {
  const file = fileURLToPath(new URL('../schema.gql', import.meta.url));
  const HEADER =
    '# The GraphQL schema of the API, printed from the running app (types sorted). Do not edit by hand:\n' +
    '# regenerate with UPDATE_SCHEMA=1 node --experimental-vm-modules node_modules/jest/bin/jest.js apps/api/test/platform\n\n';

  it('apps/api/schema.gql is what the running API serves', () => {
    const printed = `${HEADER}${printSchema(server.app.get(GraphQLSchemaHost).schema)}\n`;
    if (process.env.UPDATE_SCHEMA === '1') {
      writeFileSync(file, printed);
      return;
    }
    let committed: string;
    try {
      committed = readFileSync(file, 'utf8');
    } catch {
      throw new Error(`${file} is missing. Generate it with UPDATE_SCHEMA=1 (see its header) and commit it.`);
    }
    if (committed !== printed) {
      const a = committed.split('\n');
      const b = printed.split('\n');
      const line = a.findIndex((text, i) => text !== b[i]);
      const at = line === -1 ? a.length : line;
      throw new Error(
        `apps/api/schema.gql has drifted from the schema the API serves (first difference at line ${at + 1}:\n` +
          `  committed: ${a[at] ?? '(end of file)'}\n  served:    ${b[at] ?? '(end of file)'}).\n` +
          'If the change is intended, regenerate the file and commit it:\n' +
          '  UPDATE_SCHEMA=1 node --experimental-vm-modules node_modules/jest/bin/jest.js apps/api/test/platform',
      );
    }
    expect(committed).toBe(printed);
  });
});

describe('health', () => {
  it('live: 200 without a token while the instance can recover', async () => {
    const response = await fetch(`${server.url}/health/live`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  it('ready: 503 while the read models catch up (here: during a rebuild), 200 once caught up', async () => {
    const store = server.store;
    const subscribeToAll = store.subscribeToAll.bind(store);
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    // Hold back the replay so that the catching-up state lasts until the test has looked at it.
    store.subscribeToAll = (options: SubscribeOptions) =>
      subscribeToAll({
        ...options,
        handle: async (batch) => {
          await gate;
          return options.handle(batch);
        },
      });
    try {
      const rebuilding = server.runtime.projector.rebuild();
      let ready = await fetch(`${server.url}/health/ready`);
      for (let tries = 0; ready.status === 200 && tries < 200; tries++) {
        await new Promise((resolve) => setTimeout(resolve, 5));
        ready = await fetch(`${server.url}/health/ready`);
      }
      expect(ready.status).toBe(503);
      expect(await ready.json()).toMatchObject({ status: 'catching-up' });
      expect((await fetch(`${server.url}/health/live`)).status).toBe(200);
      // GraphQL is refused with a clear code instead of answering from half-built read models.
      const early = await server.gql(await server.token('coordinator'), '{ me { userId } }');
      expect(early.status).toBe(503);
      expect(early.body.errors?.[0]).toMatchObject({
        message: 'the read models are catching up with the event store; try again shortly',
        extensions: { code: 'SERVICE_UNAVAILABLE' },
      });
      release();
      await rebuilding;
      const caughtUp = await fetch(`${server.url}/health/ready`);
      expect(caughtUp.status).toBe(200);
      expect((await server.gql(await server.token('coordinator'), '{ me { userId } }')).status).toBe(200);
      const head = await store.headPosition();
      expect(await caughtUp.json()).toEqual({
        status: 'ready',
        oppdrag: 10,
        position: head?.commit.toString(),
        problems: 0,
      });
    } finally {
      release();
      store.subscribeToAll = subscribeToAll;
    }
  });

  it('echoes x-correlation-id on every answer, not only GraphQL', async () => {
    const response = await fetch(`${server.url}/health/live`, {
      headers: { 'x-correlation-id': 'lb-probe-7' },
    });
    expect(response.headers.get('x-correlation-id')).toBe('lb-probe-7');
  });
});

describe('graceful shutdown', () => {
  it('finishes a mutation in flight before the server closes, and it is stored', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'oppdragsflyt-shutdown-'));
    try {
      const doomed = await startTestServer({ dir, now: '2024-05-01T10:00:00.000Z' });
      const token = await doomed.token('coordinator', 'hod');
      // Hold the mutation's append until shutdown has begun.
      const store = doomed.store;
      const append = store.appendToStream.bind(store);
      let entered!: () => void;
      const appending = new Promise<void>((resolve) => (entered = resolve));
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      store.appendToStream = async (...args) => {
        entered();
        await gate;
        return append(...args);
      };
      const http = doomed.app.getHttpAdapter();
      const closeHttp = http.close.bind(http) as () => Promise<void>;
      let closingBegun!: () => void;
      const begun = new Promise<void>((resolve) => (closingBegun = resolve));
      http.close = (): Promise<void> => {
        closingBegun();
        return closeHttp();
      };

      const inFlight = post(doomed, {
        token,
        query: `mutation { assignOppdrag(input: { oppdragId: "e2e-in-flight", year: 2024, title: "Under nedstenging" }) { revision events } }`,
      });
      await appending;
      const closing = doomed.close();
      await begun;
      release();
      const finished = await inFlight;
      expect(finished.status).toBe(200);
      expect(dataOf(finished)).toEqual({ assignOppdrag: { revision: 0, events: ['OppdragAssigned'] } });
      // The close must complete: a keep-alive connection left open by the finished request held it before.
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        closing,
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error('the server did not finish closing within 5 s')), 5000);
        }),
      ]).finally(() => clearTimeout(timer));

      const reopened = new SqliteEventStore({ path: join(dir, 'events.db') });
      try {
        const events = await reopened.readAll({});
        expect(events.map((e) => [e.streamId, e.type])).toEqual([
          ['oppdrag-e2e-in-flight', 'OppdragAssigned'],
        ]);
      } finally {
        await reopened.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
