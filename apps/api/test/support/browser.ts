import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { startTestServer, TEST_SECRET, type TestServer } from './harness.js';

/** Debian's Chromium, driven by playwright-core (which cannot download a browser here). */
export const CHROMIUM = '/usr/bin/chromium';

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** `describe` when Chromium is installed; otherwise `describe.skip`, saying once why. */
export function browserSuite(what: string): jest.Describe {
  if (existsSync(CHROMIUM)) return describe;
  console.warn(
    `${what} browser tests skipped: ${CHROMIUM} does not exist (install it with: apt-get install -y chromium)`,
  );
  return describe.skip;
}

/** A headless browser with its own profile, in Norwegian, in Oslo, at 1366×768. */
export async function launchBrowser(profile: string): Promise<BrowserContext> {
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    args: ARGS,
    viewport: { width: 1366, height: 768 },
    locale: 'nb-NO',
    timezoneId: 'Europe/Oslo',
    acceptDownloads: true,
  });
  context.setDefaultTimeout(8000);
  return context;
}

/** The API with its demo, and a browser to use it with; `close` ends both and removes the profile. */
export interface DashboardRig {
  readonly server: TestServer;
  readonly context: BrowserContext;
  close(): Promise<void>;
}

/** Starts the API with its demo seeded at `now` and development sign-in, and a browser with a fresh profile. */
export async function startDashboard(now: string): Promise<DashboardRig> {
  const server = await startTestServer({
    demo: true,
    now,
    config: {
      mode: 'development',
      jwt: { secret: TEST_SECRET, generated: true, issuer: 'oppdragsflyt', enabled: true },
    },
  });
  const profile = mkdtempSync(join(tmpdir(), 'oppdragsflyt-chromium-'));
  const context = await launchBrowser(profile);
  return {
    server,
    context,
    close: async () => {
      await context.close();
      await server.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
