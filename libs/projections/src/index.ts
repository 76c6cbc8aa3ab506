export * from './oppdrag-view.js';
export * from './read-model-store.js';
export * from './projector.js';
export * from './queries.js';
export * from './view-index.js';
export * from './audit-trail.js';
export * from './annual-report.js';
export * from './search-index.js';
