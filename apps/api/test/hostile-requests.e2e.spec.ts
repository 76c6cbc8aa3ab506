import { parse } from 'graphql';
import { interpretDocumentsWithVariables } from '../src/graphql/compiled-execution.js';
import { bytesPerCachedQuery, COMPILE_MAX_FIELDS, queryCacheEntries } from '../src/graphql/query-cache.js';
import { Turns } from '../src/graphql/turns.js';
import { startTestServer, type TestServer } from './support/harness.js';

const aliases = (count: number, field: string): string =>
  `{ ${Array.from({ length: count }, (_, i) => `a${i}: ${field}`).join(' ')} }`;

describe('hostile requests from a signed-in user', () => {
  let server: TestServer;
  let rhf: string;
  beforeAll(async () => {
    // The default limits: 5,000 of complexity, 2,000 tokens.
    server = await startTestServer({ demo: true });
    rhf = await server.token('rhf', 'helse-vest');
  });
  afterAll(() => server.close());

  it('the alias bomb that stalled the server (2,400 free-text searches, ~150 KB) is refused before it runs', async () => {
    const bomb = aliases(2400, 'oppdragList(filter: { text: "helse" }, first: 1) { totalCount }');
    const response = await server.gql(rhf, bomb);
    expect(response.status).toBe(400);
    expect(response.body.errors?.[0]).toMatchObject({
      extensions: { code: 'BAD_USER_INPUT' },
    });
    // Its 2,400 aliases are far over the token limit too: refused while parsing, naming the limit.
    expect(response.body.errors?.[0]?.message).toMatch(/more tha[nt] 2000 tokens/);
  });

  it('a costly field under more aliases than allowed is refused, naming the field and the cap', async () => {
    const response = await server.gql(
      rhf,
      aliases(11, 'oppdragAsOf(id: "2024-demo-01", instant: "2024-04-01T00:00:00Z") { revision }'),
    );
    expect(response.status).toBe(400);
    expect(response.body.errors?.[0]).toEqual({
      message:
        'oppdragAsOf: asked for 11 times in one request (by alias); at most 10, as each is costly: send the rest in further requests',
      extensions: { code: 'BAD_USER_INPUT' },
    });
  });

  it('costly fields up to their cap are answered', async () => {
    const response = await server.gql<Record<string, { revision: number }>>(
      rhf,
      aliases(10, 'oppdragAsOf(id: "2024-demo-01", instant: "2024-04-01T00:00:00Z") { revision }'),
    );
    expect(response.status).toBe(200);
    expect(Object.keys(response.body.data ?? {})).toHaveLength(10);
    expect(response.body.data?.a9?.revision).toBe(response.body.data?.a0?.revision);
  });
});

describe('a request of costly fields', () => {
  it('lets a health check through between its fields instead of holding the event loop to the end', async () => {
    const server = await startTestServer({ demo: true });
    const store = server.store;
    const readStream = store.readStream.bind(store);
    let begun!: () => void;
    const costlyWorkBegun = new Promise<void>((resolve) => (begun = resolve));
    // Each oppdragAsOf now holds the event loop for 40 ms, as a long fold would: 400 ms for ten.
    store.readStream = (...args: Parameters<typeof store.readStream>) => {
      begun();
      const until = performance.now() + 40;
      while (performance.now() < until); // busy: nothing else runs meanwhile
      return readStream(...args);
    };
    try {
      const token = await server.token('rhf', 'helse-vest');
      const order: string[] = [];
      const costly = server
        .gql(
          token,
          aliases(10, 'oppdragAsOf(id: "2024-demo-01", instant: "2024-04-01T00:00:00Z") { revision }'),
        )
        .then((r) => order.push(`graphql ${r.status}`));
      // Sent once the server has begun the costly fields (the test runs in the server's process).
      await costlyWorkBegun;
      const health = fetch(`${server.url}/health/live`).then((r) => order.push(`health ${r.status}`));
      await Promise.all([costly, health]);
      expect(order).toEqual(['health 200', 'graphql 200']);
    } finally {
      store.readStream = readStream;
      await server.close();
    }
  });
});

describe('letters to read', () => {
  it('are read one turn each, so that large letters let other work through in between', async () => {
    const server = await startTestServer();
    const turns = server.app.get(Turns);
    const run = turns.run.bind(turns);
    let pieces = 0;
    turns.run = <T>(work: () => T | Promise<T>): Promise<T> => {
      pieces += 1;
      return run(work);
    };
    try {
      const letter = (rhf: string) =>
        `Helse- og omsorgsdepartementet\n\nOppdragsdokument 2024\n\n${rhf}\n\nOppdrag 2024:\n\n- ${rhf} skal kartlegge ventetider og rapportere innen 1. oktober 2024.\n`;
      const response = await server.gql<{ previewLetter: { letters: Array<{ recipient: string }> } }>(
        await server.token('coordinator'),
        'mutation ($l: [LetterInput!]!) { previewLetter(letters: $l) { letters { recipient } } }',
        { l: [{ text: letter('Helse Vest RHF') }, { text: letter('Helse Nord RHF') }] },
      );
      expect(response.body.data?.previewLetter.letters).toHaveLength(2);
      expect(pieces).toBe(2);
    } finally {
      await server.close();
    }
  });
});

describe('the caches of parsed and compiled queries', () => {
  it('keep as many queries as fit in their bytes when every query is as large as allowed', () => {
    const limits = { queryTokens: 4000, queryCacheBytes: 128 * 1024 * 1024 };
    const entries = queryCacheEntries(limits);
    expect(entries * bytesPerCachedQuery(limits)).toBeLessThanOrEqual(limits.queryCacheBytes);
    expect((entries + 1) * bytesPerCachedQuery(limits)).toBeGreaterThan(limits.queryCacheBytes);
    // Fewer tokens allowed per query: more queries fit.
    expect(queryCacheEntries({ ...limits, queryTokens: 1000 })).toBeGreaterThan(entries);
  });

  it('never compile a document of more fields than the compile limit', () => {
    const small = parse(aliases(COMPILE_MAX_FIELDS, '__typename'));
    const large = parse(aliases(COMPILE_MAX_FIELDS + 1, '__typename'));
    expect(interpretDocumentsWithVariables(null as never, small)).toBeUndefined();
    expect(interpretDocumentsWithVariables(null as never, large)).toEqual({ document: large });
  });
});
