import type { Pragmas } from '../raw.js';
import { sizeLabel, type Figure, type Unit } from '../report.js';
import { perSecond } from '../stats.js';
import type { AggregateResult } from '../suites/aggregate.js';
import type { PeerResults, PeerStore } from './run.js';
import { MAX_FAILURES, type PeerMeasured } from './workloads.js';

const thousands = (n: number): string => Math.round(n).toLocaleString('en-US');

function storeName(store: PeerStore, peers: PeerResults): string {
  const v = peers.versions;
  return store === 'sqlite'
    ? `Emmett on SQLite (emmett-sqlite ${v['@event-driven-io/emmett-sqlite'] ?? '?'}, sqlite3 ${v.sqlite3 ?? '?'})`
    : `Emmett on PostgreSQL ${peers.postgres?.version ?? ''} (emmett-postgresql ${v['@event-driven-io/emmett-postgresql'] ?? '?'}, pg ${v.pg ?? '?'})`;
}

/** At most this share of refused appends still gives a rate worth a ratio (the refusals are named). */
const TOLERATED_FAILURES = 0.05;

/** Emmett's side of a rate: its figure, or, where its appends failed, what happened instead. */
function peerRate(m: PeerMeasured, unit: Unit): Pick<Figure, 'reference' | 'referenceText'> {
  const rate = perSecond(m.count, m.ms);
  if (m.failed === 0) return { reference: rate };
  const error = (m.firstError ?? 'unknown error').replace(/\s+/g, ' ').slice(0, 120);
  const attempts = m.count + m.failed;
  const failures = `${m.failed.toLocaleString('en-US')} of ${attempts.toLocaleString('en-US')} failed, first: ${error}`;
  if (m.failed <= attempts * TOLERATED_FAILURES)
    return { reference: rate, referenceText: `${thousands(rate)} ${unit} (${failures})` };
  return {
    reference: Number.NaN,
    referenceText: `fails: ${failures}${m.failed >= MAX_FAILURES ? ' (stopped there)' : ''}; ${thousands(rate)} ${unit} for the ${m.count.toLocaleString('en-US')} done`,
  };
}

const WORKLOADS = [
  ['singleSequential', 'single-event appends, sequential, each durable on return', 'events/s'],
  ['singleConcurrent', 'single-event appends, {n} in flight, each durable on return', 'events/s'],
  ['commandsSequential', 'commands (read, fold, decide, append), sequential', 'commands/s'],
  ['commandsConcurrent', 'commands, {n} in flight', 'commands/s'],
] as const;

/**
 * The peer rows: ours (the project's figure from this run) against Emmett's on the same data, so that
 * the ratio says how many times the project's rate is Emmett's (for times, lower is better).
 */
export function peerFigures(
  peers: PeerResults,
  ours: readonly Figure[],
  aggregate: AggregateResult | null,
  inFlight: number,
): Figure[] {
  const get = (key: string): number => ours.find((f) => f.key === key)?.ours ?? Number.NaN;
  const out: Figure[] = [];
  for (const r of peers.sizes) {
    const s = sizeLabel(r.size);
    const name = storeName(r.store, peers);
    for (const [key, what, unit] of WORKLOADS) {
      // A run limited with --suites may not have measured the project's side of a row.
      if (!Number.isFinite(get(`append.${key}.${r.size}`))) continue;
      out.push({
        key: `peers.${r.store}.${key}.${r.size}`,
        section: 'peers',
        figure: `[${s}] Ours vs Emmett on ${r.store === 'sqlite' ? 'SQLite' : 'PostgreSQL'}: ${what.replace('{n}', String(inFlight))}`,
        ours: get(`append.${key}.${r.size}`),
        unit,
        ...peerRate(r.appends[key], unit),
        referenceLabel: `${name}, same events, the project's decide/evolve`,
      });
    }
    const fold = peers.ours.find((o) => o.size === r.size)?.fold;
    out.push({
      key: `peers.${r.store}.fold.${r.size}`,
      section: 'peers',
      figure: `[${s}] Ours vs Emmett on ${r.store === 'sqlite' ? 'SQLite' : 'PostgreSQL'}: full replay fold (every event in global order, evolve per stream)`,
      ours: fold ? perSecond(fold.events, fold.ms) : Number.NaN,
      unit: 'events/s',
      reference: perSecond(r.fold.events, r.fold.ms),
      referenceLabel: `${name}, readMessagesBatch of 5,000, the project's decoder and evolve`,
    });
  }
  for (const l of peers.longStream) {
    if (!aggregate) continue; // the project's side of the row is the aggregate suite's figure
    out.push({
      key: `peers.${l.store}.longStream`,
      section: 'peers',
      figure: `Ours vs Emmett on ${l.store === 'sqlite' ? 'SQLite' : 'PostgreSQL'}: one stream of ${l.events.toLocaleString('en-US')} events, read + fold + decide (median of ${aggregate.runs})`,
      ours: aggregate.loadDecideMs,
      unit: 'ms',
      reference: l.ms,
      referenceLabel: `${storeName(l.store, peers)}, aggregateStream, the project's evolve and decide`,
    });
  }
  return out;
}

const SYNCHRONOUS = ['OFF', 'NORMAL', 'FULL', 'EXTRA'];

/** What makes the comparison unfair, from this run's own settings. */
export function peerDifferences(
  peers: PeerResults,
  pragmas: Pragmas | undefined,
  inFlight: number,
): string[] {
  const ourPragmas = Object.entries(pragmas ?? {})
    .map(([k, v]) => `${k}=${String(v)}`)
    .join(', ');
  const emmettSync = peers.sizes.find((r) => r.store === 'sqlite')?.synchronous;
  const lines = [
    `Durability. Ours: better-sqlite3 with ${ourPragmas}. Emmett on SQLite: journal_mode=wal (set by Emmett), synchronous=${emmettSync === undefined ? 'n/a' : (SYNCHRONOUS[emmettSync] ?? String(emmettSync))} (the sqlite3 build's default; Emmett sets none).` +
      (peers.postgres
        ? ` Emmett on PostgreSQL ${peers.postgres.version}: a fresh cluster with the server's defaults (${peers.postgres.durability}), data in the machine's temporary folder.`
        : ''),
    `Batching. Ours: appends that arrive while a commit is being made share the next commit (group commit), each still durable when its promise resolves. Emmett on SQLite: one transaction (BEGIN IMMEDIATE … COMMIT) per append. Emmett on PostgreSQL: one transaction per append; the server may flush the WAL of concurrent commits together.`,
    `Connection handling. Ours: one in-process write connection, synchronous (better-sqlite3). Emmett on SQLite: a new sqlite3 connection opened (and WAL set) for every operation and closed after it, no busy timeout, so appends ${inFlight} in flight meet SQLITE_BUSY. Emmett on PostgreSQL: node-postgres pool over TCP on 127.0.0.1 to a server process that can use the second core.`,
    `Commands. Ours: the handler keeps the folded state of up to 10,000 oppdrag and decides a command on one of them without reading the stream, appending at the kept revision (reading, deciding and appending again when the store refuses that); Emmett's CommandHandler reads and folds the whole stream for every command. Both run the project's decide and evolve and store the same type, payload and metadata.`,
    `Reads. The long stream: ours is loadOppdrag (readStream + decode + fold), no cached state; Emmett is aggregateStream. The full fold: ours reads with readAll in batches of 5,000, Emmett with readMessagesBatch of 5,000; both fold every stream into a map with the project's decoder and evolve.`,
    `Data. Emmett's stores are filled with the project's stored events, per stream (SQLite: about 1,000 events per commit on one connection; PostgreSQL: one transaction per stream, 16 in flight), then measured on the same single events and lifecycles as ours. Emmett's global order is therefore grouped by stream; the event count is the same.`,
  ];
  return lines;
}
