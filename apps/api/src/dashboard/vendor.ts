import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { FastifyInstance } from 'fastify';

/** Where the dashboard loads the chart library from: this server, never a third-party origin. */
export const CHART_LIBRARY_PATH = '/vendor/chart.umd.min.js';

/**
 * Serves the dashboard's chart library (Chart.js, its self-contained UMD build) from the installed
 * package, read once at start: the page's Content-Security-Policy allows scripts from its own origin only,
 * and nothing is fetched from elsewhere at run time.
 */
export function serveDashboardVendor(fastify: FastifyInstance): void {
  const require = createRequire(import.meta.url);
  const file = join(dirname(require.resolve('chart.js')), 'chart.umd.min.js');
  const source = readFileSync(file);
  fastify.get(CHART_LIBRARY_PATH, async (_request, reply) =>
    reply
      .header('content-type', 'text/javascript; charset=utf-8')
      .header('cache-control', 'public, max-age=86400')
      .send(source),
  );
}
