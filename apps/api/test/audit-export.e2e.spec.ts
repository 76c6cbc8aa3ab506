import { loadConfig } from '../src/config/app-config.js';
import { dataOf } from './support/clients.js';
import { startTestServer, type TestServer } from './support/harness.js';

/** The audit trail as a download (JSONL and CSV), against the demo data on 1 May 2024. */

let server: TestServer;
let auditor: string;

beforeAll(async () => {
  server = await startTestServer({ demo: true, now: '2024-05-01T10:00:00.000Z' });
  auditor = await server.token('auditor');
});
afterAll(() => server.close());

const download = (query: string, token: string | null = auditor) =>
  fetch(`${server.url}/export/${query}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });

interface Entry {
  eventId: string;
  type: string;
  oppdragId: string;
  recordedAt: string;
  actor: { userId: string };
}

/** Every entry the auditTrail query gives for a filter, page by page. */
async function trail(filter: Record<string, unknown>): Promise<Entry[]> {
  const out: Entry[] = [];
  let after: string | null = null;
  for (;;) {
    const page: { auditTrail: { entries: Entry[]; endCursor: string | null; hasNextPage: boolean } } = dataOf(
      await server.gql(
        auditor,
        'query ($f: AuditFilterInput, $after: String) { auditTrail(filter: $f, first: 100, after: $after) { entries { eventId type oppdragId recordedAt actor { userId } } endCursor hasNextPage } }',
        { f: filter, after },
      ),
    );
    out.push(...page.auditTrail.entries);
    if (!page.auditTrail.hasNextPage) return out;
    after = page.auditTrail.endCursor;
  }
}

/** Every refusal of the API, GraphQL or not, has this body. */
type RefusalBody = { errors: Array<{ message: string; extensions: { code: string; field?: string } }> };

describe('the audit trail export', () => {
  it('gives as JSON Lines the same selection as the auditTrail query, each event with its metadata', async () => {
    const filter = {
      types: ['OppdragStarted', 'OppdragReported'],
      from: '2024-01-01T00:00:00Z',
      to: '2024-04-30T00:00:00+02:00',
    };
    const expected = await trail(filter);
    expect(expected.length).toBeGreaterThan(1);
    const response = await download(
      `audit.jsonl?type=OppdragStarted,OppdragReported&from=${encodeURIComponent(filter.from)}&to=${encodeURIComponent(filter.to)}`,
    );
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/x-ndjson; charset=utf-8');
    expect(response.headers.get('content-disposition')).toBe('attachment; filename="revisjonsspor.jsonl"');
    const lines = (await response.text())
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.map((l) => l.eventId)).toEqual(expected.map((e) => e.eventId));
    expect(lines[0]).toMatchObject({
      type: expected[0]!.type,
      oppdragId: expected[0]!.oppdragId,
      actorUserId: expected[0]!.actor.userId,
      recordedAt: expected[0]!.recordedAt,
    });
    expect(typeof lines[0]!.data).toBe('object');
    expect(lines.every((l) => typeof l.commandId === 'string' && typeof l.correlationId === 'string')).toBe(
      true,
    );
  });

  it('gives as CSV (UTF-8 with BOM, semicolons) the entries of one actor', async () => {
    const expected = await trail({ actorUserId: 'vegard.vest' });
    expect(expected.length).toBeGreaterThan(0);
    const response = await download('audit.csv?actor=vegard.vest');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const bytes = new Uint8Array(await response.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder().decode(bytes.slice(3));
    const rows = text.trimEnd().split('\r\n');
    expect(rows[0]).toBe(
      'posisjon;registrert;oppdrag;revisjon;hendelse;bruker;navn;rolle;organisasjon;kommando;korrelasjon;hendelse-id;data',
    );
    expect(rows).toHaveLength(expected.length + 1);
    const first = rows[1]!.split(';');
    expect(first.slice(1, 6)).toEqual([
      expected[0]!.recordedAt,
      expected[0]!.oppdragId,
      expect.any(String),
      expected[0]!.type,
      'vegard.vest',
    ]);
    // The event data is JSON in one quoted cell.
    expect(rows[1]).toMatch(/;"\{.*\}"$/);
  });

  it('is for auditors and coordinators with a bearer token only', async () => {
    expect((await download('audit.jsonl', null)).status).toBe(401);
    expect((await download('audit.jsonl', 'not-a-token')).status).toBe(401);
    const rhf = await download('audit.csv', await server.token('rhf', 'helse-vest'));
    expect(rhf.status).toBe(403);
    const refused = (await rhf.json()) as RefusalBody;
    expect(refused.errors[0]?.message).toContain(
      'rule "only auditor or coordinator may export the audit trail"',
    );
    // The same body as every refusal of the API, GraphQL or not.
    expect(refused.errors[0]?.extensions).toEqual({ code: 'FORBIDDEN' });
    expect((await download('audit.csv', await server.token('coordinator', 'hod'))).status).toBe(200);
  });

  it('refuses a bad filter naming the field and the rule, and an unknown format', async () => {
    const bad = await download('audit.jsonl?from=yesterday');
    expect(bad.status).toBe(400);
    const badBody = (await bad.json()) as RefusalBody;
    expect(badBody.errors[0]?.message).toMatch(/^from must be a valid ISO 8601 date/);
    expect(badBody.errors[0]?.extensions.code).toBe('BAD_USER_INPUT');
    const type = await download('audit.jsonl?type=drop table');
    expect(type.status).toBe(400);
    expect(((await type.json()) as RefusalBody).errors[0]?.message).toContain('types');
    const unknown = await download('audit.xml');
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as RefusalBody).errors[0]?.extensions).toEqual({ code: 'NOT_FOUND' });
  });

  it('refuses a selection larger than one export holds, saying how to narrow it, and exports one that fits', async () => {
    const limits = { ...loadConfig({ NODE_ENV: 'test' }).limits, auditExportRows: 5 };
    const small = await startTestServer({ demo: true, now: '2024-05-01T10:00:00.000Z', config: { limits } });
    try {
      const token = await small.token('auditor');
      const get = (query: string) =>
        fetch(`${small.url}/export/${query}`, { headers: { authorization: `Bearer ${token}` } });
      const all = await get('audit.csv');
      expect(all.status).toBe(413);
      const body = (await all.json()) as RefusalBody;
      expect(body.errors[0]?.extensions.code).toBe('TOO_LARGE');
      expect(body.errors[0]?.message).toBe(
        'the selection holds more than 5 events, the most one export holds: narrow it by period, actor or event type',
      );
      const closed = await get('audit.jsonl?type=OppdragClosed');
      expect(closed.status).toBe(200);
      const lines = (await closed.text()).split('\n').filter(Boolean);
      expect(lines.length).toBeGreaterThan(0);
      expect(lines.length).toBeLessThanOrEqual(5);
    } finally {
      await small.close();
    }
  });
});
