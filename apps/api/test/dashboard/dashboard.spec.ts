import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { mintToken } from '../../src/auth/tokens.js';
import { browserSuite, startDashboard, type DashboardRig } from '../support/browser.js';
import { mark, writtenSince } from '../support/clients.js';
import type { TestServer } from '../support/harness.js';

/**
 * The dashboard in a real browser (Debian's Chromium driven by playwright-core) against the real API
 * with demo data, on a manual clock set to 1 May 2024. The server runs in development mode so that the
 * demo users' sign-in list is offered; its tokens are signed with the test secret.
 */

const suite = browserSuite('dashboard');

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const SCREENSHOTS = join(ROOT, 'test-output', 'screenshots');
const TODAY = '2024-05-01';
/** What the dashboard's list shows unless asked for closed oppdrag too. */
const NOT_CLOSED = ['ASSIGNED', 'STARTED', 'REPORTED'];

interface Count {
  totalCount: number;
}

/** axe-core's browser bundle, from node_modules: evaluated in the page, so the page's CSP does not block it. */
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
/** WCAG 2.1 A and AA, the level Norwegian public-sector web solutions must meet (universell utforming). */
const WCAG_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/**
 * Runs axe-core on the page as it is now and expects no WCAG 2.1 AA violation. `state` names what is
 * shown, so that a failure says where.
 */
async function expectAccessible(page: Page, state: string): Promise<void> {
  if ((await page.evaluate('typeof window.axe')) !== 'object') await page.evaluate(AXE);
  const violations = await page.evaluate(
    `axe.run(document, { runOnly: { type: 'tag', values: ${JSON.stringify(WCAG_AA)} } }).then((r) =>
       r.violations.map((v) => ({ rule: v.id, impact: v.impact, where: v.nodes.map((n) => n.target.join(' ')) })))`,
  );
  expect({ state, violations }).toEqual({ state, violations: [] });
}

/** Waits until an element's whole text is exactly `text` (the page updates it asynchronously). */
function readsExactly(locator: Locator, text: string | number): Promise<void> {
  const escaped = String(text).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return locator.filter({ hasText: new RegExp(`^${escaped}$`) }).waitFor();
}

/**
 * Presses Tab until `target` has the focus, as a keyboard user would; fails after `limit` presses.
 */
async function tabTo(page: Page, target: Locator, limit = 80): Promise<void> {
  const focused = () =>
    target
      .first()
      .evaluate((el: { ownerDocument: { activeElement: unknown } }) => el === el.ownerDocument.activeElement)
      .catch(() => false);
  for (let i = 0; i < limit; i += 1) {
    if (await focused()) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`${limit} presses of Tab did not reach ${String(target)}`);
}

suite('the dashboard in a browser', () => {
  let server: TestServer;
  let context: BrowserContext;
  let rig: DashboardRig;
  let coordinatorToken: string;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    rig = await startDashboard(`${TODAY}T10:00:00.000Z`);
    ({ server, context } = rig);
    coordinatorToken = await server.token('coordinator', 'hod');
    mkdirSync(SCREENSHOTS, { recursive: true });
  }, 30000);

  afterAll(() => rig?.close());

  afterEach(() => {
    // A script error in the page is a failure even when the assertions happened to pass.
    expect(pageErrors).toEqual([]);
  });

  /** A new tab (its own sessionStorage, so its own sign-in). */
  async function newPage(): Promise<Page> {
    const page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(`${server.url}/`);
    return page;
  }

  async function signInAs(userName: RegExp): Promise<Page> {
    const page = await newPage();
    await page.getByRole('button', { name: userName }).click();
    await page.getByTestId('whoami').waitFor();
    return page;
  }

  async function api<T>(query: string, variables?: Record<string, unknown>, token = coordinatorToken) {
    const { body } = await server.gql<T>(token, query, variables);
    expect(body.errors).toBeUndefined();
    return body.data as T;
  }

  async function listCount(filter: Record<string, unknown>): Promise<number> {
    const data = await api<{ oppdragList: Count }>(
      'query($f: OppdragFilterInput) { oppdragList(filter: $f, first: 1) { totalCount } }',
      { f: filter },
    );
    return data.oppdragList.totalCount;
  }

  /** Opens one action's disclosure on an oppdrag page and returns its form. */
  const openAction = async (page: Page, action: string) => {
    const details = page.locator(`[data-testid=actions] details[data-action=${action}]`);
    // A lone action is shown open already.
    if ((await details.getAttribute('open')) === null) await details.locator('> summary').click();
    return page.locator(`[data-testid=actions] form[data-action=${action}]`);
  };

  const openOppdrag = async (page: Page, id: string) => {
    await page.goto(`${server.url}/#/oppdrag/${id}`);
    await page.getByTestId('timeline').waitFor();
  };

  it('signs in from the demo list or with a pasted token, and refuses a bad token in Norwegian', async () => {
    const page = await newPage();
    await expect(page.getByRole('heading', { level: 1, name: 'Logg inn' }).isVisible()).resolves.toBe(true);
    await expect(page.locator('.demo-users button').count()).resolves.toBe(6);
    await expectAccessible(page, 'sign-in');

    await page.getByLabel('Token (JWT)').fill('this.is.not-a-token');
    await page.getByRole('button', { name: 'Logg inn', exact: true }).click();
    const refusal = page.getByTestId('signin-error');
    await refusal.getByText('Innloggingen ble ikke godtatt.').waitFor();
    await expectAccessible(page, 'sign-in refused');
    await expect(refusal.textContent()).resolves.toContain('Du er ikke logget inn');
    await expect(refusal.locator('[data-code]').getAttribute('data-code')).resolves.toBe('UNAUTHENTICATED');

    await page.getByLabel('Token (JWT)').fill(await server.token('auditor', 'riksrevisjonen'));
    await page.getByRole('button', { name: 'Logg inn', exact: true }).click();
    await expect(page.getByTestId('whoami').textContent()).resolves.toContain('Rita Revisor (revisor');
    // The token stays for this tab only: a reload keeps the sign-in.
    await page.reload();
    await page.getByTestId('whoami').waitFor();
    await page.close();
  });

  it('shows a coordinator the overview with counts that match the API, and filters to what is overdue today', async () => {
    const page = await signInAs(/Kari Koordinator/);
    const expected = await api<{
      overdue: Count;
      soon: Count;
      all: Count;
      withClosed: Count;
      overdueMilestones: { milestonesTotalCount: number };
      workload: Array<{
        organisation: { id: string };
        parts: number;
        leads: number;
        collaboratesOn: number;
        open: number;
        overdue: number;
        reportedLate: number;
      }>;
    }>(
      `{ overdue(first: 1) { totalCount } soon: oppdragList(filter: { dueWithinDays: 30 }, first: 1) { totalCount }
         all: oppdragList(filter: { status: [ASSIGNED, STARTED, REPORTED] }, first: 1) { totalCount }
         withClosed: oppdragList(first: 1) { totalCount }
         overdueMilestones: overdue { milestonesTotalCount }
         workload { organisation { id } parts leads collaboratesOn open overdue reportedLate } }`,
    );
    await readsExactly(page.getByTestId('overdue-total'), expected.overdue.totalCount);
    await readsExactly(page.getByTestId('soon-total'), expected.soon.totalCount);
    // Closed oppdrag are left out unless asked for.
    await readsExactly(page.getByTestId('list-total'), expected.all.totalCount);
    expect(expected.withClosed.totalCount).toBeGreaterThan(expected.all.totalCount);
    await readsExactly(
      page.getByTestId('overdue-milestones-total'),
      expected.overdueMilestones.milestonesTotalCount,
    );
    expect(expected.overdue.totalCount).toBeGreaterThan(0);
    expect(expected.overdueMilestones.milestonesTotalCount).toBeGreaterThan(0);
    for (const row of expected.workload) {
      const cells = await page
        .locator(`[data-testid=workload] tr[data-org="${row.organisation.id}"] td`)
        .allTextContents();
      expect(cells.map(Number)).toEqual([
        row.parts,
        row.leads,
        row.collaboratesOn,
        row.open,
        row.overdue,
        row.reportedLate,
      ]);
    }
    await page.screenshot({ path: join(SCREENSHOTS, 'overview-coordinator.png') });
    await expectAccessible(page, 'overview of a coordinator');

    // Filter the list to what is overdue today: the same oppdrag, and as many, as the API says.
    const filters = page.getByRole('search', { name: 'Filtrer oppdrag' });
    await filters.getByLabel('Frist').selectOption({ label: 'Forfalt i dag' });
    const overdueNow = await listCount({ overdueOn: TODAY });
    await readsExactly(page.getByTestId('list-total'), overdueNow);
    const rows = page.locator('[data-testid=oppdrag-table] tbody tr');
    const shown: string[] = [];
    for (let i = 0; i < (await rows.count()); i += 1)
      shown.push((await rows.nth(i).getAttribute('data-id')) ?? '');
    const overdueIds = await api<{ oppdragList: { nodes: Array<{ id: string }> } }>(
      `{ oppdragList(filter: { overdueOn: "${TODAY}" }, first: 100) { nodes { id } } }`,
    );
    expect(shown.sort()).toEqual(overdueIds.oppdragList.nodes.map((n) => n.id).sort());
    await expect(page.getByTestId('list-status').textContent()).resolves.toContain(
      `av ${overdueNow} oppdrag`,
    );

    // Combined with a lead and with free text, the counts still match the API's totalCount.
    await filters.getByLabel('Ledende RHF').selectOption({ label: 'Helse Vest' });
    const vestOverdue = await listCount({ overdueOn: TODAY, lead: 'helse-vest' });
    await readsExactly(page.getByTestId('list-total'), vestOverdue);
    await filters.getByRole('button', { name: 'Nullstill' }).click();
    await filters.getByLabel('Fritekst').fill('legemidler');
    const textCount = await listCount({ text: 'legemidler', status: NOT_CLOSED });
    await readsExactly(page.getByTestId('list-total'), textCount);
    await filters.getByLabel('Status').selectOption({ label: 'Tildelt' });
    const assignedText = await listCount({ text: 'legemidler', status: ['ASSIGNED'] });
    await readsExactly(page.getByTestId('list-total'), assignedText);
    await filters.getByRole('button', { name: 'Nullstill' }).click();
    await page.close();
  });

  it('"Vis flere" shows the next page once, and is gone when there is none', async () => {
    const page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    // Pages of 4 rows instead of 25, so that the demo data makes several pages.
    await page.route('**/graphql', async (route) => {
      const body = JSON.parse(route.request().postData() ?? '{}') as { variables?: { first?: number } };
      if (body.variables?.first === 25) {
        body.variables.first = 4;
        await route.continue({ postData: JSON.stringify(body) });
      } else await route.continue();
    });
    await page.goto(`${server.url}/`);
    await page.getByRole('button', { name: /Kari Koordinator/ }).click();
    await page.getByTestId('whoami').waitFor();
    const list = page.locator('#oppdrag-list');
    const total = Number(await list.getByTestId('list-total').filter({ hasText: /^\d+$/ }).textContent());
    expect(total).toBeGreaterThan(8);
    const rows = list.locator('[data-testid=oppdrag-table] tbody tr');
    const more = list.getByRole('button', { name: 'Vis flere' });
    const shownIds = async () => {
      const ids: string[] = [];
      for (let i = 0; i < (await rows.count()); i += 1)
        ids.push((await rows.nth(i).getAttribute('data-id')) ?? '');
      return ids;
    };
    await readsExactly(
      list.getByTestId('list-status'),
      `Viser 4 av ${total} oppdrag, tidligste frist først.`,
    );

    // A double click asks for the next page once: no row is listed twice.
    await more.dblclick();
    await readsExactly(
      list.getByTestId('list-status'),
      `Viser 8 av ${total} oppdrag, tidligste frist først.`,
    );
    await expect(more.isEnabled()).resolves.toBe(true);
    let ids = await shownIds();
    expect(new Set(ids).size).toBe(8);

    // To the end: then the button is gone, and a click that reaches it anyway adds nothing.
    while ((await rows.count()) < total) {
      const before = await rows.count();
      await more.click();
      await list
        .getByTestId('list-status')
        .filter({ hasText: `Viser ${Math.min(before + 4, total)} av` })
        .waitFor();
    }
    // The button itself, also when it is hidden (getByRole no longer finds it then).
    const moreButton = list.locator('button', { hasText: 'Vis flere' });
    await expect(moreButton.isVisible()).resolves.toBe(false);
    await moreButton.dispatchEvent('click');
    await moreButton.dispatchEvent('click');
    await page.waitForTimeout(300);
    ids = await shownIds();
    expect(ids).toHaveLength(total);
    expect(new Set(ids).size).toBe(total);
    await readsExactly(
      list.getByTestId('list-status'),
      `Viser ${total} av ${total} oppdrag, tidligste frist først.`,
    );
    await page.close();
  });

  it('keeps the filters in the address, says in the heading whose oppdrag are listed, and "rapportert for sent"', async () => {
    const page = await signInAs(/Kari Koordinator/);
    await page.locator('[data-testid=workload] tr[data-org="helse-vest"] th button').click();
    const heading = page.getByTestId('list-heading');
    await heading.filter({ hasText: /^Åpne oppdrag som Helse Vest leder/ }).waitFor();
    const openVest = await listCount({ lead: 'helse-vest', status: ['ASSIGNED', 'STARTED'] });
    await readsExactly(page.getByTestId('list-total'), openVest);
    const params = () => new URLSearchParams(new URL(page.url()).hash.split('?')[1] ?? '');
    expect(Object.fromEntries(params())).toEqual({ status: 'open', lead: 'helse-vest' });

    // A reload (or a shared link) shows the same list.
    await page.reload();
    await heading.filter({ hasText: /^Åpne oppdrag som Helse Vest leder/ }).waitFor();
    await readsExactly(page.getByTestId('list-total'), openVest);
    const filters = page.getByRole('search', { name: 'Filtrer oppdrag' });
    await expect(filters.getByLabel('Ledende RHF').inputValue()).resolves.toBe('helse-vest');
    // The address may name the RHF rather than give its id.
    await page.goto(`${server.url}/#/?status=all&lead=Helse%20Nord`);
    await heading.filter({ hasText: /^Alle oppdrag som Helse Nord leder/ }).waitFor();
    await expect(filters.getByLabel('Ledende RHF').inputValue()).resolves.toBe('helse-nord');
    await readsExactly(page.getByTestId('list-total'), await listCount({ lead: 'helse-nord' }));

    // An oppdrag reported after its deadline says so in full.
    await filters.getByRole('button', { name: 'Nullstill' }).click();
    await filters.getByLabel('Status').selectOption({ label: 'Alle, også lukkede' });
    expect(Object.fromEntries(params())).toEqual({ status: 'all' });
    const late = await api<{ oppdragList: { nodes: Array<{ id: string; reportedLate: boolean }> } }>(
      '{ oppdragList(first: 100) { nodes { id reportedLate } } }',
    );
    const lateIds = late.oppdragList.nodes.filter((n) => n.reportedLate).map((n) => n.id);
    expect(lateIds.length).toBeGreaterThan(0);
    for (const id of lateIds) {
      const cell = page.locator(`[data-testid=oppdrag-table] tr[data-id="${id}"] .status-cell`);
      await expect(cell.locator('.badge--late').textContent()).resolves.toBe('rapportert for sent');
    }
    await filters.getByRole('button', { name: 'Nullstill' }).click();
    await page.close();
  });

  it('shows the third item of "Forfalt i dag" whole at 1366×768', async () => {
    const page = await signInAs(/Kari Koordinator/);
    const box = page.getByRole('region', { name: 'Forfalt i dag', exact: true });
    const items = box.locator('.mini-list > li');
    await items.nth(2).waitFor();
    const region = await box.boundingBox();
    const third = await items.nth(2).boundingBox();
    expect(page.viewportSize()).toEqual({ width: 1366, height: 768 });
    expect(region && third).toBeTruthy();
    expect(third!.y + third!.height).toBeLessThanOrEqual(region!.y + region!.height);
    await page.close();
  });

  it('shows an RHF user, under Mitt RHF, its parts, its overdue milestones and what it still owes, as the API counts them', async () => {
    const midt = await api<{
      myParts: {
        totalCount: number;
        items: Array<{
          involvement: string;
          oppdrag: { id: string };
          overdueMilestones: Array<{ id: string }>;
        }>;
      };
      stillOwes: {
        totalCount: number;
        annualReportDate: string;
        items: Array<{ what: string; oppdrag: { id: string }; milestone: { id: string } | null }>;
      };
    }>(
      `{ myParts(first: 100) { totalCount items { involvement oppdrag { id } overdueMilestones { id } } }
         stillOwes(year: 2024) { totalCount annualReportDate items { what oppdrag { id } milestone { id } } } }`,
      {},
      await server.token('rhf', 'helse-midt-norge'),
    );
    const overdueMilestones = midt.myParts.items.flatMap((i) =>
      i.overdueMilestones.map((m) => `${i.oppdrag.id}/${m.id}`),
    );
    // The demo gives Helse Midt-Norge an overdue milestone and something still owed.
    expect(overdueMilestones.length).toBeGreaterThan(0);
    expect(midt.stillOwes.totalCount).toBeGreaterThan(0);

    const page = await signInAs(/Mari i Helse Midt-Norge/);
    await page.getByRole('navigation', { name: 'Hovedmeny' }).getByRole('link', { name: 'Mitt RHF' }).click();
    await page.getByRole('heading', { level: 1, name: 'Mitt RHF: Helse Midt-Norge RHF' }).waitFor();
    await readsExactly(page.getByTestId('my-parts-total'), midt.myParts.totalCount);
    await readsExactly(page.getByTestId('still-owes-total'), midt.stillOwes.totalCount);
    await readsExactly(page.getByTestId('my-overdue-milestones-total'), overdueMilestones.length);

    // Each part is in the group of how the RHF has it: leads, addressed to it, collaborates.
    for (const group of ['LEAD', 'ADDRESSEE', 'COLLABORATOR']) {
      const rows = page.locator(`[data-testid=parts-${group.toLowerCase()}] tbody tr`);
      const shown: string[] = [];
      for (let i = 0; i < (await rows.count()); i += 1)
        shown.push((await rows.nth(i).getAttribute('data-id')) ?? '');
      const expected = midt.myParts.items.filter((i) => i.involvement === group).map((i) => i.oppdrag.id);
      expect(shown.sort()).toEqual(expected.sort());
    }
    // The no-lead demo oppdrag is addressed to all four RHFs: it is Helse Midt-Norge's part too.
    await expect(
      page.locator('[data-testid=parts-addressee] tr[data-id="2024-demo-05"]').textContent(),
    ).resolves.toContain('Rettet til alle RHF-ene');

    const overdueShown = page.locator('[data-testid=my-overdue-milestones] li');
    const shownMilestones: string[] = [];
    for (let i = 0; i < (await overdueShown.count()); i += 1) {
      const li = overdueShown.nth(i);
      shownMilestones.push(`${await li.getAttribute('data-id')}/${await li.getAttribute('data-milestone')}`);
      await expect(li.locator('.badge--overdue').textContent()).resolves.toContain('på overtid');
    }
    expect(shownMilestones.sort()).toEqual(overdueMilestones.sort());

    const owedRows = page.locator('[data-testid=still-owes] tbody tr');
    const owed: string[] = [];
    for (let i = 0; i < (await owedRows.count()); i += 1) {
      const row = owedRows.nth(i);
      owed.push(
        `${await row.getAttribute('data-what')}:${await row.getAttribute('data-id')}:${(await row.getAttribute('data-milestone')) ?? ''}`,
      );
    }
    expect(owed.sort()).toEqual(
      midt.stillOwes.items.map((i) => `${i.what}:${i.oppdrag.id}:${i.milestone?.id ?? ''}`).sort(),
    );
    await expect(page.getByTestId('still-owes-intro').textContent()).resolves.toContain('15. mars 2025');
    await page.screenshot({ path: join(SCREENSHOTS, 'mitt-rhf.png'), fullPage: true });
    await expectAccessible(page, 'Mitt RHF');
    await page.close();

    // A coordinator has no RHF of its own: no "Mitt RHF" in the menu.
    const coordinator = await signInAs(/Kari Koordinator/);
    await expect(coordinator.getByRole('link', { name: 'Mitt RHF' }).isVisible()).resolves.toBe(false);
    await coordinator.close();
  });

  it('lets the lead RHF record a milestone on its own oppdrag, and the history shows who, what and when', async () => {
    const page = await signInAs(/Mari i Helse Midt-Norge/);
    // Its own open oppdrag are listed on the overview; open one from there.
    await page
      .locator('#mine')
      .getByRole('link', { name: /digital hjemmeoppfølging/ })
      .click();
    await page.getByTestId('timeline').waitFor();
    const actions = page.getByTestId('actions');
    const offered = actions.locator('form[data-action]');
    await expect(offered.count()).resolves.toBe(2);
    await expect(offered.nth(0).getAttribute('data-action')).resolves.toBe('recordMilestone');
    await expect(offered.nth(1).getAttribute('data-action')).resolves.toBe('report');
    // Its own part is the lead's, and owes the joint delivery.
    const ownPart = page.locator('[data-testid=parts] tr[data-part="helse-midt-norge"]');
    await expect(ownPart.textContent()).resolves.toContain('ledende');
    await expect(ownPart.textContent()).resolves.toContain('Felles leveranse');
    await expect(ownPart.textContent()).resolves.toContain('Ditt RHF');

    await expectAccessible(page, 'an oppdrag page of its lead RHF');
    const form = await openAction(page, 'recordMilestone');
    await expectAccessible(page, 'the milestone form open');
    await form.getByLabel(/Dokumentreferanse/).fill('Statusrapport HMN 2024-04.pdf');
    await form.getByLabel(/Merknad/).fill('Levert til HOD på e-post');
    await form.getByRole('button', { name: 'Registrer delleveranse' }).click();

    await page.getByTestId('action-messages').getByText('Delleveransen er registrert.').waitFor();
    const row = page.locator('[data-testid=milestones] tr[data-milestone="statusrapport-1"]');
    // The message comes first; the oppdrag is then read again and redrawn, so wait for the new row.
    await row.filter({ hasText: 'Statusrapport HMN 2024-04.pdf' }).waitFor();
    await page
      .locator('[data-testid=timeline] > li')
      .first()
      .and(page.locator('[data-type="MilestoneReported"]'))
      .waitFor();
    await expect(row.textContent()).resolves.toContain('Statusrapport HMN 2024-04.pdf');
    await expect(row.textContent()).resolves.toContain('1. mai 2024');
    const latest = page.locator('[data-testid=timeline] > li').first();
    await expect(latest.getAttribute('data-type')).resolves.toBe('MilestoneReported');
    await expect(latest.textContent()).resolves.toContain('Mari i Helse Midt-Norge');
    await expect(latest.textContent()).resolves.toContain('Statusrapport HMN 2024-04.pdf');
    // The history names the milestone by its title, not its id, and shows the note.
    const titled = await api<{ oppdrag: { milestones: Array<{ id: string; title: string }> } }>(
      '{ oppdrag(id: "2024-demo-02") { milestones { id title } } }',
    );
    const milestoneTitle = titled.oppdrag.milestones.find((m) => m.id === 'statusrapport-1')?.title;
    expect(milestoneTitle).toBeTruthy();
    await expect(latest.textContent()).resolves.toContain(`«${milestoneTitle}»`);
    await expect(latest.locator('p.why').first().textContent()).resolves.not.toContain('statusrapport-1');
    await expect(latest.textContent()).resolves.toContain('Merknad: Levert til HOD på e-post');
    // The milestone form is gone (nothing left to record); report remains.
    await expect(actions.locator('form[data-action]').count()).resolves.toBe(1);
    await page.screenshot({ path: join(SCREENSHOTS, 'oppdrag-lead-rhf.png'), fullPage: true });

    const stored = await api<{ oppdrag: { milestones: Array<{ reportedOn: string | null }> } }>(
      '{ oppdrag(id: "2024-demo-02") { milestones { reportedOn } } }',
    );
    expect(stored.oppdrag.milestones[0]?.reportedOn).toBe(TODAY);
    await page.close();
  });

  it("shows no controls on another RHF's oppdrag, and none to an auditor, who can see it as of any instant", async () => {
    const nord = await signInAs(/Nils i Helse Nord/);
    await openOppdrag(nord, '2024-demo-02');
    await expect(nord.getByTestId('actions-note').textContent()).resolves.toContain(
      'Bare Helse Midt-Norge RHF kan registrere fremdrift',
    );
    await expect(nord.locator('[data-testid=actions] form').count()).resolves.toBe(0);
    await expect(nord.getByRole('link', { name: 'Importer brev' }).isVisible()).resolves.toBe(false);
    // Its own oppdrag do offer the controls.
    await openOppdrag(nord, '2024-demo-08');
    await expect(
      nord.locator('[data-testid=actions] form[data-action=recordMilestone]').count(),
    ).resolves.toBe(1);
    await nord.close();

    const auditor = await signInAs(/Rita Revisor/);
    await openOppdrag(auditor, '2024-demo-02');
    await expect(auditor.getByTestId('actions-note').textContent()).resolves.toContain('revisor');
    await expect(auditor.locator('[data-testid=actions] form').count()).resolves.toBe(0);
    // The full history with metadata, and the oppdrag as it stood after its first event.
    const first = auditor.locator('[data-testid=timeline] > li[data-type=OppdragAssigned]');
    await first.getByText('Metadata').click();
    await expect(first.textContent()).resolves.toContain('Korrelasjons-id');
    await first.getByRole('button', { name: /slik det var etter denne hendelsen/ }).click();
    await auditor.getByTestId('asof-status').waitFor();
    await expect(auditor.getByTestId('asof-status').textContent()).resolves.toBe('Tildelt');
    // Typed in as Oslo time: one minute before the seed's first event, the oppdrag did not exist.
    const seeded = await api<{ history: { entries: Array<{ recordedAt: string }> } }>(
      '{ history(id: "2024-demo-02", first: 1) { entries { recordedAt } } }',
    );
    const before = new Date(Date.parse(seeded.history.entries[0]!.recordedAt) - 60_000);
    const oslo = new Intl.DateTimeFormat('sv-SE', {
      timeZone: 'Europe/Oslo',
      dateStyle: 'short',
      timeStyle: 'medium',
    })
      .format(before)
      .replace(' ', 'T');
    await auditor.getByLabel('Tidspunkt (norsk tid)').fill(oslo);
    await auditor.getByRole('button', { name: 'Vis slik det var' }).click();
    await auditor.getByTestId('asof-result').getByText('Oppdraget fantes ikke ennå').waitFor();
    await expectAccessible(auditor, 'an oppdrag page of an auditor, as of an instant');
    await auditor.screenshot({ path: join(SCREENSHOTS, 'oppdrag-auditor.png'), fullPage: true });
    await auditor.close();
  });

  it('refuses, in plain Norwegian, a report from an RHF that was taken off the oppdrag while the form was open', async () => {
    const vest = await signInAs(/Vegard i Helse Vest/);
    await openOppdrag(vest, '2024-demo-06');
    const form = await openAction(vest, 'report');
    await expect(form.textContent()).resolves.toContain('Gjelder delen til Helse Vest RHF.');
    await form.getByLabel(/Dokumentreferanse/).fill('Rapport innkjøp.pdf');

    const revision = await api<{ oppdrag: { revision: number } }>(
      '{ oppdrag(id: "2024-demo-06") { revision } }',
    );
    // Helse Nord takes over the lead; Helse Vest, no longer leading, still has its own part ...
    const reassigned = await api<{ reassignLead: { revision: number } }>(
      'mutation($i: ReassignLeadInput!) { reassignLead(input: $i) { revision } }',
      {
        i: {
          oppdragId: '2024-demo-06',
          lead: 'helse-nord',
          reason: 'Helse Nord tar over innkjøpsarbeidet',
          expectedRevision: revision.oppdrag.revision,
        },
      },
    );
    // ... until the coordinator no longer addresses the oppdrag to it.
    await api('mutation($i: AddresseeInput!) { removeAddressee(input: $i) { revision } }', {
      i: {
        oppdragId: '2024-demo-06',
        addressee: 'helse-vest',
        reason: 'Innkjøpet gjøres av Helse Nord alene',
        expectedRevision: reassigned.reassignLead.revision,
      },
    });
    // The changes arrive live; the half-filled form is kept.
    await vest.getByTestId('notice').getByText('fjernet fra oppdraget').waitFor();
    await expect(vest.getByTestId('notice').textContent()).resolves.toContain(
      'Oppdraget ble endret akkurat nå',
    );
    await expect(form.getByLabel(/Dokumentreferanse/).inputValue()).resolves.toBe('Rapport innkjøp.pdf');

    const before = await mark(server);
    await form.getByRole('button', { name: 'Rapporter vår del' }).click();
    const messages = vest.getByTestId('action-messages');
    await messages.getByText('Rapporter vår del ble ikke lagret.').waitFor();
    await expect(messages.textContent()).resolves.toContain('Du har ikke lov til å gjøre dette.');
    await expect(messages.locator('.api-message').textContent()).resolves.toContain(
      'an RHF acts only on its own part of an oppdrag addressed to it',
    );
    await expect(messages.locator('[data-code]').getAttribute('data-code')).resolves.toBe('FORBIDDEN');
    await expectAccessible(vest, 'a refusal shown');
    await expect(writtenSince(server, before)).resolves.toEqual([]);
    // Then the page shows the oppdrag as it is now: led by and addressed to Helse Nord alone, no
    // controls for Helse Vest.
    await vest.getByTestId('actions-note').getByText('Bare Helse Nord RHF').waitFor();
    await expect(vest.locator('[data-testid=actions] form').count()).resolves.toBe(0);
    await expect(vest.getByTestId('lead').textContent()).resolves.toBe('Helse Nord RHF');
    await expect(vest.getByTestId('addressees').textContent()).resolves.toBe('Helse Nord RHF');
    await expect(vest.locator('[data-testid=parts] tbody tr').count()).resolves.toBe(1);
    await expect(
      vest.locator('[data-testid=parts] tr[data-part="helse-nord"]').getAttribute('data-status'),
    ).resolves.toBe('ASSIGNED');
    await vest.close();
  });

  it('lets a coordinator change a deadline with a reason, and asks for the reason first', async () => {
    const page = await signInAs(/Kari Koordinator/);
    await openOppdrag(page, '2024-demo-08');
    const form = await openAction(page, 'changeDeadline');
    await form.getByLabel('Ny frist').fill('2024-09-30');
    await form.getByRole('button', { name: 'Endre frist' }).click();
    await page
      .getByTestId('action-messages')
      .getByText(/Fyll ut begrunnelse/)
      .waitFor();
    await expect(page.locator('*:focus').getAttribute('name')).resolves.toBe('reason');

    await form.getByLabel(/Begrunnelse/).fill('Avtalt i oppfølgingsmøtet i april');
    await form.getByRole('button', { name: 'Endre frist' }).click();
    await page.getByTestId('action-messages').getByText('Fristen er endret.').waitFor();
    await page.getByTestId('deadline').filter({ hasText: '30. september 2024' }).waitFor();
    await page
      .locator('[data-testid=timeline] > li')
      .first()
      .and(page.locator('[data-type="DeadlineChanged"]'))
      .waitFor();
    await expect(page.getByTestId('deadline').textContent()).resolves.toContain('30. september 2024');
    const latest = page.locator('[data-testid=timeline] > li').first();
    await expect(latest.getAttribute('data-type')).resolves.toBe('DeadlineChanged');
    const said = await latest.textContent();
    expect(said).toContain('Kari Koordinator');
    expect(said).toContain('Begrunnelse: Avtalt i oppfølgingsmøtet i april');
    expect(said).toContain('til 30. september 2024');
    await page.close();
  });

  it('says in Norwegian, at the field, that a reason is missing, and marks it as required before', async () => {
    const page = await signInAs(/Kari Koordinator/);
    await openOppdrag(page, '2024-demo-09');
    const close = await openAction(page, 'close');
    // Marked before anything is sent: withdrawing needs a reason.
    const reason = close.locator('textarea[name=reason]');
    const reasonId = await reason.getAttribute('id');
    await expect(close.locator(`label[for="${reasonId}"]`).textContent()).resolves.toContain('påkrevd');
    await close.getByLabel('Utfall').selectOption({ label: 'Trukket tilbake' });
    const before = await mark(server);
    await close.getByRole('button', { name: 'Lukk oppdraget' }).click();

    // The API refuses; the dashboard says so in Norwegian, next to the reason, which takes focus.
    const atField = close.getByTestId('field-error');
    await readsExactly(atField, 'Begrunnelse må fylles ut.');
    await expect(reason.getAttribute('aria-invalid')).resolves.toBe('true');
    await expect(reason.getAttribute('aria-describedby')).resolves.toContain(
      (await atField.getAttribute('id')) ?? 'no id',
    );
    await expect(page.locator('*:focus').getAttribute('name')).resolves.toBe('reason');
    const messages = page.getByTestId('action-messages');
    await messages.getByText('Lukk oppdraget ble ikke lagret.').waitFor();
    await expectAccessible(page, 'a missing reason shown at its field');
    const shown = await page.locator('body').innerText();
    expect(shown).toContain('Begrunnelse må fylles ut.');
    expect(shown).not.toMatch(/is required|must not be blank|reason:|felt: reason/);
    await expect(writtenSince(server, before)).resolves.toEqual([]);
    await page.close();
  });

  it('says the session has expired, in Norwegian, when the API no longer accepts the token', async () => {
    const page = await signInAs(/Kari Koordinator/);
    // As after a restart with a new signing key: the token in the tab is no longer valid.
    const stale = await mintToken('another-secret-that-is-at-least-32-characters', {
      userId: 'kari',
      name: 'Kari Koordinator',
      role: 'coordinator',
      organisationId: 'hod',
    });
    await page.evaluate(`sessionStorage.setItem('oppdragsflyt.token', ${JSON.stringify(stale)})`);
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Logg inn' }).waitFor();
    await page.getByText('Økten din er utløpt. Logg inn på nytt.').waitFor();
    await expectAccessible(page, 'session expired');
    const shown = await page.locator('body').innerText();
    expect(shown).not.toMatch(/signature|verification|bearer|token is not valid/i);
    await page.close();
  });

  it('lets a coordinator assign a new oppdrag from the overview, then close it as superseded by another', async () => {
    const page = await signInAs(/Kari Koordinator/);
    await page.locator('#assign > summary').click();
    const form = page.locator('form[data-action=assign]');
    await expectAccessible(page, 'the assignment form open');
    await form.getByLabel('Oppdrags-id').fill('2024-hv-99');
    await form
      .getByLabel('Tittel (påkrevd)', { exact: true })
      .fill('Kartlegge bruken av velferdsteknologi i hjemmetjenesten.');
    await form.getByLabel('Ledende RHF').selectOption({ label: 'Helse Vest RHF' });
    await form.getByLabel('Samarbeidspartnere').fill('FHI, kommunene');
    await form.getByLabel(/^Frist/).fill('2024-11-01');
    await form.getByLabel('Kilde (brev)').fill('Tilleggsdokument 2024');
    await form.getByRole('button', { name: 'Tildel oppdraget' }).click();
    await page.locator('#assign').getByText('Oppdraget er tildelt').waitFor();
    // The list reloads and counts it.
    await page.locator('[data-testid=oppdrag-table] tr[data-id="2024-hv-99"]').waitFor();
    await readsExactly(page.getByTestId('list-total'), await listCount({ status: NOT_CLOSED }));

    await page
      .locator('#assign')
      .getByRole('link', { name: /velferdsteknologi/ })
      .click();
    await page.getByTestId('timeline').waitFor();
    await expect(page.getByTestId('lead').textContent()).resolves.toBe('Helse Vest RHF');
    await expect(page.getByTestId('deadline').textContent()).resolves.toContain('1. november 2024');
    const close = await openAction(page, 'close');
    // Not reported yet: only withdrawn or superseded are offered.
    await expect(close.locator('select[name=outcome] option').allTextContents()).resolves.toEqual([
      'Trukket tilbake',
      'Erstattet av et annet oppdrag',
    ]);
    await close.getByLabel('Utfall').selectOption({ label: 'Erstattet av et annet oppdrag' });
    await close.getByLabel(/Erstattet av/).fill('2024-demo-06');
    await close.getByLabel('Begrunnelse').fill('Dekkes av oppdrag 2024-demo-06');
    await close.getByRole('button', { name: 'Lukk oppdraget' }).click();
    await page.getByTestId('action-messages').getByText('Oppdraget er lukket.').waitFor();
    await page.getByTestId('status').filter({ hasText: 'Lukket' }).waitFor();
    await expect(page.getByTestId('status').textContent()).resolves.toBe('Lukket');
    await expect(page.getByTestId('closed').textContent()).resolves.toContain(
      'erstattet av et annet oppdrag',
    );
    // What superseded it is shown, as a link to it.
    await expect(page.getByTestId('superseded-by').getByRole('link').textContent()).resolves.toBe(
      '2024-demo-06',
    );
    await expect(page.getByTestId('superseded-by').getByRole('link').getAttribute('href')).resolves.toBe(
      '#/oppdrag/2024-demo-06',
    );
    // Closed: the API allows the coordinator one action only, a reopen with a reason.
    await expect(page.getByTestId('actions-note').textContent()).resolves.toContain('lukket');
    const remaining = page.locator('[data-testid=actions] form[data-action]');
    await expect(remaining.count()).resolves.toBe(1);
    await expect(remaining.getAttribute('data-action')).resolves.toBe('reopen');
    const allowed = await api<{ oppdrag: { allowedActions: string[] } }>(
      '{ oppdrag(id: "2024-hv-99") { allowedActions } }',
    );
    expect(allowed.oppdrag.allowedActions).toEqual(['reopen']);
    await page.close();
  });

  /** The status the oppdrag page shows, once it reads `text`. */
  const statusReads = (page: Page, text: string) =>
    page
      .getByTestId('status')
      .filter({ hasText: new RegExp(`^${text}$`) })
      .waitFor();

  /** The actions an oppdrag page offers, in order. */
  async function offeredActions(page: Page): Promise<string[]> {
    const forms = page.locator('[data-testid=actions] form[data-action]');
    const out: string[] = [];
    for (let i = 0; i < (await forms.count()); i += 1)
      out.push((await forms.nth(i).getAttribute('data-action')) ?? '');
    return out;
  }

  async function allowedFor(id: string, token: string): Promise<string[]> {
    const data = await api<{ oppdrag: { allowedActions: string[] } }>(
      'query($id: ID!) { oppdrag(id: $id) { allowedActions } }',
      { id },
      token,
    );
    return data.oppdrag.allowedActions;
  }

  async function reportOwnPart(page: Page, documentRef: string, summary: string, org: string) {
    const form = await openAction(page, 'report');
    await expect(form.textContent()).resolves.toContain(`Gjelder delen til ${org}.`);
    await form.getByLabel(/Dokumentreferanse/).fill(documentRef);
    await form.getByLabel(/Sammendrag/).fill(summary);
    await form.getByRole('button', { name: 'Rapporter vår del' }).click();
    await page.getByTestId('action-messages').getByText(`Delen til ${org} er rapportert.`).waitFor();
    // The report's summary is shown with its part.
    await page.getByTestId('parts').getByText(`Sammendrag: ${summary}`).waitFor();
  }

  it('shows a joint oppdrag with no lead reported only when every addressed RHF has reported its own part', async () => {
    // The coordinator assigns it in the browser, addressed to Helse Vest and Helse Nord, with no lead.
    const coordinator = await signInAs(/Kari Koordinator/);
    await coordinator.locator('#assign > summary').click();
    const assign = coordinator.locator('form[data-action=assign]');
    await assign.getByLabel('Oppdrags-id').fill('2024-felles-01');
    await assign
      .getByLabel('Tittel (påkrevd)', { exact: true })
      .fill('Kartlegge ventetidene for rehabilitering i hver region.');
    await assign.getByLabel('Ledende RHF').selectOption({ label: 'Ingen – alle RHF-er, hver for seg' });
    await assign.getByRole('checkbox', { name: 'Helse Vest' }).check();
    await assign.getByRole('checkbox', { name: 'Helse Nord' }).check();
    await assign.getByLabel(/^Frist/).fill('2024-10-01');
    await assign.getByRole('button', { name: 'Tildel oppdraget' }).click();
    await coordinator.locator('#assign').getByText('Oppdraget er tildelt').waitFor();
    await coordinator
      .locator('#assign')
      .getByRole('link', { name: /rehabilitering/ })
      .click();
    await coordinator.getByTestId('timeline').waitFor();
    await expect(coordinator.getByTestId('lead').textContent()).resolves.toBe(
      'Ingen – alle RHF-er, hver for seg',
    );
    await expect(coordinator.getByTestId('addressees').textContent()).resolves.toMatch(
      /^(Helse Vest RHF og Helse Nord RHF|Helse Nord RHF og Helse Vest RHF)$/,
    );
    const parts = coordinator.locator('[data-testid=parts] tbody tr');
    await expect(parts.count()).resolves.toBe(2);
    for (const org of ['helse-vest', 'helse-nord']) {
      const row = coordinator.locator(`[data-testid=parts] tr[data-part="${org}"]`);
      await expect(row.getAttribute('data-status')).resolves.toBe('ASSIGNED');
      // With no lead, every part owes the joint delivery by the deadline.
      await expect(row.locator('.owes').textContent()).resolves.toBe('Felles leveranse');
      await expect(row.textContent()).resolves.toContain('1. oktober 2024');
    }
    await expect(coordinator.getByTestId('parts-summary').textContent()).resolves.toContain(
      '0 av 2 deler er rapportert',
    );
    await expect(coordinator.getByTestId('status').textContent()).resolves.toBe('Tildelt');

    // Helse Vest reports its own part: the oppdrag is started, not reported.
    const vest = await signInAs(/Vegard i Helse Vest/);
    await openOppdrag(vest, '2024-felles-01');
    await expect(offeredActions(vest)).resolves.toEqual(
      await allowedFor('2024-felles-01', await server.token('rhf', 'helse-vest')),
    );
    await expect(offeredActions(vest)).resolves.toEqual(['start', 'report']);
    await reportOwnPart(
      vest,
      'Rapport HV rehabilitering.pdf',
      'Ventetidene er kartlagt i Helse Vest.',
      'Helse Vest RHF',
    );
    const vestRow = vest.locator('[data-testid=parts] tr[data-part="helse-vest"][data-status="REPORTED"]');
    await vestRow.waitFor();
    await expect(vestRow.textContent()).resolves.toContain('Rapport HV rehabilitering.pdf');
    await expect(vestRow.textContent()).resolves.toContain('Ventetidene er kartlagt i Helse Vest.');
    await expect(vestRow.textContent()).resolves.toContain('1. mai 2024');
    await expect(
      vest.locator('[data-testid=parts] tr[data-part="helse-nord"]').getAttribute('data-status'),
    ).resolves.toBe('ASSIGNED');
    // Its own part is reported: nothing more for Helse Vest to do, and the page says why.
    await vest.getByTestId('actions-note').getByText('Delen til Helse Vest RHF er rapportert.').waitFor();
    await expect(vest.locator('[data-testid=actions] form').count()).resolves.toBe(0);
    await statusReads(vest, 'Startet');

    // The coordinator's open page follows live: one part of two is reported.
    await coordinator.getByTestId('parts-summary').getByText('1 av 2 deler er rapportert').waitFor();
    await statusReads(coordinator, 'Startet');
    const half = await api<{ oppdrag: { status: string } }>('{ oppdrag(id: "2024-felles-01") { status } }');
    expect(half.oppdrag.status).toBe('STARTED');

    // Five minutes later, Helse Nord reports its own part: now every part is reported, and so is the
    // oppdrag.
    server.clock.set(`${TODAY}T10:05:00.000Z`);
    const nord = await signInAs(/Nils i Helse Nord/);
    await openOppdrag(nord, '2024-felles-01');
    await expect(offeredActions(nord)).resolves.toEqual(
      await allowedFor('2024-felles-01', await server.token('rhf', 'helse-nord')),
    );
    await reportOwnPart(
      nord,
      'Rapport HN rehabilitering.pdf',
      'Ventetidene er kartlagt i Helse Nord.',
      'Helse Nord RHF',
    );
    await statusReads(nord, 'Rapportert');

    await coordinator.getByTestId('parts-summary').getByText('2 av 2 deler er rapportert').waitFor();
    await statusReads(coordinator, 'Rapportert');
    const nordRow = coordinator.locator('[data-testid=parts] tr[data-part="helse-nord"]');
    await expect(nordRow.getAttribute('data-status')).resolves.toBe('REPORTED');
    await expect(nordRow.textContent()).resolves.toContain('Rapport HN rehabilitering.pdf');
    const done = await api<{ oppdrag: { status: string } }>('{ oppdrag(id: "2024-felles-01") { status } }');
    expect(done.oppdrag.status).toBe('REPORTED');
    // The coordinator is offered what the API allows now, a part's report to reopen among them.
    await expect(offeredActions(coordinator)).resolves.toEqual(
      await allowedFor('2024-felles-01', coordinatorToken),
    );
    const reopen = await openAction(coordinator, 'reopen');
    await expect(reopen.locator('select[name=part] option').count()).resolves.toBe(2);
    // As it stood after the first part's report: started, Helse Vest reported, Helse Nord not.
    await coordinator
      .locator('[data-testid=timeline] > li[data-type=OppdragReported]')
      .last()
      .getByRole('button', { name: /slik det var etter denne hendelsen/ })
      .click();
    await coordinator
      .getByTestId('asof-status')
      .filter({ hasText: /^Startet$/ })
      .waitFor();
    const asOfParts = await coordinator.getByTestId('asof-parts').textContent();
    expect(asOfParts).toContain('Helse Vest: rapportert 1. mai 2024');
    expect(asOfParts).toContain('Helse Nord: tildelt');

    // Reopening one part's report makes the oppdrag started again, with that part's report undone.
    await reopen.getByLabel(/Delen som skal gjenåpnes/).selectOption('helse-nord');
    await reopen.getByLabel(/Begrunnelse/).fill('Rapporten mangler ventetidene for 2023');
    await reopen.getByRole('button', { name: 'Gjenåpne en rapport' }).click();
    await coordinator.getByTestId('action-messages').getByText('Rapporten er gjenåpnet.').waitFor();
    await statusReads(coordinator, 'Startet');
    await coordinator.getByTestId('parts-summary').getByText('1 av 2 deler er rapportert').waitFor();
    await expect(
      coordinator.locator('[data-testid=parts] tr[data-part="helse-nord"]').getAttribute('data-status'),
    ).resolves.toBe('STARTED');
    await expect(
      coordinator.locator('[data-testid=parts] tr[data-part="helse-vest"]').getAttribute('data-status'),
    ).resolves.toBe('REPORTED');
    await coordinator.screenshot({ path: join(SCREENSHOTS, 'oppdrag-joint-no-lead.png'), fullPage: true });
    await vest.close();
    await nord.close();
    await coordinator.close();
  });

  it("reports a led joint oppdrag with the lead's report; the other parts owe theirs by the Årlig melding", async () => {
    await api('mutation($i: AssignOppdragInput!) { assignOppdrag(input: $i) { revision } }', {
      i: {
        oppdragId: '2024-felles-02',
        year: 2024,
        title: 'Utvikle en felles modell for kliniske studier i sykehus.',
        lead: 'helse-sor-ost',
        addressees: ['helse-sor-ost', 'helse-vest', 'helse-midt-norge'],
        deadline: '2024-09-01',
        milestones: [
          { id: 'status-1', kind: 'statusrapport', title: 'Statusrapport til HOD', dueDate: '2024-06-15' },
        ],
      },
    });
    const coordinator = await signInAs(/Kari Koordinator/);
    await openOppdrag(coordinator, '2024-felles-02');
    const lead = coordinator.locator('[data-testid=parts] tr[data-part="helse-sor-ost"]');
    await expect(lead.textContent()).resolves.toContain('ledende');
    await expect(lead.locator('.owes').textContent()).resolves.toBe('Felles leveranse');
    await expect(lead.textContent()).resolves.toContain('1. september 2024');
    for (const org of ['helse-vest', 'helse-midt-norge']) {
      const row = coordinator.locator(`[data-testid=parts] tr[data-part="${org}"]`);
      await expect(row.locator('.owes').textContent()).resolves.toBe('Rapport i Årlig melding');
      await expect(row.textContent()).resolves.toContain('15. mars 2025');
    }

    // A non-lead part owes no milestones: Helse Vest may start and report its part, nothing else.
    const vest = await signInAs(/Vegard i Helse Vest/);
    await openOppdrag(vest, '2024-felles-02');
    await expect(offeredActions(vest)).resolves.toEqual(
      await allowedFor('2024-felles-02', await server.token('rhf', 'helse-vest')),
    );
    await expect(offeredActions(vest)).resolves.toEqual(['start', 'report']);

    // The lead records the milestone and reports its part: that reports the oppdrag.
    const sor = await signInAs(/Siri i Helse Sør-Øst/);
    await openOppdrag(sor, '2024-felles-02');
    await expect(offeredActions(sor)).resolves.toEqual(
      await allowedFor('2024-felles-02', await server.token('rhf', 'helse-sor-ost')),
    );
    const milestone = await openAction(sor, 'recordMilestone');
    await milestone.getByLabel(/Dokumentreferanse/).fill('Statusrapport HSØ studier.pdf');
    await milestone.getByRole('button', { name: 'Registrer delleveranse' }).click();
    await sor.getByTestId('action-messages').getByText('Delleveransen er registrert.').waitFor();
    await sor
      .locator('[data-testid=milestones] tr[data-milestone="status-1"] li[data-part="helse-sor-ost"]')
      .filter({ hasText: 'Statusrapport HSØ studier.pdf' })
      .waitFor();
    await reportOwnPart(
      sor,
      'Sluttrapport HSØ studier.pdf',
      'Modellen er utviklet sammen med de andre.',
      'Helse Sør-Øst RHF',
    );
    await statusReads(sor, 'Rapportert');

    await statusReads(coordinator, 'Rapportert');
    await coordinator.getByTestId('parts-summary').getByText('1 av 3 deler er rapportert').waitFor();
    for (const org of ['helse-vest', 'helse-midt-norge']) {
      await expect(
        coordinator.locator(`[data-testid=parts] tr[data-part="${org}"]`).getAttribute('data-status'),
      ).resolves.toBe('ASSIGNED');
    }
    const reported = await api<{ oppdrag: { status: string } }>(
      '{ oppdrag(id: "2024-felles-02") { status } }',
    );
    expect(reported.oppdrag.status).toBe('REPORTED');

    // Helse Vest still owes its own report before its Årlig melding, and reports it from there.
    await vest.getByRole('navigation', { name: 'Hovedmeny' }).getByRole('link', { name: 'Mitt RHF' }).click();
    const owed = vest.locator('[data-testid=still-owes] tr[data-id="2024-felles-02"][data-what="REPORT"]');
    await owed.waitFor();
    await expect(owed.textContent()).resolves.toContain('15. mars 2025');
    const owedBefore = Number(await vest.getByTestId('still-owes-total').textContent());
    await owed.getByRole('link').click();
    await vest.getByTestId('timeline').waitFor();
    await reportOwnPart(
      vest,
      'Årlig melding HV 2024, kap. 3',
      'Helse Vest deltok i arbeidet.',
      'Helse Vest RHF',
    );
    await vest.locator('[data-testid=parts] tr[data-part="helse-vest"][data-status="REPORTED"]').waitFor();
    await vest.getByRole('navigation', { name: 'Hovedmeny' }).getByRole('link', { name: 'Mitt RHF' }).click();
    await readsExactly(vest.getByTestId('still-owes-total'), owedBefore - 1);
    await expect(vest.locator('[data-testid=still-owes] tr[data-id="2024-felles-02"]').count()).resolves.toBe(
      0,
    );
    await vest.close();
    await sor.close();
    await coordinator.close();
  });

  it('lets a coordinator correct an oppdrag with a reason each time: addressees, milestones and title', async () => {
    await api('mutation($i: AssignOppdragInput!) { assignOppdrag(input: $i) { revision } }', {
      i: {
        oppdragId: '2024-felles-03',
        year: 2024,
        title: 'Vurdere felles opplaring i akuttmedisin.',
        lead: null,
        addressees: ['helse-vest'],
      },
    });
    const page = await signInAs(/Kari Koordinator/);
    await openOppdrag(page, '2024-felles-03');
    const latestIs = (type: string) =>
      page
        .locator('[data-testid=timeline] > li')
        .first()
        .and(page.locator(`[data-type="${type}"]`))
        .waitFor();
    /** Fills one action's form, saves it, and waits until the page shows the result and the new actions. */
    async function correct(
      action: string,
      fill: (form: Locator) => Promise<unknown>,
      done: string,
      type: string,
    ) {
      const form = await openAction(page, action);
      await fill(form);
      await form.getByLabel(/Begrunnelse/).fill(`Rettet i oppfølgingsmøtet (${action})`);
      await form.locator('button[type=submit]').click();
      await page.getByTestId('action-messages').getByText(done).waitFor();
      await latestIs(type);
      await expect(page.locator('[data-testid=timeline] > li').first().textContent()).resolves.toContain(
        `Begrunnelse: Rettet i oppfølgingsmøtet (${action})`,
      );
      await expect(offeredActions(page)).resolves.toEqual(
        await allowedFor('2024-felles-03', coordinatorToken),
      );
    }

    await correct(
      'addAddressee',
      (form) => form.getByLabel(/^RHF/).selectOption({ label: 'Helse Midt-Norge RHF' }),
      'Oppdraget er rettet til ett RHF til.',
      'AddresseeAdded',
    );
    await page.locator('[data-testid=parts] tr[data-part="helse-midt-norge"]').waitFor();
    await expect(page.locator('[data-testid=parts] tbody tr').count()).resolves.toBe(2);

    await correct(
      'addMilestone',
      async (form) => {
        await form.getByLabel(/^Tittel/).fill('Underveisrapport til HOD');
        await form.getByLabel(/^Frist/).fill('2024-08-15');
      },
      'Delleveransen er lagt til.',
      'MilestoneAdded',
    );
    const row = page.locator('[data-testid=milestones] tr[data-milestone="delleveranse-1"]');
    await expect(row.textContent()).resolves.toContain('Underveisrapport til HOD');
    await expect(row.textContent()).resolves.toContain('15. august 2024');
    // With no lead, both parts owe it, and neither has delivered it.
    await expect(row.locator('li.missing').count()).resolves.toBe(2);

    await correct(
      'changeMilestone',
      (form) => form.getByLabel(/Ny frist/).fill('2024-09-16'),
      'Delleveransen er endret.',
      'MilestoneChanged',
    );
    await expect(row.textContent()).resolves.toContain('16. september 2024');

    await correct(
      'correctDetails',
      (form) => form.getByLabel(/^Tittel/).fill('Vurdere felles opplæring i akuttmedisin.'),
      'Opplysningene er rettet.',
      'OppdragDetailsCorrected',
    );
    await page.getByRole('heading', { level: 1, name: 'Vurdere felles opplæring i akuttmedisin.' }).waitFor();

    await correct(
      'removeAddressee',
      (form) => form.getByLabel(/^RHF/).selectOption({ label: 'Helse Vest RHF' }),
      'RHF-et er fjernet fra oppdraget.',
      'AddresseeRemoved',
    );
    await expect(page.locator('[data-testid=parts] tbody tr').count()).resolves.toBe(1);
    await expect(page.getByTestId('addressees').textContent()).resolves.toBe('Helse Midt-Norge RHF');

    await correct(
      'removeMilestone',
      () => Promise.resolve(),
      'Delleveransen er fjernet.',
      'MilestoneRemoved',
    );
    await expect(page.locator('[data-testid=milestones]').count()).resolves.toBe(0);

    const stored = await api<{
      oppdrag: { title: string; addressees: Array<{ id: string }>; milestones: unknown[] };
    }>('{ oppdrag(id: "2024-felles-03") { title addressees { id } milestones { id } } }');
    expect(stored.oppdrag).toEqual({
      title: 'Vurdere felles opplæring i akuttmedisin.',
      addressees: [{ id: 'helse-midt-norge' }],
      milestones: [],
    });
    await page.close();
  });

  it('imports a letter: paste, review lead, deadline, collaborators and evidence, then commit', async () => {
    const letter = [
      'Helse- og omsorgsdepartementet',
      '',
      'Oppdragsdokument 2024',
      '',
      'Helse Nord RHF',
      '',
      '4 Hovedmål 2 Vi skal styrke samhandlingen med kommunene',
      '',
      'Oppdrag 2024:',
      '',
      '- Helse Nord RHF skal, i samarbeid med Folkehelseinstituttet, utarbeide en plan for ambulansetjenesten i Finnmark. Frist for oppdraget er 15. oktober 2024.',
      '- De regionale helseforetakene skal, under ledelse av Helse Vest RHF, vurdere felles opplæring i akuttmedisin.',
      '',
    ].join('\n');
    const page = await signInAs(/Kari Koordinator/);
    await page.getByRole('link', { name: 'Importer brev' }).click();
    await page.getByLabel('Brevtekst').fill(letter);
    await page.getByLabel('Filnavn (valgfritt)').fill('nord-2024.txt');
    await page.getByRole('button', { name: 'Les brevet' }).click();
    const table = page.getByTestId('review-table');
    await table.waitFor();
    const rows = table.locator('tbody tr');
    expect(await rows.count()).toBeGreaterThanOrEqual(2);
    const ambulance = rows.filter({ hasText: 'ambulansetjenesten' });
    const said = await ambulance.textContent();
    expect(said).toContain('Helse Nord');
    expect(said).toContain('15. oktober 2024');
    expect(said).toContain('FHI');
    expect(said).toContain('«');
    await page.screenshot({ path: join(SCREENSHOTS, 'import-review.png'), fullPage: true });
    await expectAccessible(page, 'the import review');

    const chosen = await rows.count();
    await page.getByRole('button', { name: `Importer valgte (${chosen})` }).click();
    await expect(page.getByTestId('import-summary').textContent()).resolves.toContain(
      `${chosen} oppdrag tildelt`,
    );
    await expectAccessible(page, 'the import done');
    await page
      .locator('#import-result')
      .getByRole('link', { name: /ambulansetjenesten/ })
      .click();
    await page.getByTestId('timeline').waitFor();
    await expect(page.getByTestId('lead').textContent()).resolves.toBe('Helse Nord RHF');
    await expect(page.locator('[data-testid=source]').textContent()).resolves.toContain('nord-2024.txt');
    await page.close();
  });

  it('updates a second page live, without a reload, when an oppdrag changes or becomes overdue', async () => {
    const watcher = await signInAs(/Kari Koordinator/);
    await watcher.getByTestId('live-state').getByText('Direkte oppdatering på').waitFor();
    await watcher.locator('[data-testid=oppdrag-table] tr[data-id="2024-demo-04"]').waitFor();
    // A mark on this document: it is still there at the end only if the page never reloaded.
    await watcher.evaluate('window.stillHere = true');
    const row = watcher.locator('[data-testid=oppdrag-table] tr[data-id="2024-demo-04"] .status-cell');
    await expect(row.textContent()).resolves.toBe('Tildelt');

    // Another person, in another tab, starts the oppdrag.
    const sor = await signInAs(/Siri i Helse Sør-Øst/);
    await openOppdrag(sor, '2024-demo-04');
    const start = await openAction(sor, 'start');
    await start.getByRole('button', { name: 'Marker vår del som startet' }).click();
    await sor
      .getByTestId('action-messages')
      .getByText('Delen til Helse Sør-Øst RHF er markert som startet.')
      .waitFor();

    await readsExactly(row, 'Startet');
    await expect(watcher.getByTestId('feed').textContent()).resolves.toContain('Arbeidet ble startet');
    await expect(watcher.locator('#announcer').textContent()).resolves.toContain('2024-demo-04');

    // Two weeks later the engine records that the deadline of 2024-demo-04 (13 May) passed unmet.
    server.clock.set('2024-05-15T10:00:00.000Z');
    const before = Number(await watcher.getByTestId('overdue-total').textContent());
    await server.runtime.watcher.runOnce();
    const after = await api<{ overdue: Count }>('{ overdue(first: 1) { totalCount } }');
    expect(after.overdue.totalCount).toBeGreaterThan(before);
    await readsExactly(watcher.getByTestId('overdue-total'), after.overdue.totalCount);
    await watcher.locator('#overdue-today li[data-id="2024-demo-04"]').waitFor();
    await expect(watcher.getByTestId('feed').textContent()).resolves.toContain('Forfalt');
    await expect(watcher.evaluate('window.stillHere === true')).resolves.toBe(true);
    await sor.close();
    await watcher.close();
  });

  it('finds an inflected word: "legemiddel" lists the oppdrag about "legemidler", and "KI" no "psykisk"', async () => {
    const page = await signInAs(/Kari Koordinator/);
    const filters = page.getByRole('search', { name: 'Filtrer oppdrag' });
    await filters.getByLabel('Status').selectOption({ label: 'Alle, også lukkede' });
    await filters.getByLabel('Fritekst').fill('legemiddel');
    const found = await api<{
      oppdragList: { totalCount: number; nodes: Array<{ id: string; title: string }> };
    }>('{ oppdragList(filter: { text: "legemiddel" }, first: 100) { totalCount nodes { id title } } }');
    // The plural, and a compound that starts with the word.
    const titles = found.oppdragList.nodes.map((n) => n.title).join(' | ');
    expect(titles).toMatch(/legemidler/);
    expect(titles).toMatch(/legemiddelliste/);
    await readsExactly(page.getByTestId('list-total'), found.oppdragList.totalCount);
    const row = page.locator('[data-testid=oppdrag-table] tbody tr', { hasText: 'legemidler til sjeldne' });
    await row.waitFor();
    expect(new URLSearchParams(new URL(page.url()).hash.split('?')[1] ?? '').get('text')).toBe('legemiddel');

    // A short word is a whole word: "KI" does not find "psykisk" (the ventetider oppdrag).
    await filters.getByLabel('Fritekst').fill('KI');
    const ki = await listCount({ text: 'KI' });
    await readsExactly(page.getByTestId('list-total'), ki);
    await expect(
      page.locator('[data-testid=oppdrag-table] tbody tr', { hasText: 'psykisk helsevern' }).count(),
    ).resolves.toBe(0);
    await page.close();
  });

  it('serves GraphiQL from its own origin, signed in with a token from the address, and runs a query', async () => {
    const page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    const foreign: string[] = [];
    page.on('request', (request) => {
      if (!request.url().startsWith(server.url) && !request.url().startsWith('data:'))
        foreign.push(request.url());
    });
    await page.goto(`${server.url}/graphiql#token=${coordinatorToken}`);
    // The token leaves the address at once.
    expect(new URL(page.url()).hash).toBe('');
    const run = page.locator('.graphiql-execute-button');
    await run.waitFor();
    await expect(page.locator('.graphiql-editor-tool').textContent()).resolves.toContain('Bearer ');
    await run.click();
    const result = page.locator('.result-window');
    await result.filter({ hasText: '"totalCount"' }).waitFor();
    const expected = await api<{ overdue: Count }>('{ overdue(first: 1) { totalCount } }');
    await expect(result.textContent()).resolves.toContain(`"totalCount": ${expected.overdue.totalCount}`);
    await expect(result.textContent()).resolves.not.toContain('UNAUTHENTICATED');
    expect(foreign).toEqual([]);
    await page.close();
  });

  it('can be used with the keyboard alone: sign in, filter, open an oppdrag and report on it', async () => {
    const page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(`${server.url}/`);
    await tabTo(page, page.getByRole('button', { name: /Nils i Helse Nord/ }));
    await page.keyboard.press('Enter');
    await page.getByTestId('whoami').waitFor();

    await tabTo(page, page.getByRole('search', { name: 'Filtrer oppdrag' }).getByLabel('Fritekst'));
    await page.keyboard.type('legemiddelliste');
    const row = page.locator('[data-testid=oppdrag-table] tr[data-id="2024-demo-08"]');
    await row.waitFor();
    await readsExactly(page.getByTestId('list-total'), 1);
    await tabTo(page, row.getByRole('link'));
    await page.keyboard.press('Enter');
    await page.getByTestId('timeline').waitFor();

    await tabTo(page, page.locator('[data-testid=actions] details[data-action=report] > summary'));
    await page.keyboard.press('Enter');
    const form = page.locator('[data-testid=actions] form[data-action=report]');
    await tabTo(page, form.getByLabel(/Dokumentreferanse/));
    await page.keyboard.type('Rapport legemiddelliste HN.pdf');
    await expectAccessible(page, 'the report form open, filled in with the keyboard');
    await tabTo(page, form.getByRole('button', { name: 'Rapporter vår del' }));
    await page.keyboard.press('Enter');
    await page
      .getByTestId('action-messages')
      .getByText(/rapportert/)
      .waitFor();
    await page.locator('[data-testid=parts] tr[data-part="helse-nord"][data-status="REPORTED"]').waitFor();
    await expect(form.count()).resolves.toBe(0);
    await page.close();
  });
});
