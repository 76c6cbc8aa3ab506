/** The benchmark's figures and how they are printed: one markdown table, ours against its reference. */

export type Unit = 'events/s' | 'commands/s' | 'req/s' | 'mutations/s' | 'ms' | 'MiB' | '×' | 'count';

export interface Figure {
  /** A stable key, e.g. `replay.eventsPerS.1000000`. */
  readonly key: string;
  readonly section: string;
  readonly figure: string;
  readonly ours: number;
  readonly unit: Unit;
  /** The reference measured in the same run on the same data. */
  readonly reference: number;
  readonly referenceUnit?: Unit;
  readonly referenceLabel: string;
  /** Text shown instead of the number (e.g. "0 lost, 0 duplicated"). */
  readonly oursText?: string;
  readonly referenceText?: string;
}

export interface Target {
  readonly target: string;
  readonly met: boolean;
  readonly measured: string;
}

const thousands = (value: number, digits = 0): string =>
  value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

export function formatValue(value: number, unit: Unit): string {
  if (!Number.isFinite(value)) return 'n/a';
  switch (unit) {
    case 'ms':
      return `${thousands(value, value < 10 ? 2 : value < 100 ? 1 : 0)} ms`;
    case 'MiB':
      return `${thousands(value, 0)} MiB`;
    case '×':
      return `${thousands(value, 2)}×`;
    case 'count':
      return thousands(value, 0);
    default:
      return `${thousands(value, 0)} ${unit}`;
  }
}

/** Ours divided by the reference. */
export function ratioOf(figure: Figure): number {
  return figure.reference > 0 ? figure.ours / figure.reference : Number.NaN;
}

export function formatRatio(figure: Figure): string {
  if (figure.oursText !== undefined && figure.unit === 'count') return '—';
  const ratio = ratioOf(figure);
  return Number.isFinite(ratio) ? `${thousands(ratio, ratio < 0.1 ? 3 : 2)}×` : '—';
}

const cell = (text: string): string => text.replace(/\|/g, '\\|');

/** The table: figure, ours, reference (with what it is), and ours ÷ reference. */
export function markdownTable(figures: readonly Figure[]): string {
  const lines = [
    '| Figure | Ours | Reference (same run, same data) | Ratio (ours ÷ ref.) |',
    '|---|---:|---|---:|',
  ];
  for (const f of figures) {
    const ours = f.oursText ?? formatValue(f.ours, f.unit);
    const reference = `${f.referenceText ?? formatValue(f.reference, f.referenceUnit ?? f.unit)} — ${f.referenceLabel}`;
    lines.push(`| ${cell(f.figure)} | ${cell(ours)} | ${cell(reference)} | ${formatRatio(f)} |`);
  }
  return lines.join('\n');
}

export function targetList(targets: readonly Target[]): string {
  return targets
    .map((t) => `- ${t.met ? '**met**' : '**not met**'}: ${t.target} — measured ${t.measured}`)
    .join('\n');
}

/** A size as people say it: 10k, 100k, 1M. */
export function sizeLabel(size: number): string {
  if (size >= 1_000_000 && size % 1_000_000 === 0) return `${size / 1_000_000}M`;
  if (size >= 1000 && size % 1000 === 0) return `${size / 1000}k`;
  return String(size);
}
