import { osloStartOfDay } from '#projections';
import { addDays, type CalendarDate } from '#domain';
import { dataOf, errorOf } from './support/clients.js';
import { startTestServer, type TestServer } from './support/harness.js';

/** The charts' numbers over HTTP against the demo data, read on 1 May 2024, checked by other questions. */

interface Charts {
  year: number;
  on: string;
  rhf: { id: string } | null;
  parts: Array<{ organisation: { id: string }; open: number; reported: number; overdue: number }>;
  overdueByMonth: Array<{ month: string; on: string; complete: boolean; count: number }>;
}
const CHARTS = `query ($year: Int, $rhf: ID) { charts(year: $year, rhf: $rhf) {
  year on rhf { id } parts { organisation { id } open reported overdue } overdueByMonth { month on complete count } } }`;

let server: TestServer;
let coordinator: string;

beforeAll(async () => {
  server = await startTestServer({ demo: true, now: '2024-05-01T10:00:00.000Z' });
  coordinator = await server.token('coordinator', 'hod');
});
afterAll(() => server.close());

const charts = async (variables: Record<string, unknown> = {}, token = coordinator) =>
  dataOf(await server.gql<{ charts: Charts }>(token, CHARTS, variables)).charts;

describe('the charts query', () => {
  it('counts the parts per RHF as the workload does: open and overdue apart, reported beside them', async () => {
    const result = await charts();
    const { workload } = dataOf(
      await server.gql<{
        workload: Array<{ organisation: { id: string }; parts: number; open: number; overdue: number }>;
      }>(coordinator, '{ workload(year: 2024) { organisation { id } parts open overdue } }'),
    );
    expect(result.year).toBe(2024);
    expect(result.on).toBe('2024-05-01');
    for (const row of workload) {
      const bar = result.parts.find((p) => p.organisation.id === row.organisation.id)!;
      expect(bar.overdue).toBe(row.overdue);
      expect(bar.open + bar.overdue).toBe(row.open);
    }
    const total = result.parts.reduce((sum, p) => sum + p.open + p.reported + p.overdue, 0);
    expect(total).toBeGreaterThan(0);
  });

  it('counts the overdue oppdrag at each month end as oppdragAsOf shows each of them then', async () => {
    const result = await charts();
    expect(result.overdueByMonth.map((m) => m.month)).toEqual([
      '2024-01',
      '2024-02',
      '2024-03',
      '2024-04',
      '2024-05',
    ]);
    const ids = Array.from({ length: 10 }, (_, i) => `2024-demo-${String(i + 1).padStart(2, '0')}`);
    for (const month of result.overdueByMonth) {
      // The last instant of the day asked about, in Oslo: oppdragAsOf asks the overdue rule about that day.
      const instant = new Date(osloStartOfDay(addDays(month.on as CalendarDate, 1)) - 1).toISOString();
      const query = `{ ${ids
        .map((id, i) => `a${i}: oppdragAsOf(id: "${id}", instant: "${instant}") { oppdrag { overdue } }`)
        .join(' ')} }`;
      const data = dataOf(
        await server.gql<Record<string, { oppdrag: { overdue: boolean } | null }>>(coordinator, query),
      );
      const overdue = Object.values(data).filter((a) => a.oppdrag?.overdue).length;
      expect({ month: month.month, count: month.count }).toEqual({ month: month.month, count: overdue });
    }
    // The current month is counted as of today: what the overdue list says now.
    const { overdue } = dataOf(
      await server.gql<{ overdue: { totalCount: number } }>(coordinator, '{ overdue { totalCount } }'),
    );
    expect(result.overdueByMonth.at(-1)).toMatchObject({
      on: '2024-05-01',
      complete: false,
      count: overdue.totalCount,
    });
    expect(result.overdueByMonth.some((m) => m.count > 0 && m.complete)).toBe(true);
  });

  it('gives one RHF its own parts, by id or name, for any reader', async () => {
    const nord = await server.token('rhf', 'helse-nord');
    const result = await charts({ rhf: 'Helse Vest' }, nord);
    expect(result.rhf).toEqual({ id: 'helse-vest' });
    expect(result.parts.map((p) => p.organisation.id)).toEqual(['helse-vest']);
    const { workload } = dataOf(
      await server.gql<{ workload: Array<{ organisation: { id: string }; overdue: number }> }>(
        coordinator,
        '{ workload { organisation { id } overdue } }',
      ),
    );
    const vest = workload.find((w) => w.organisation.id === 'helse-vest')!;
    expect(result.overdueByMonth.at(-1)!.count).toBe(vest.overdue);
  });

  it('refuses a year or an RHF it cannot chart, naming the field', async () => {
    expect(errorOf(await server.gql(coordinator, CHARTS, { year: 1800 }))).toMatchObject({
      message: 'year: must be a whole year from 2000 to 2100',
      extensions: { code: 'BAD_USER_INPUT', field: 'year' },
    });
    expect(errorOf(await server.gql(coordinator, CHARTS, { rhf: 'hod' })).extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'rhf',
    });
    expect((await server.gql(null, CHARTS)).status).toBe(401);
  });
});
