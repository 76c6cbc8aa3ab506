import { setImmediate as nextTurn } from 'node:timers/promises';
import { isObjectType, type GraphQLFieldResolver, type GraphQLSchema } from 'graphql';
import { ROOT_FIELD_COSTS, type RootFieldCost } from './field-costs.js';

/**
 * Runs costly work one piece at a time and lets the event loop run (I/O, a health check, other requests)
 * whenever a slice of `sliceMs` has been used. Without it, every resolver of a request with many aliases
 * starts in one go and its work holds the event loop until all of it is done: a single request could
 * stall the server for as long as its work took.
 *
 * A piece's continuations (a fold after a read) run before the next piece starts and count in its slice,
 * unless it waits for I/O. One piece is never cut, which the per-field costs and alias caps keep short.
 */
export class Turns {
  private readonly queue: Array<() => Promise<void>> = [];
  private draining = false;
  private sliceStarted = 0;

  constructor(private readonly sliceMs = 10) {}

  /** Runs `work` in its turn; resolves or rejects with it. */
  run<T>(work: () => T | Promise<T>): Promise<T> {
    let start!: () => void;
    const result = new Promise<void>((resolve) => (start = resolve)).then(work);
    const settled = (): undefined => undefined;
    this.queue.push(() => {
      start();
      return result.then(settled, settled);
    });
    if (!this.draining) void this.drain();
    return result;
  }

  private async drain(): Promise<void> {
    this.draining = true;
    this.sliceStarted = performance.now();
    try {
      for (let next = this.queue.shift(); next; next = this.queue.shift()) {
        // A piece that settles in microtasks (in-memory or SQLite work) is finished within the slice; one
        // that waits for I/O (a network store) goes on in the background once the loop has had a turn.
        const finished = await Promise.race([next().then(() => true), nextTurn().then(() => false)]);
        if (!finished) this.sliceStarted = performance.now();
        else if (this.queue.length > 0 && performance.now() - this.sliceStarted >= this.sliceMs) {
          await letInputIn();
          this.sliceStarted = performance.now();
        }
      }
    } finally {
      this.draining = false;
    }
  }
}

/**
 * Waits until the event loop has polled for I/O once. One `setImmediate` is not enough: work started from
 * an I/O callback (a request) that schedules one runs it in the check phase of the same loop iteration,
 * before any new I/O is read; the second runs only after the next poll.
 */
async function letInputIn(): Promise<void> {
  await nextTurn();
  await nextTurn();
}

/**
 * Makes the resolvers of the root fields marked `inTurns` in the cost table take turns.
 * A schema transform, so that resolvers stay as they are.
 */
export function costlyFieldsInTurns(
  schema: GraphQLSchema,
  turns: Turns,
  costs: Readonly<Record<string, RootFieldCost>> = ROOT_FIELD_COSTS,
): GraphQLSchema {
  for (const root of [schema.getQueryType(), schema.getMutationType()]) {
    if (!root || !isObjectType(root)) continue;
    for (const field of Object.values(root.getFields())) {
      const resolve = field.resolve as GraphQLFieldResolver<unknown, unknown> | undefined;
      if (resolve === undefined || costs[`${root.name}.${field.name}`]?.inTurns !== true) continue;
      field.resolve = (source, args, context, info) => turns.run(() => resolve(source, args, context, info));
    }
  }
  return schema;
}
