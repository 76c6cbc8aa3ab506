/** What the API and the CLI share about running the product: where its stores live and how tokens are minted. */
export * from './store-location.js';
export * from './tokens.js';
