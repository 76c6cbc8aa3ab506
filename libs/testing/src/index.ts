export * from './fixtures.js';
export * from './random.js';
export * from './replay-worker.js';
