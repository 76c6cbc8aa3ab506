import { createWriteStream, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Actor } from '#domain';
import { SqliteEventStore } from '#event-store';
import { mintToken } from '../../apps/api/src/auth/tokens.js';
import { COORDINATORS, RHF_USERS } from './data/corpus.js';
import { generateInto } from './data/generate.js';
import WebSocket from 'ws';
import { freePort, JWT_SECRET, startApi, type ApiProcess } from './proc.js';

/**
 * Hostile requests against the built API on a generated store: an alias bomb of costly fields and a flood
 * of distinct large queries. Prints, for each, how long the request took, the longest a health check
 * waited meanwhile, and how the API's resident memory changed. Run with
 * `npm run build && node dist/bench/src/attack.js [dataDir] [targetEvents] [letterFile] [only]`.
 */
async function main(): Promise<void> {
  const dir = process.argv[2] ?? '/tmp/oppdragsflyt-attack';
  const targetEvents = Number(process.argv[3] ?? 100_000);
  mkdirSync(dir, { recursive: true });
  const eventStorePath = join(dir, 'events.db');
  if (!existsSync(eventStorePath)) {
    const store = new SqliteEventStore({ path: eventStorePath });
    const generated = await generateInto(store, { targetEvents, now: Date.parse('2026-06-01T10:00:00Z') });
    await store.close();
    process.stdout.write(`generated ${generated.events} events, ${generated.oppdrag} oppdrag\n`);
  }
  // The inspector lets the script collect garbage in the API and read what its heap still holds.
  const inspectorPort = await freePort();
  const api = await startApi({
    eventStorePath,
    readModelPath: join(dir, 'readmodels.db'),
    execArgv: [`--inspect=127.0.0.1:${inspectorPort}`],
  });
  const heap = await heapInspector(inspectorPort);
  // What the API says from now on (warnings and errors) goes to a file beside the data.
  const log = createWriteStream(join(dir, 'api.log'));
  api.child.stdout?.pipe(log);
  api.child.stderr?.pipe(log);
  api.child.on('exit', (code, signal) => log.write(`API exited: ${String(code)} ${String(signal)}\n`));
  try {
    const token = await mintToken(JWT_SECRET, RHF_USERS['helse-vest'][0] as Actor);
    process.stdout.write(`API ready with ${api.ready.oppdrag} oppdrag in ${Math.round(api.readyMs)} ms\n`);
    const first = /"id":"([^"]+)"/.exec(await post(api, token, '{ oppdragList(first: 1) { nodes { id } } }'));
    const someId = first?.[1] ?? 'none';
    const aliases = (count: number, field: string): string =>
      `{ ${Array.from({ length: count }, (_, i) => `a${i}: ${field}`).join(' ')} }`;
    const attacks: Array<[string, () => Promise<string>]> = [
      [
        'alias bomb: 2,400 x oppdragList(filter: {text}) (one request)',
        () =>
          post(api, token, aliases(2400, 'oppdragList(filter: {text: "helse"}, first: 1) { totalCount }')),
      ],
      [
        'alias bomb: 2,400 x workload (one request)',
        () => post(api, token, aliases(2400, 'workload { leads }')),
      ],
      [
        'alias bomb: 2,400 x oppdragAsOf (one request)',
        () =>
          post(
            api,
            token,
            aliases(2400, `oppdragAsOf(id: "${someId}", instant: "2026-05-01T00:00:00Z") { revision }`),
          ),
      ],
      [
        'the most costly request allowed: 9 x oppdragList(filter: {text})',
        () => post(api, token, aliases(9, 'oppdragList(filter: {text: "helse"}, first: 1) { totalCount }')),
      ],
      ['the most workloads allowed: 5 x workload', () => post(api, token, aliases(5, 'workload { leads }'))],
      [
        'alias bomb under the token limit: 150 x oppdrag(id) { id title }',
        () => post(api, token, aliases(150, `oppdrag(id: "${someId}") { id title }`)),
      ],
      [
        'distinct query flood: 400 different 45 KB queries, 4 at a time',
        () => flood(api, token, (n) => distinctQuery(n, (fields) => fields.join(' ').length < 45_000)),
      ],
      [
        'distinct query flood: 400 different queries of 240 aliases (1,922 tokens, just under the default limit)',
        () => flood(api, token, (n) => distinctQuery(n + 1000, (fields) => fields.length < 240)),
      ],
      [
        'the same flood again with 400 other queries (the caches are full already)',
        () => flood(api, token, (n) => distinctQuery(n + 2000, (fields) => fields.length < 240)),
      ],
    ];
    // Optional: two letters of about 1.9 MB each, made from a real letter given as the third argument.
    const letterFile = process.argv[4];
    if (letterFile) {
      const coordinator = await mintToken(JWT_SECRET, COORDINATORS[0] as Actor);
      const one = readFileSync(letterFile, 'utf8');
      const big = one.repeat(Math.floor(1_900_000 / one.length));
      attacks.push([
        `previewLetter with two letters of ${Math.round(big.length / 1024)} KB`,
        async () => {
          const response = await fetch(`${api.url}/graphql`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${coordinator}` },
            body: JSON.stringify({
              query: 'mutation ($l: [LetterInput!]!) { previewLetter(letters: $l) { warnings } }',
              variables: { l: [{ text: big }, { text: big }] },
            }),
          });
          return `${response.status} ${(await response.text()).slice(0, 200)}`;
        },
      ]);
    }
    // A fifth argument keeps only the attacks whose name contains it.
    const only = process.argv[5];
    for (const [name, attack] of attacks.filter(([n]) => only === undefined || n.includes(only))) {
      const heapBefore = await heap.retainedMiB();
      const before = rssMiB(api);
      const probe = healthProbe(api);
      const started = performance.now();
      const outcome = await attack();
      const tookMs = performance.now() - started;
      const longestHealthMs = await probe.stop();
      const after = rssMiB(api);
      const heapAfter = await heap.retainedMiB();
      process.stdout.write(
        `${name}\n  answered in ${Math.round(tookMs)} ms: ${outcome.slice(0, 160)}\n` +
          `  longest health answer meanwhile: ${Math.round(longestHealthMs)} ms\n` +
          `  API resident memory: ${before} MiB -> ${after} MiB (${after - before >= 0 ? '+' : ''}${after - before} MiB)\n` +
          `  API heap after garbage collection: ${heapBefore} MiB -> ${heapAfter} MiB (${heapAfter - heapBefore >= 0 ? '+' : ''}${heapAfter - heapBefore} MiB)\n`,
      );
    }
  } finally {
    heap.close();
    await api.stop();
  }
}

/** Talks to the API's inspector: collects garbage and reads the heap in use afterwards. */
async function heapInspector(port: number): Promise<{ retainedMiB(): Promise<number>; close(): void }> {
  const targets = (await (await fetch(`http://127.0.0.1:${port}/json/list`)).json()) as Array<{
    webSocketDebuggerUrl: string;
  }>;
  const socket = new WebSocket(targets[0]!.webSocketDebuggerUrl);
  await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
  let nextId = 0;
  const call = (method: string): Promise<Record<string, unknown>> =>
    new Promise((resolve) => {
      const id = ++nextId;
      const onMessage = (data: WebSocket.RawData): void => {
        const message = JSON.parse(
          (Array.isArray(data) ? Buffer.concat(data) : Buffer.from(new Uint8Array(data))).toString('utf8'),
        ) as { id?: number; result?: Record<string, unknown> };
        if (message.id !== id) return;
        socket.off('message', onMessage);
        resolve(message.result ?? {});
      };
      socket.on('message', onMessage);
      socket.send(JSON.stringify({ id, method }));
    });
  return {
    retainedMiB: async () => {
      await call('HeapProfiler.collectGarbage');
      const usage = await call('Runtime.getHeapUsage');
      return Math.round(Number(usage.usedSize) / 1048576);
    },
    close: () => socket.close(),
  };
}

/** A query no other request sends: aliased fields (8 tokens each) while `more` says so. */
function distinctQuery(n: number, more: (fields: readonly string[]) => boolean): string {
  const fields: string[] = [];
  for (let i = 0; more(fields); i++) fields.push(`q${n}_${i}: me { userId name role }`);
  return `{ ${fields.join(' ')} }`;
}

/** Sends 400 distinct queries, 4 at a time, and says how many were answered with 200. */
async function flood(api: ApiProcess, token: string, query: (n: number) => string): Promise<string> {
  const answers: string[] = [];
  for (let i = 0; i < 400; i += 4) {
    const batch = [0, 1, 2, 3].map((j) => post(api, token, query(i + j)));
    answers.push(...(await Promise.all(batch)));
  }
  return `${answers.filter((a) => a.startsWith('200')).length} of 400 answered 200; first: ${answers[0]}`;
}

async function post(api: ApiProcess, token: string, query: string): Promise<string> {
  try {
    const response = await fetch(`${api.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query }),
    });
    const text = await response.text();
    return `${response.status} ${text.slice(0, 300)}`;
  } catch (error) {
    return `failed: ${String((error as Error).cause ?? error)}`;
  }
}

/** Asks /health/live every 20 ms (one at a time) and keeps the longest answer time until stopped. */
function healthProbe(api: ApiProcess): { stop(): Promise<number> } {
  let running = true;
  let longest = 0;
  const failures: string[] = [];
  const loop = (async () => {
    while (running) {
      const started = performance.now();
      try {
        await (await fetch(`${api.url}/health/live`)).arrayBuffer();
      } catch (error) {
        failures.push(String((error as Error).cause ?? error));
      }
      longest = Math.max(longest, performance.now() - started);
      await sleep(20);
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
      if (failures.length > 0)
        process.stdout.write(`  health checks that failed: ${failures.length} (${failures[0]})\n`);
      return longest;
    },
  };
}

function rssMiB(api: ApiProcess): number {
  const status = readFileSync(`/proc/${api.child.pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return Math.round(kb / 1024);
}

main().catch((error: unknown) => {
  process.stderr.write(`${String((error as Error)?.stack ?? error)}\n`);
  process.exit(1);
});
