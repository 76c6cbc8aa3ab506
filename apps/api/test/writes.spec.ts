import type { Position } from '#event-store';
import type { OppdragProjector } from '#projections';
import { ApiError } from '../src/errors/api-error.js';
import { Writes } from '../src/infrastructure/writes.js';

/** A projector that has caught up to the positions released so far. */
function fakeProjector() {
  const waiting: Array<{ position: Position; resolve: () => void; reject: (e: Error) => void }> = [];
  let head = -1n;
  const projector = {
    waitFor(position: Position, timeoutMs: number): Promise<void> {
      if (position.commit <= head) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('timed out')), timeoutMs);
        waiting.push({
          position,
          resolve: () => {
            clearTimeout(timer);
            resolve();
          },
          reject,
        });
      });
    },
  };
  return {
    projector: projector as unknown as OppdragProjector,
    catchUpTo(commit: bigint) {
      head = commit;
      for (const w of waiting.splice(0)) {
        if (w.position.commit <= head) w.resolve();
        else waiting.push(w);
      }
    },
  };
}

const at = (commit: bigint): Position => ({ commit, prepare: commit });

describe('Writes: the one path of a write', () => {
  it('answers once the read models include what the write stored', async () => {
    const { projector, catchUpTo } = fakeProjector();
    const writes = new Writes(projector, 1000);
    let answered = false;
    const run = writes
      .run(
        () => Promise.resolve({ position: at(7n) }),
        (r) => r.position,
        'late',
      )
      .then((r) => {
        answered = true;
        return r;
      });
    await new Promise((r) => setTimeout(r, 20));
    expect(answered).toBe(false);
    catchUpTo(7n);
    await expect(run).resolves.toEqual({ position: at(7n) });
  });

  it('answers SERVICE_UNAVAILABLE with its message when the read models do not catch up in time', async () => {
    const writes = new Writes(fakeProjector().projector, 30);
    const refusal = await writes
      .run(
        () => Promise.resolve({ position: at(3n) }),
        (r) => r.position,
        'recorded, not yet shown',
      )
      .catch((e: unknown) => e);
    expect(refusal).toBeInstanceOf(ApiError);
    expect(refusal).toMatchObject({ code: 'SERVICE_UNAVAILABLE', message: 'recorded, not yet shown' });
  });

  it('does not wait when the write stored nothing', async () => {
    const writes = new Writes(fakeProjector().projector, 10_000);
    await expect(
      writes.run(
        () => Promise.resolve(null),
        () => null,
        'late',
      ),
    ).resolves.toBeNull();
  });

  it('refuses new writes once closed, without running them, and drains those in flight', async () => {
    const { projector, catchUpTo } = fakeProjector();
    const writes = new Writes(projector, 1000);
    const inFlight = writes.run(
      () => Promise.resolve({ position: at(2n) }),
      (r) => r.position,
      'late',
    );
    writes.close();
    let ran = false;
    const refused = await writes
      .run(
        () => {
          ran = true;
          return Promise.resolve(null);
        },
        () => null,
        'late',
      )
      .catch((e: unknown) => e);
    expect(ran).toBe(false);
    expect(refused).toMatchObject({
      code: 'SERVICE_UNAVAILABLE',
      message: expect.stringMatching(/shutting down/),
    });
    let drained = false;
    const drain = writes.drain().then(() => (drained = true));
    await new Promise((r) => setTimeout(r, 20));
    expect(drained).toBe(false);
    catchUpTo(2n);
    await drain;
    await expect(inFlight).resolves.toEqual({ position: at(2n) });
  });
});
