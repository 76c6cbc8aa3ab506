export * from './port.js';
export * from './errors.js';
export * from './validation.js';
export * from './sqlite-event-store.js';
