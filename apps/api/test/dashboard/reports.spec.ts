import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BrowserContext, Page } from 'playwright-core';
import { browserSuite, startDashboard, type DashboardRig } from '../support/browser.js';
import type { TestServer } from '../support/harness.js';

/**
 * The charts, the calendar feed panel and the audit view in a real browser (Debian's Chromium driven by
 * playwright-core) against the API with demo data on 1 May 2024. Every number on the page is compared
 * with what the GraphQL API answers.
 */

const suite = browserSuite('charts, calendar feeds and audit view');
const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const SCREENSHOTS = join(ROOT, 'test-output', 'screenshots');

interface Charts {
  rhf: { id: string } | null;
  parts: Array<{
    organisation: { id: string; shortName: string };
    open: number;
    reported: number;
    overdue: number;
  }>;
  overdueByMonth: Array<{ month: string; count: number; complete: boolean }>;
}
const CHARTS =
  'query ($rhf: ID) { charts(rhf: $rhf) { rhf { id } parts { organisation { id shortName } open reported overdue } overdueByMonth { month count complete } } }';

suite('charts, calendar feeds and the audit view in a browser', () => {
  let server: TestServer;
  let context: BrowserContext;
  let rig: DashboardRig;
  let coordinatorToken: string;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    rig = await startDashboard('2024-05-01T10:00:00.000Z');
    ({ server, context } = rig);
    coordinatorToken = await server.token('coordinator', 'hod');
    mkdirSync(SCREENSHOTS, { recursive: true });
  }, 30000);

  afterAll(() => rig?.close());

  afterEach(() => expect(pageErrors.splice(0)).toEqual([]));

  async function signInAs(userName: RegExp, hash = ''): Promise<Page> {
    const page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(`${server.url}/`);
    await page.getByRole('button', { name: userName }).click();
    await page.getByTestId('whoami').waitFor();
    if (hash) await page.goto(`${server.url}/${hash}`);
    return page;
  }

  async function api<T>(
    query: string,
    variables?: Record<string, unknown>,
    token = coordinatorToken,
  ): Promise<T> {
    const { body } = await server.gql<T>(token, query, variables);
    expect(body.errors).toBeUndefined();
    return body.data as T;
  }

  /** The rows of a table as text cells. */
  async function cells(page: Page, testId: string): Promise<string[][]> {
    const rows = page.locator(`[data-testid=${testId}] tbody tr`);
    const out: string[][] = [];
    for (let i = 0; i < (await rows.count()); i += 1)
      out.push((await rows.nth(i).locator('th, td').allTextContents()).map((t) => t.trim()));
    return out;
  }

  /** The data-event attribute of each row of the audit table. */
  async function eventIds(page: Page): Promise<string[]> {
    const rows = page.locator('[data-testid=audit-table] tbody tr');
    const out: string[] = [];
    for (let i = 0; i < (await rows.count()); i += 1)
      out.push((await rows.nth(i).getAttribute('data-event')) ?? '');
    return out;
  }

  /** Waits until a locator matches exactly `n` elements. */
  async function countIs(locator: ReturnType<Page['locator']>, n: number): Promise<void> {
    for (let tries = 0; tries < 80 && (await locator.count()) !== n; tries += 1)
      await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await locator.count()).toBe(n);
  }

  /** What Chart.js holds for the chart in a figure: its labels and each dataset's numbers. */
  const chartData = (page: Page, figure: string) =>
    page.locator(`[data-testid=${figure}] canvas`).evaluate((canvas) => {
      const Chart = (
        globalThis as unknown as {
          Chart: {
            getChart(c: unknown): {
              data: { labels: string[]; datasets: Array<{ label: string; data: number[] }> };
            };
          };
        }
      ).Chart;
      const chart = Chart.getChart(canvas);
      return {
        labels: chart.data.labels,
        datasets: chart.data.datasets.map((d) => ({ label: d.label, data: d.data })),
      };
    });

  it('shows on the overview the parts per RHF as stacked bars and the overdue line, with the API’s numbers', async () => {
    const page = await signInAs(/Kari Koordinator/);
    const { charts } = await api<{ charts: Charts }>(CHARTS, { rhf: null });
    await page.locator('[data-testid=chart-parts-table] tbody tr').first().waitFor();
    expect(await cells(page, 'chart-parts-table')).toEqual(
      charts.parts.map((p) => [
        p.organisation.shortName,
        String(p.open),
        String(p.reported),
        String(p.overdue),
        String(p.open + p.reported + p.overdue),
      ]),
    );
    const bars = await chartData(page, 'chart-parts');
    expect(bars.labels).toEqual(charts.parts.map((p) => p.organisation.shortName));
    expect(bars.datasets).toEqual([
      { label: 'Åpne', data: charts.parts.map((p) => p.open) },
      { label: 'Rapportert', data: charts.parts.map((p) => p.reported) },
      { label: 'Forfalt', data: charts.parts.map((p) => p.overdue) },
    ]);
    const total = (d: typeof bars) => d.datasets.flatMap((s) => s.data).reduce((a, b) => a + b, 0);
    expect(total(bars)).toBe(charts.parts.reduce((sum, p) => sum + p.open + p.reported + p.overdue, 0));
    const line = await chartData(page, 'chart-months');
    expect(line.datasets[0]!.data).toEqual(charts.overdueByMonth.map((m) => m.count));
    expect((await cells(page, 'chart-months-table')).map((row) => Number(row[1]))).toEqual(
      charts.overdueByMonth.map((m) => m.count),
    );
    // The text alternatives say the numbers too.
    const label = await page.locator('[data-testid=chart-parts] canvas').getAttribute('aria-label');
    const first = charts.parts[0]!;
    expect(label).toContain(
      `${first.organisation.shortName}: ${first.open} åpne, ${first.reported} rapportert, ${first.overdue} forfalt`,
    );
    await expect(page.locator('[data-testid=chart-months] canvas').getAttribute('role')).resolves.toBe('img');
    // The chart library came from this server, and nothing from anywhere else.
    const scripts = await page.evaluate(() => performance.getEntriesByType('resource').map((e) => e.name));
    expect(scripts).toContain(`${server.url}/vendor/chart.umd.min.js`);
    expect(scripts.filter((s) => !s.startsWith(`${server.url}/`))).toEqual([]);
    // At 1366 px the Per RHF table fits its panel: its last column is seen without scrolling sideways.
    const workload = page.getByTestId('workload');
    await workload.waitFor();
    type Box = { parentElement: { scrollWidth: number; clientWidth: number } | null };
    const fits = await workload.evaluate(
      (table: Box) =>
        !!table.parentElement && table.parentElement.scrollWidth <= table.parentElement.clientWidth,
    );
    expect(fits).toBe(true);
    await page.locator('#charts').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SCREENSHOTS, 'overview-charts.png'), fullPage: true });
    await page.close();
  });

  it("shows on an RHF's page its own numbers", async () => {
    const page = await signInAs(/Vegard i Helse Vest/, '#/mitt-rhf');
    const vest = await server.token('rhf', 'helse-vest');
    const { charts } = await api<{ charts: Charts }>(CHARTS, { rhf: 'helse-vest' }, vest);
    await page.locator('[data-testid=chart-parts-table] tbody tr').first().waitFor();
    const rows = await cells(page, 'chart-parts-table');
    expect(rows).toEqual([
      [
        'Helse Vest',
        ...[charts.parts[0]!.open, charts.parts[0]!.reported, charts.parts[0]!.overdue].map(String),
        String(charts.parts[0]!.open + charts.parts[0]!.reported + charts.parts[0]!.overdue),
      ],
    ]);
    const line = await chartData(page, 'chart-months');
    expect(line.datasets[0]!.data).toEqual(charts.overdueByMonth.map((m) => m.count));
    await expect(page.locator('#charts h2').textContent()).resolves.toContain('Helse Vest');
    await page.close();
  });

  it('lets an RHF user subscribe to a calendar feed and revoke it', async () => {
    const page = await signInAs(/Vegard i Helse Vest/, '#/mitt-rhf');
    const panel = page.locator('#calendar-feeds');
    await expect(panel.getByRole('heading', { level: 2 }).textContent()).resolves.toBe('Abonner i kalender');
    await panel.getByRole('button', { name: 'Lag kalenderlenke' }).click();
    const url = await panel.getByTestId('feed-url').inputValue();
    expect(url).toMatch(new RegExp(`^${server.url}/kalender/[0-9a-f.]+\\.ics$`));
    const feed = await fetch(url);
    expect(feed.status).toBe(200);
    expect(await feed.text()).toContain('BEGIN:VCALENDAR');
    await panel.locator('[data-testid=feed-list] li button', { hasText: 'Trekk tilbake' }).first().click();
    await panel
      .locator('[data-testid=feed-list] li .badge', { hasText: 'trukket tilbake' })
      .first()
      .waitFor();
    expect((await fetch(url)).status).toBe(404);
    await page.close();
  });

  it('shows auditors the audit trail with filters and paging, and downloads the same selection', async () => {
    const page = await signInAs(/Rita Revisor/, '#/revisjon');
    const auditor = await server.token('auditor');
    await page.getByRole('heading', { level: 1, name: 'Revisjonsspor' }).waitFor();
    const rows = page.locator('[data-testid=audit-table] tbody tr');
    await rows.first().waitFor();
    const all = await api<{ auditTrail: { entries: Array<{ eventId: string }>; hasNextPage: boolean } }>(
      '{ auditTrail(first: 25) { hasNextPage entries { eventId } } }',
      {},
      auditor,
    );
    expect(await eventIds(page)).toEqual(all.auditTrail.entries.map((e) => e.eventId));
    expect(all.auditTrail.hasNextPage).toBe(true);
    await page.getByRole('button', { name: 'Vis flere' }).click();
    await rows.nth(25).waitFor();

    // Filter to one event type and one period: the rows are the API's for that filter.
    const form = page.getByRole('search', { name: 'Filtrer revisjonssporet' });
    await form.getByLabel('Hendelse').selectOption('OppdragReported');
    await form.getByLabel('Fra og med dato').fill('2024-01-01');
    await form.getByLabel('Til og med dato').fill('2024-04-30');
    await form.getByRole('button', { name: 'Vis', exact: true }).click();
    const filtered = await api<{ auditTrail: { entries: Array<{ eventId: string; type: string }> } }>(
      '{ auditTrail(first: 100, filter: { types: ["OppdragReported"], from: "2024-01-01T00:00:00+01:00", to: "2024-04-30T23:59:59.999+02:00" }) { entries { eventId type } } }',
      {},
      auditor,
    );
    expect(filtered.auditTrail.entries.length).toBeGreaterThan(0);
    await countIs(
      page.locator('[data-testid=audit-table] tbody tr[data-type=OppdragReported]'),
      filtered.auditTrail.entries.length,
    );
    await countIs(rows, filtered.auditTrail.entries.length);
    expect(await eventIds(page)).toEqual(filtered.auditTrail.entries.map((e) => e.eventId));

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Last ned CSV' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('revisjonsspor.csv');
    const csv = readFileSync(await download.path(), 'utf8')
      .replace(/^\uFEFF/, '')
      .trimEnd()
      .split('\r\n');
    expect(csv).toHaveLength(filtered.auditTrail.entries.length + 1);
    expect(csv.slice(1).every((line) => line.split(';')[4] === 'OppdragReported')).toBe(true);
    const [jsonl] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Last ned JSONL' }).click(),
    ]);
    const lines = readFileSync(await jsonl.path(), 'utf8')
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as { eventId: string });
    expect(lines.map((l) => l.eventId)).toEqual(filtered.auditTrail.entries.map((e) => e.eventId));
    await page.close();
  });

  it('keeps the audit view from RHF users, and the link out of their menu', async () => {
    const page = await signInAs(/Nils i Helse Nord/);
    await expect(page.locator('a[data-route=revisjon]').isVisible()).resolves.toBe(false);
    await page.goto(`${server.url}/#/revisjon`);
    await page.getByText('Revisjonssporet er for revisorer og koordinatorer.').waitFor();
    await page.close();
  });
});
