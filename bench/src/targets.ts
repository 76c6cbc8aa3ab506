import type { Profile } from './profile.js';
import { ratioOf, sizeLabel, type Figure, type Target } from './report.js';
import type { SizeResult } from './run/size.js';

const fmt = (n: number, digits = 0): string =>
  n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

type Lookup = (key: string) => Figure | undefined;

function replayTargets(results: readonly SizeResult[], get: Lookup, note: string): Target[] {
  const out: Target[] = [];
  for (const r of results) {
    const f = get(`replay.eventsPerS.${r.size}`);
    if (!f) continue;
    out.push({
      target: `[${sizeLabel(r.size)}] replay ≥ 250,000 events/s and ≥ 0.5 of the raw scan + parse ceiling${note}`,
      met: f.ours >= 250_000 && ratioOf(f) >= 0.5,
      measured: `${fmt(f.ours)} events/s, ${fmt(ratioOf(f), 2)} of ${fmt(f.reference)}`,
    });
  }
  const lin = get('replay.linearity');
  if (lin) {
    out.push({
      target: `replay cost per event at the largest size ≤ 1.5× that at the smallest${note}`,
      met: lin.ours <= 1.5,
      measured: `${fmt(lin.ours, 2)}×`,
    });
  }
  return out;
}

/** The targets judged at the largest size: appends, commands, start-up and memory. */
function largestSizeTargets(big: SizeResult, get: Lookup, profile: Profile, note: string): Target[] {
  const out: Target[] = [];
  const key = (name: string): string => `${name}.${big.size}`;
  const s = sizeLabel(big.size);
  const inFlight = `${profile.appends.inFlight} in flight`;
  const commands = {
    goal: 5000,
    what: 'commands/s through the handler on the embedded store',
    unit: 'commands/s',
  };
  const singles = { goal: 20_000, what: 'single-event durable appends/s', unit: 'events/s' };
  const rates = [
    { name: 'append.commandsSequential', label: 'sequential', ...commands },
    { name: 'append.commandsConcurrent', label: inFlight, ...commands },
    { name: 'append.singleSequential', label: 'sequential', ...singles },
    { name: 'append.singleConcurrent', label: inFlight, ...singles },
  ];
  for (const rate of rates) {
    const f = get(key(rate.name));
    if (!f) continue;
    out.push({
      target: `[${s}] ≥ ${fmt(rate.goal)} ${rate.what}, ${rate.label}${note}`,
      met: f.ours >= rate.goal,
      measured: `${fmt(f.ours)} ${rate.unit}`,
    });
  }
  for (const kind of ['warm', 'cold'] as const) {
    const f = get(`startup.${kind}.${big.size}`);
    if (f) {
      out.push({
        target: `[${s}] start-up to ready ≤ 5 s, ${kind}${note}`,
        met: f.ours <= 5000,
        measured: `${fmt(f.ours / 1000, 2)} s`,
      });
    }
  }
  const rss = get(`replay.peakRss.${big.size}`);
  if (rss) {
    out.push({
      target: `[${s}] peak memory of the replay ≤ 1 GiB${note}`,
      met: rss.ours <= 1024,
      measured: `${fmt(rss.ours)} MiB`,
    });
  }
  const apiRss = get(`startup.coldPeakRss.${big.size}`);
  if (apiRss && Number.isFinite(apiRss.ours)) {
    out.push({
      target: `[${s}] peak memory of the API after a cold start ≤ 1 GiB${note}`,
      met: apiRss.ours <= 1024,
      measured: `${fmt(apiRss.ours)} MiB`,
    });
  }
  return out;
}

function loadTargets(loaded: SizeResult, get: Lookup, profile: Profile): Target[] {
  const out: Target[] = [];
  const s = sizeLabel(loaded.size);
  const loadNote = profile.name === 'quick' ? ' (quick run: short load, small size)' : '';
  for (const [key, name] of [
    ['overdue', 'overdue list'],
    ['whoLeadsWhat', 'who leads what'],
    ['page', 'filtered page'],
  ] as const) {
    const rps = get(`query.${key}.rps.${loaded.size}`);
    const p99 = get(`query.${key}.p99.${loaded.size}`);
    if (!rps || !p99) continue;
    out.push({
      target: `[${s}] ${name} ≥ 2,000 requests/s with p99 ≤ 25 ms${key === 'page' ? ' (no target set; same bar shown)' : ''}${loadNote}`,
      met: rps.ours >= 2000 && p99.ours <= 25,
      measured: `${fmt(rps.ours)} req/s, p99 ${fmt(p99.ours)} ms`,
    });
  }
  const m = loaded.load!.mutations;
  out.push({
    target: `[${s}] mutations ≥ 1,000/s with p99 ≤ 50 ms${loadNote}`,
    met: m.rps >= 1000 && m.p99 <= 50,
    measured: `${fmt(m.rps)}/s, p99 ${fmt(m.p99)} ms`,
  });
  out.push({
    target: `[${s}] zero lost or duplicated events after the mutation load`,
    met: m.lost === 0 && m.duplicated === 0 && m.acknowledged > 0,
    measured: `${m.lost} lost, ${m.duplicated} duplicated, ${m.unacknowledged} events from unacknowledged requests, ${m.acknowledged} acknowledged`,
  });
  return out;
}

/** The product's targets, each judged on the figures of this run. */
export function targets(results: readonly SizeResult[], list: readonly Figure[], profile: Profile): Target[] {
  const get: Lookup = (key) => list.find((f) => f.key === key);
  const note = profile.name === 'quick' ? ' (quick run: small sizes, not the target sizes)' : '';
  const big = results[results.length - 1];
  const loaded = results.find((r) => r.load);
  return [
    ...replayTargets(results, get, note),
    ...(big ? largestSizeTargets(big, get, profile, note) : []),
    ...(loaded ? loadTargets(loaded, get, profile) : []),
  ];
}
