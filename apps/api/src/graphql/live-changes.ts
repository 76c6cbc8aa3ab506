import type { OppdragProjector, ProjectionChange } from '#projections';

/**
 * An async iterator over the projector's live changes, for GraphQL subscriptions. It holds at most
 * `capacity` undelivered changes; a subscriber that falls further behind loses the oldest, never the server.
 */
export function liveChanges<T>(
  projector: OppdragProjector,
  select: (change: ProjectionChange) => T | undefined,
  capacity = 1000,
): AsyncIterableIterator<T> {
  const queue: T[] = [];
  let waiting: ((result: IteratorResult<T>) => void) | null = null;
  let done = false;
  const unsubscribe = projector.onChange((change) => {
    if (change.replaying || done) return;
    const value = select(change);
    if (value === undefined) return;
    if (waiting) {
      const resolve = waiting;
      waiting = null;
      resolve({ value, done: false });
      return;
    }
    queue.push(value);
    if (queue.length > capacity) queue.shift();
  });
  const finish = (): Promise<IteratorResult<T>> => {
    done = true;
    unsubscribe();
    queue.length = 0;
    if (waiting) waiting({ value: undefined, done: true });
    waiting = null;
    return Promise.resolve({ value: undefined, done: true });
  };
  return {
    next: () => {
      if (queue.length > 0) return Promise.resolve({ value: queue.shift() as T, done: false });
      if (done) return Promise.resolve({ value: undefined, done: true });
      return new Promise((resolve) => (waiting = resolve));
    },
    return: finish,
    throw: (error?: unknown) => {
      void finish();
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}
