import type { Position } from '#event-store';
import type { OppdragProjector } from '#projections';
import { ApiError } from '../errors/api-error.js';

/**
 * The one path of a write through the API: refused once shutdown has begun, tracked so that shutdown
 * finishes it before the store closes, and answered only once this instance's read models include what it
 * wrote (read-your-writes), within the configured time.
 */
export class Writes {
  private readonly inFlight = new Set<Promise<unknown>>();
  private accepting = true;

  constructor(
    private readonly projector: OppdragProjector,
    private readonly readYourWritesMs: number,
  ) {}

  /**
   * Runs `write`, then waits until the read models include the position it reports. `late` is the
   * message of the SERVICE_UNAVAILABLE answer when they do not catch up in time (the write stands).
   */
  async run<T>(
    write: () => Promise<T>,
    positionOf: (result: T) => Position | null | undefined,
    late: string,
  ): Promise<T> {
    if (!this.accepting)
      throw new ApiError('SERVICE_UNAVAILABLE', 'the server is shutting down; send the command again');
    const run = (async () => {
      const result = await write();
      const position = positionOf(result);
      if (position) {
        try {
          await this.projector.waitFor(position, this.readYourWritesMs);
        } catch {
          throw new ApiError('SERVICE_UNAVAILABLE', late);
        }
      }
      return result;
    })();
    this.inFlight.add(run);
    try {
      return await run;
    } finally {
      this.inFlight.delete(run);
    }
  }

  /** Refuses new writes from now on. */
  close(): void {
    this.accepting = false;
  }

  /** Settles when every write in flight has finished. */
  async drain(): Promise<void> {
    await Promise.allSettled([...this.inFlight]);
  }
}
