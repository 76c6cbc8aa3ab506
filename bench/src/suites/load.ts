import { randomUUID } from 'node:crypto';
import autocannon from 'autocannon';
import { eventIdFor } from '#application';
import type { Actor, CalendarDate, RhfId } from '#domain';
import { mintToken } from '../../../apps/api/src/auth/tokens.js';
import { COORDINATORS, RHF_USERS } from '../data/corpus.js';
import type { OpenOppdrag } from '../data/generate.js';
import { JWT_SECRET } from '../proc.js';
import { RowReader } from '../raw.js';
import { now } from '../stats.js';

export interface LoadOptions {
  readonly connections: number;
  readonly durationS: number;
}

export interface LoadResult {
  /** Responses with status 2xx per second over the run. */
  readonly rps: number;
  readonly p50: number;
  readonly p99: number;
  readonly requests: number;
  readonly non2xx: number;
  readonly errors: number;
  readonly timeouts: number;
  /** 2xx responses whose body carried GraphQL errors. */
  readonly graphqlErrors: number;
  readonly durationS: number;
}

export const QUERIES = {
  overdue: `query Overdue { overdue(first: 50) { on totalCount oppdrag { id title status effectiveDeadline daysOverdue lead { id name } nextDue { date what } } } }`,
  whoLeadsWhat: `query WhoLeadsWhat { whoLeadsWhat(limitPerLead: 25, filter: { status: [ASSIGNED, STARTED] }) { lead { id name } totalCount oppdrag { id title status effectiveDeadline deadlineSource overdue } } }`,
  page: (year: number) =>
    `query Page { oppdragList(filter: { year: ${year}, lead: "helse-vest", status: [ASSIGNED, STARTED, REPORTED] }, first: 25) { totalCount pageInfo { endCursor hasNextPage } nodes { id title status effectiveDeadline overdue lead { name } collaborators { name } } } }`,
  /** The reference: the cheapest authenticated GraphQL query, through the same server and stack. */
  me: `query Me { me { userId name role } }`,
};

export async function coordinatorToken(): Promise<string> {
  return mintToken(JWT_SECRET, COORDINATORS[0] as Actor);
}

/** Sends one query and returns its data, failing on any error: a load test of an error page proves nothing. */
export async function queryOnce(url: string, token: string, query: string): Promise<Record<string, unknown>> {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query }),
  });
  const body = (await response.json()) as { data?: Record<string, unknown>; errors?: unknown[] };
  if (response.status !== 200 || body.errors || !body.data) {
    throw new Error(`query failed (${response.status}): ${JSON.stringify(body).slice(0, 500)}`);
  }
  return body.data;
}

function summarise(result: autocannon.Result, graphqlErrors: number): LoadResult {
  return {
    rps: result['2xx'] / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    requests: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    graphqlErrors,
    durationS: result.duration,
  };
}

/** Runs one query from `connections` connections for `durationS` seconds. */
export async function queryLoad(
  url: string,
  token: string,
  query: string,
  options: LoadOptions,
): Promise<LoadResult> {
  let graphqlErrors = 0;
  const result = await autocannon({
    url: `${url}/graphql`,
    method: 'POST',
    connections: options.connections,
    duration: options.durationS,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query }),
    verifyBody: (body: string) => {
      const ok = !body.includes('"errors"');
      if (!ok) graphqlErrors += 1;
      return ok;
    },
  } as autocannon.Options);
  return summarise(result, graphqlErrors);
}

interface Job {
  readonly kind: keyof typeof MUTATION;
  readonly commandId: string;
  readonly body: string;
  readonly token: string;
}

export interface MutationResult extends LoadResult {
  readonly jobs: number;
  /** 2xx responses without errors: commands the server says it carried out. */
  readonly acknowledged: number;
  /** Events the acknowledged mutations reported. */
  readonly expectedEvents: number;
  /** Events in the store written by the run. */
  readonly storedEvents: number;
  /** Acknowledged mutations whose events are missing or incomplete in the store. */
  readonly lost: number;
  /** Acknowledged mutations with more events than they reported, or stored twice. */
  readonly duplicated: number;
  /** Events from mutations that were not acknowledged (timed out or failed after writing). */
  readonly unacknowledged: number;
  /** Events in the store not written by any mutation of the run (e.g. the deadline watcher). */
  readonly foreign: number;
  readonly byMutation: Readonly<Record<string, number>>;
}

const MUTATION = {
  start: `mutation Start($input: StartOppdragInput!) { startOppdrag(input: $input) { revision events duplicate oppdrag { id status revision } } }`,
  milestone: `mutation Milestone($input: RecordMilestoneInput!) { recordMilestone(input: $input) { revision events duplicate oppdrag { id status revision } } }`,
  report: `mutation Report($input: ReportOppdragInput!) { reportOppdrag(input: $input) { revision events duplicate oppdrag { id status revision } } }`,
};

/**
 * The mutations the lead RHFs would send on the open oppdrag: start, record each unreported milestone,
 * report (a report on an assigned oppdrag starts it too). Each oppdrag's mutations stay in order on one
 * connection; the connections get the same number of jobs.
 */
export async function mutationJobs(
  open: readonly OpenOppdrag[],
  today: CalendarDate,
  connections: number,
  maxJobs: number,
): Promise<{ perConnection: Job[][]; byMutation: Record<string, number> }> {
  const tokens = new Map<RhfId, string>();
  for (const [rhf, users] of Object.entries(RHF_USERS) as Array<[RhfId, readonly Actor[]]>) {
    tokens.set(rhf, await mintToken(JWT_SECRET, users[0] as Actor));
  }
  const perConnection: Job[][] = Array.from({ length: connections }, () => []);
  const job = (kind: keyof typeof MUTATION, lead: RhfId, input: Record<string, unknown>): Job => {
    const commandId = randomUUID();
    return {
      kind,
      commandId,
      token: tokens.get(lead) as string,
      body: JSON.stringify({ query: MUTATION[kind], variables: { input: { ...input, commandId } } }),
    };
  };
  let c = 0;
  let total = 0;
  for (const o of open) {
    if (o.status === 'reported') continue;
    if (total >= maxJobs) break;
    const list = perConnection[c % connections] as Job[];
    c += 1;
    const base = { oppdragId: o.id };
    const reportOnly = o.status === 'assigned' && o.unreportedMilestones.length === 0 && c % 2 === 0;
    if (o.status === 'assigned' && !reportOnly)
      list.push(job('start', o.lead, { ...base, startedOn: today }));
    for (const milestoneId of o.unreportedMilestones) {
      list.push(
        job('milestone', o.lead, {
          ...base,
          milestoneId,
          reportedOn: today,
          documentRef: `Sak ${o.id}/${milestoneId}`,
          note: null,
        }),
      );
    }
    list.push(
      job('report', o.lead, {
        ...base,
        reportedOn: today,
        documentRef: `Årlig melding, sak ${o.id}`,
        summary: 'Oppdraget er gjennomført; se vedlagt rapport.',
      }),
    );
    total = perConnection.reduce((n, l) => n + l.length, 0);
  }
  const even = Math.min(...perConnection.map((l) => l.length));
  const lists = perConnection.map((l) => l.slice(0, even));
  const byMutation: Record<string, number> = {};
  for (const j of lists.flat()) byMutation[j.kind] = (byMutation[j.kind] ?? 0) + 1;
  return { perConnection: lists, byMutation };
}

/**
 * Sends the mutation jobs (read-your-writes is always on: the API answers once its read models include
 * the command), then counts the events the run wrote in the store: every acknowledged mutation must have
 * exactly the events it reported, with the ids derived from its command id.
 */
export async function mutationLoad(
  url: string,
  storePath: string,
  jobs: { perConnection: Job[][]; byMutation: Record<string, number> },
  options: { connections: number; maxDurationS: number },
): Promise<MutationResult> {
  const reader = new RowReader(storePath);
  const headBefore = reader.head();
  const acknowledged = new Map<string, string[]>();
  let graphqlErrors = 0;
  let clientIndex = 0;
  const perConnection = jobs.perConnection;
  const perClient = perConnection[0]?.length ?? 0;
  if (perClient === 0) throw new Error('no mutation jobs: the data set has no open oppdrag with a lead');
  // The run's duration is timed here, to the last answer: autocannon notices that every connection has
  // sent its jobs only at its next sample tick (once a second), so its own duration is rounded up to a
  // whole second, and a count of mutations over it could only read jobs ÷ 1, ÷ 2, ÷ 3 ... seconds.
  const started = now();
  let lastAnswer = started;
  const result = await autocannon({
    url: `${url}/graphql`,
    method: 'POST',
    connections: options.connections,
    duration: options.maxDurationS,
    maxConnectionRequests: perClient,
    setupClient: (client: autocannon.Client) => {
      const queue = perConnection[clientIndex++ % perConnection.length] ?? [];
      let next = 0;
      client.setRequests([
        {
          method: 'POST',
          path: '/graphql',
          setupRequest: (request: autocannon.Request) => {
            const job = queue[next++] ?? queue[queue.length - 1]!;
            return {
              ...request,
              headers: {
                'content-type': 'application/json',
                authorization: `Bearer ${job.token}`,
                'x-correlation-id': job.commandId,
              },
              body: job.body,
            };
          },
          onResponse: (status: number, body: string, _context: object, headers?: Record<string, unknown>) => {
            lastAnswer = now();
            const header = headers?.['x-correlation-id'];
            const commandId = typeof header === 'string' ? header : '';
            let parsed: { data?: Record<string, { events?: string[] } | null>; errors?: unknown[] } = {};
            try {
              parsed = JSON.parse(body) as typeof parsed;
            } catch {
              // counted below as an error
            }
            const payload = parsed.data ? Object.values(parsed.data)[0] : null;
            if (status >= 200 && status < 300 && !parsed.errors && payload?.events) {
              acknowledged.set(commandId, payload.events);
            } else {
              graphqlErrors += 1;
            }
          },
        },
      ]);
    },
  });

  // Count what the run wrote.
  let lost = 0;
  let duplicated = 0;
  let unacknowledged = 0;
  let foreign = 0;
  const stored = new Map<string, Array<{ id: string; type: string }>>();
  const all = new Set<string>(perConnection.flatMap((l) => l.map((j) => j.commandId)));
  let rows: ReturnType<RowReader['rows']>;
  try {
    rows = reader.rows(headBefore + 1, Number.MAX_SAFE_INTEGER);
  } finally {
    reader.close();
  }
  const storedEvents = rows.length;
  for (const row of rows) {
    const commandId = (JSON.parse(row.metadata) as { commandId?: string }).commandId ?? '';
    const list = stored.get(commandId) ?? [];
    list.push({ id: row.event_id, type: row.type });
    stored.set(commandId, list);
  }
  let expectedEvents = 0;
  for (const [commandId, types] of acknowledged) {
    expectedEvents += types.length;
    const got = stored.get(commandId) ?? [];
    const exact =
      got.length === types.length &&
      got.every((e, i) => e.type === types[i] && e.id === eventIdFor(commandId, i));
    if (exact) continue;
    if (got.length < types.length) lost += 1;
    else duplicated += 1;
  }
  for (const [commandId, events] of stored) {
    if (acknowledged.has(commandId)) continue;
    if (all.has(commandId)) unacknowledged += events.length;
    else foreign += events.length;
  }
  const durationS = (lastAnswer - started) / 1000;
  return {
    ...summarise(result, graphqlErrors),
    rps: durationS > 0 ? acknowledged.size / durationS : 0,
    durationS,
    jobs: perClient * perConnection.length,
    acknowledged: acknowledged.size,
    expectedEvents,
    storedEvents,
    lost,
    duplicated,
    unacknowledged,
    foreign,
    byMutation: jobs.byMutation,
  };
}
