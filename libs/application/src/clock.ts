/** The source of "now" for everything the server records. Tests and benchmarks set it. */
export interface Clock {
  /** The current instant as an ISO string. */
  now(): string;
}

export const systemClock: Clock = { now: () => new Date().toISOString() };

/** A clock that stands still until moved; for tests, demos and replays. */
export class ManualClock implements Clock {
  private ms: number;
  constructor(start: string) {
    this.ms = Date.parse(start);
    if (Number.isNaN(this.ms)) throw new RangeError(`"${start}" is not an instant`);
  }
  now(): string {
    return new Date(this.ms).toISOString();
  }
  set(instant: string): void {
    this.ms = Date.parse(instant);
  }
  advance(ms: number): void {
    this.ms += ms;
  }
  advanceDays(days: number): void {
    this.ms += days * 86_400_000;
  }
}
