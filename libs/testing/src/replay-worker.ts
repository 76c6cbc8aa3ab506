import type { ReplayWorker } from '#projections';

/**
 * The replay partition's module as its TypeScript source, loaded in its thread as Jest loads the tests
 * (see loader/register.mjs), for tests of a replay on several threads.
 */
export function replayWorkerFromSource(): ReplayWorker {
  return {
    url: new URL('../../projections/src/replay-partition-thread.ts', import.meta.url),
    execArgv: ['--import', new URL('../loader/register.mjs', import.meta.url).href],
  };
}
