import ical from 'node-ical';
import { dataOf, errorOf } from './support/clients.js';
import { startTestServer, type TestServer } from './support/harness.js';

/**
 * Calendar feeds over HTTP against the demo data on 1 May 2024: the feed's address opens that one feed
 * and nothing else, a revoked address is refused, the calendar reads back with stable UIDs and all-day
 * dates, a moved deadline moves its event, and no log line holds an address.
 */

const CREATE =
  'mutation ($rhf: ID) { createCalendarFeed(rhf: $rhf) { feedId path rhf { id } createdAt revokedAt } }';
const REVOKE = 'mutation ($id: ID!) { revokeCalendarFeed(feedId: $id) { feedId revokedAt path } }';
const LIST = '{ calendarFeeds { feedId rhf { id } createdAt revokedAt path } }';

interface Feed {
  feedId: string;
  path: string | null;
  rhf: { id: string } | null;
  createdAt: string;
  revokedAt: string | null;
}

const logs: string[] = [];
let server: TestServer;
let vest: string;
let coordinator: string;

beforeAll(async () => {
  server = await startTestServer({
    demo: true,
    now: '2024-05-01T10:00:00.000Z',
    config: { logLevel: 'info' },
    logStream: { write: (line: string) => void logs.push(line) },
  });
  [vest, coordinator] = await Promise.all([
    server.token('rhf', 'helse-vest'),
    server.token('coordinator', 'hod'),
  ]);
});
afterAll(() => server.close());

const create = async (token: string, rhf: string | null = null): Promise<Feed> =>
  dataOf(await server.gql<{ createCalendarFeed: Feed }>(token, CREATE, { rhf })).createCalendarFeed;

const get = (path: string, headers: Record<string, string> = {}) =>
  fetch(`${server.url}${path}`, { headers });

/** The date of an all-day event as the parser gives it (a local midnight), as YYYY-MM-DD. */
const dayOf = (date: Date): string =>
  `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}-${String(date.getDate()).padStart(2, '0')}`;

async function events(path: string): Promise<Map<string, ical.VEvent>> {
  const response = await get(path);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toBe('text/calendar; charset=utf-8');
  const parsed = ical.sync.parseICS(await response.text());
  const out = new Map<string, ical.VEvent>();
  for (const component of Object.values(parsed))
    if (component?.type === 'VEVENT') out.set(component.uid, component);
  return out;
}

describe('a calendar feed', () => {
  it("shows an RHF user's parts: one all-day event per part's due date and per milestone its part owes", async () => {
    const feed = await create(vest);
    expect(feed).toMatchObject({ rhf: { id: 'helse-vest' }, revokedAt: null });
    expect(feed.path).toMatch(/^\/kalender\/[0-9a-f]{32}\.[0-9a-f]{16}\.[0-9a-f]{64}\.ics$/);
    const calendar = await events(feed.path!);

    // The same dates as myParts and stillOwes give Helse Vest, for its open parts.
    const { myParts } = dataOf(
      await server.gql<{
        myParts: {
          items: Array<{ oppdrag: { id: string }; part: { status: string } | null; dueDate: string | null }>;
        };
      }>(vest, '{ myParts(first: 100) { items { oppdrag { id } part { status } dueDate } } }'),
    );
    const owed = myParts.items.filter((i) => i.part && i.part.status !== 'REPORTED');
    expect(owed.length).toBeGreaterThan(0);
    for (const item of owed) {
      const event = calendar.get(`${item.oppdrag.id}.frist.helse-vest@oppdragsflyt`);
      expect(event).toBeDefined();
      expect(event!.datetype).toBe('date');
      expect(dayOf(event!.start)).toBe(item.dueDate);
      expect(event!.summary).toMatch(/^(Frist|Rapport i Årlig melding): /);
      expect(event!.description as unknown as string).toContain(`/#/oppdrag/${item.oppdrag.id}`);
    }
    const deadlines = [...calendar.keys()].filter((uid) => uid.includes('.frist.'));
    expect(deadlines).toHaveLength(owed.length);
    const { stillOwes } = dataOf(
      await server.gql<{
        stillOwes: {
          items: Array<{
            oppdrag: { id: string };
            what: string;
            milestone: { id: string } | null;
            dueDate: string;
          }>;
        };
      }>(
        vest,
        '{ stillOwes(year: 2024, first: 100) { items { oppdrag { id } what milestone { id } dueDate } } }',
      ),
    );
    for (const m of stillOwes.items.filter((i) => i.what === 'MILESTONE')) {
      const event = calendar.get(`${m.oppdrag.id}.delleveranse.${m.milestone!.id}.helse-vest@oppdragsflyt`);
      expect(event && dayOf(event.start)).toBe(m.dueDate);
    }
  });

  it('moves the event, under the same UID, when the coordinator moves the deadline', async () => {
    const feed = await create(coordinator);
    expect(feed.rhf).toBeNull();
    const before = await events(feed.path!);
    const uid = '2024-demo-04.frist.alle@oppdragsflyt';
    expect(dayOf(before.get(uid)!.start)).toBe('2024-05-13');
    const moved = await server.gql(
      coordinator,
      'mutation { changeDeadline(input: { oppdragId: "2024-demo-04", deadline: "2024-06-20", reason: "Utsatt etter oppfølgingsmøtet" }) { revision } }',
    );
    expect(moved.body.errors).toBeUndefined();
    const after = await events(feed.path!);
    expect(dayOf(after.get(uid)!.start)).toBe('2024-06-20');
    expect(after.size).toBe(before.size);
  });

  it('opens with its address only that feed: GraphQL, other feeds and the exports refuse its token', async () => {
    const feed = await create(vest);
    const token = feed.path!.slice('/kalender/'.length, -'.ics'.length);
    const asBearer = await server.gql(token, '{ me { userId } }');
    expect(asBearer.status).toBe(401);
    expect(errorOf(asBearer).extensions?.code).toBe('UNAUTHENTICATED');
    for (const path of ['/export/audit.jsonl', '/export/audit.csv'])
      expect((await get(path, { authorization: `Bearer ${token}` })).status).toBe(401);
    // Its secret with another feed's id, or another user's key, opens nothing.
    const other = await create(coordinator);
    const [, otherId] = other.path!.slice('/kalender/'.length, -'.ics'.length).split('.');
    const [key, , secret] = token.split('.');
    expect((await get(`/kalender/${key}.${otherId}.${secret}.ics`)).status).toBe(404);
    const [otherKey] = other.path!.slice('/kalender/'.length).split('.');
    expect((await get(`/kalender/${otherKey}.${feed.feedId}.${secret}.ics`)).status).toBe(404);
    expect((await get(`/kalender/${key}.${feed.feedId}.${'0'.repeat(64)}.ics`)).status).toBe(404);
    expect((await get('/kalender/not-a-token.ics')).status).toBe(404);
    expect((await get(feed.path!)).status).toBe(200);
  });

  it('is refused once revoked; the list shows it revoked and never shows an address', async () => {
    const feed = await create(vest);
    expect((await get(feed.path!)).status).toBe(200);
    const revoked = dataOf(
      await server.gql<{ revokeCalendarFeed: Feed }>(vest, REVOKE, { id: feed.feedId }),
    ).revokeCalendarFeed;
    expect(revoked.revokedAt).toBe('2024-05-01T10:00:00.000Z');
    expect(revoked.path).toBeNull();
    expect((await get(feed.path!)).status).toBe(404);
    const { calendarFeeds } = dataOf(await server.gql<{ calendarFeeds: Feed[] }>(vest, LIST));
    expect(calendarFeeds.find((f) => f.feedId === feed.feedId)).toMatchObject({
      revokedAt: revoked.revokedAt,
    });
    expect(calendarFeeds.every((f) => f.path === null)).toBe(true);
    expect(errorOf(await server.gql(vest, REVOKE, { id: feed.feedId })).extensions?.code).toBe(
      'INVALID_TRANSITION',
    );
    // Another user cannot revoke it: it is not among theirs.
    const nord = await server.token('rhf', 'helse-nord');
    const open = await create(vest);
    expect(errorOf(await server.gql(nord, REVOKE, { id: open.feedId })).extensions?.code).toBe('NOT_FOUND');
    expect((await get(open.path!)).status).toBe(200);
  });

  it('records making and revoking a feed as events of the user, without the secret', async () => {
    const feed = await create(vest);
    await server.gql(vest, REVOKE, { id: feed.feedId });
    const stored = (await server.store.readAll({ maxCount: 100_000 })).filter((e) =>
      e.streamId.startsWith('kalender-'),
    );
    const mine = stored.filter((e) => e.data.feedId === feed.feedId);
    expect(mine.map((e) => e.type)).toEqual(['CalendarFeedCreated', 'CalendarFeedRevoked']);
    for (const e of mine) expect(e.metadata).toMatchObject({ actor: { userId: 'vegard.vest', role: 'rhf' } });
    const secret = feed.path!.split('.')[2]!;
    expect(JSON.stringify(stored.map((e) => [e.data, e.metadata]))).not.toContain(secret);
  });

  it('is made for rhf and coordinator users only, an RHF user for its own RHF', async () => {
    const auditor = await server.token('auditor');
    expect(errorOf(await server.gql(auditor, CREATE, {})).extensions?.code).toBe('FORBIDDEN');
    const refused = errorOf(await server.gql(vest, CREATE, { rhf: 'helse-nord' }));
    expect(refused.extensions?.code).toBe('FORBIDDEN');
    expect(refused.message).toContain("its own RHF's parts only");
    expect((await create(coordinator, 'Helse Nord')).rhf).toEqual({ id: 'helse-nord' });
    expect(errorOf(await server.gql(coordinator, CREATE, { rhf: 'hod' })).extensions?.field).toBe('rhf');
    expect(errorOf(await server.gql(vest, REVOKE, { id: 'x' })).extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'feedId',
    });
    expect((await server.gql(null, LIST)).status).toBe(401);
  });

  it('never writes a feed address to the log', async () => {
    const feed = await create(vest);
    await get(feed.path!);
    await get(`${feed.path!}?x=1`);
    await get(`${feed.path!.slice(0, -4)}/more`);
    const secret = feed.path!.split('.')[2]!;
    const written = logs.join('\n');
    expect(written).toContain('/kalender/[skjult]');
    expect(written).not.toContain(secret);
    expect(written).not.toContain(feed.feedId);
  });
});
