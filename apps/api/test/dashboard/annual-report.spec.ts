import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ExcelJS from 'exceljs';
import type { BrowserContext, Page } from 'playwright-core';
import { browserSuite, startDashboard, type DashboardRig } from '../support/browser.js';
import type { TestServer } from '../support/harness.js';

/**
 * The Årlig melding download on the dashboard, in Debian's Chromium against the real API with the demo
 * data on 1 May 2024: the button asks for a signed link and a plain link downloads the file.
 */

const suite = browserSuite('annual report');
const DOWNLOADS = join(fileURLToPath(new URL('../../../../', import.meta.url)), 'test-output', 'downloads');

suite('the Årlig melding download in the dashboard', () => {
  let server: TestServer;
  let context: BrowserContext;
  let rig: DashboardRig;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    rig = await startDashboard('2024-05-01T10:00:00.000Z');
    ({ server, context } = rig);
    mkdirSync(DOWNLOADS, { recursive: true });
  }, 30000);

  afterAll(() => rig?.close());

  afterEach(() => expect(pageErrors.splice(0)).toEqual([]));

  async function signInAs(userName: RegExp): Promise<Page> {
    const page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(`${server.url}/`);
    await page.getByRole('button', { name: userName }).click();
    await page.getByTestId('whoami').waitFor();
    return page;
  }

  it('lets a coordinator download the four-RHF sheet of 2024 from the overview, with dates as dates', async () => {
    const page = await signInAs(/Kari Koordinator/);
    const panel = page.locator('#arlig-melding');
    await panel.getByRole('heading', { name: 'Årlig melding' }).waitFor();
    await expect(panel.getByLabel('År').inputValue()).resolves.toBe('2024');
    await expect(panel.getByLabel('RHF').inputValue()).resolves.toBe('');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      panel.getByRole('button', { name: 'Last ned Excel (XLSX)' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('arlig-melding-2024-alle-rhf.xlsx');
    const file = join(DOWNLOADS, download.suggestedFilename());
    await download.saveAs(file);
    const link = page.getByTestId('annual-report-link');
    await expect(link.getAttribute('href')).resolves.toMatch(/^\/export\/annual-report\.xlsx\?link=/);
    await expect(page.getByTestId('annual-report-status').textContent()).resolves.toMatch(
      /lenken virker til kl\. 12[.:]05/,
    );

    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(file);
    const sheet = workbook.getWorksheet('Årlig melding 2024') as ExcelJS.Worksheet;
    expect(sheet.getRow(1).getCell(1).value).toBe('Årlig melding 2024 – alle RHF');
    expect(sheet.rowCount).toBe(12);
    const deadline = (sheet.getRow(2).values as unknown[]).indexOf('Gjeldende frist');
    expect(sheet.getRow(3).getCell(deadline).value).toBeInstanceOf(Date);
    await page.close();
  });

  it('routes an address changed while the start data loads once that data has arrived', async () => {
    const page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    await page.route('**/graphql', async (request) => {
      if (!request.request().postData()?.includes('query Start')) return request.continue();
      await held;
      return request.continue();
    });
    await page.goto(`${server.url}/`);
    const startAsked = page.waitForRequest((request) => Boolean(request.postData()?.includes('query Start')));
    await page.getByRole('button', { name: /Nils i Helse Nord/ }).click();
    await page.getByTestId('whoami').waitFor();
    await startAsked;
    await page.evaluate("location.hash = '#/mitt-rhf'");
    release();
    await page
      .locator('#arlig-melding')
      .getByRole('heading', { name: 'Årlig melding for Helse Nord' })
      .waitFor();
    await expect(page.title()).resolves.toBe('Mitt RHF – Oppdragsflyt');
    await page.close();
  });

  it("gives an RHF user its own RHF's sheet as CSV from Mitt RHF", async () => {
    const page = await signInAs(/Nils i Helse Nord/);
    await page.goto(`${server.url}/#/mitt-rhf`);
    const panel = page.locator('#arlig-melding');
    await panel.getByRole('heading', { name: 'Årlig melding for Helse Nord' }).waitFor();
    await expect(panel.getByLabel('RHF').count()).resolves.toBe(0);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      panel.getByRole('button', { name: 'Last ned CSV' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('arlig-melding-2024-helse-nord.csv');
    await page.close();
  });
});
