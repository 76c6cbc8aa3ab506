// @ts-check
// GraphiQL on the API's own origin: React and GraphiQL's bundle are served from node_modules (see
// static-assets.ts), subscriptions go through graphql-ws's client, and the user's token becomes the
// Authorization header. The token is read from the address (`/graphiql#token=<token>`, which the
// browser never sends to the server) or from the dashboard's sign-in in this tab; without one, the
// header editor holds a template to paste a token into.

import { createClient } from '../vendor/graphql-ws/client.js';

/** @type {any} */
const globals = globalThis;
const { React, ReactDOM, GraphiQL } = globals;

const DASHBOARD_TOKEN_KEY = 'oppdragsflyt.token';

/** The token given in the address, or the one the dashboard signed in with in this tab. */
function givenToken() {
  const fromAddress = new URLSearchParams(location.hash.slice(1)).get('token');
  if (fromAddress) {
    // Not left in the address bar, the history or a shared screenshot.
    history.replaceState(null, '', location.pathname + location.search);
    return fromAddress.trim();
  }
  return sessionStorage.getItem(DASHBOARD_TOKEN_KEY);
}

const token = givenToken();
const authorization = `Bearer ${token ?? '<token>'}`;
const headers = JSON.stringify({ authorization }, null, 2);
const url = `${location.origin}/graphql`;
const wsClient = createClient({
  url: `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/graphql`,
  lazy: true,
  connectionParams: token ? { authorization } : {},
});

const root = ReactDOM.createRoot(document.getElementById('graphiql'));
root.render(
  React.createElement(GraphiQL, {
    fetcher: GraphiQL.createFetcher({ url, wsClient }),
    // A token that came with the page is used; otherwise the user pastes one into the template.
    ...(token ? { headers } : { defaultHeaders: headers }),
    defaultEditorToolsVisibility: 'headers',
    defaultQuery:
      '{\n  overdue(first: 5) {\n    totalCount\n    oppdrag { id title effectiveDeadline daysOverdue }\n  }\n}\n',
  }),
);
