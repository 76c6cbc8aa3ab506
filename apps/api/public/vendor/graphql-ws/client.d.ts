// The types of what the API serves at /vendor/graphql-ws/client.js: graphql-ws's own browser client,
// from node_modules. This file is for the type check only; the API does not serve it.
export * from 'graphql-ws/client';
