export * from './clock.js';
export * from './ids.js';
export * from './stored-events.js';
export * from './oppdrag-repository.js';
export * from './command-handler.js';
export * from './deadline-watcher.js';
export * from './import-oppdrag.js';
export * from './calendar-feeds.js';
