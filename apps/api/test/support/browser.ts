import { existsSync } from 'node:fs';
import { chromium, type BrowserContext } from 'playwright-core';

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
