/**
 * A child process that appends to an embedded store until it is killed or has written its share.
 * argv: <db path> <mode: crash|share> <writer id> <count>
 *   crash: appends batches of three events to its own streams as fast as it can, printing progress.
 *   share: appends `count` single events to one shared stream, re-reading and retrying on conflict.
 */
import { randomUUID } from 'node:crypto';
import { SqliteEventStore } from '../../src/sqlite-event-store.js';

const [path, mode, writer, countText] = process.argv.slice(2) as [string, string, string, string];
const store = new SqliteEventStore({ path, busyTimeoutMs: 10_000 });
const meta = () => ({ recordedAt: new Date().toISOString(), writer });
const one = (data: Record<string, unknown>) => ({
  id: randomUUID(),
  type: 'ThingHappened',
  data,
  metadata: meta(),
});

async function crash(): Promise<void> {
  const revisions = new Map<string, number>();
  for (let n = 0; ; n++) {
    const stream = `oppdrag-crash-${n % 7}`;
    const batchId = randomUUID();
    const rev = revisions.get(stream);
    const result = await store.appendToStream(
      stream,
      [0, 1, 2].map((part) => one({ batchId, part, n, padding: 'x'.repeat(500) })),
      { expectedRevision: rev === undefined ? 'no_stream' : rev },
    );
    revisions.set(stream, result.nextExpectedRevision);
    if (n % 50 === 0) process.stdout.write(`appended ${n}\n`);
  }
}

async function share(count: number): Promise<void> {
  const stream = 'oppdrag-shared';
  for (let n = 0; n < count; n++) {
    const event = one({ writer, n });
    for (;;) {
      const read = await store.readStream(stream);
      try {
        await store.appendToStream(stream, [event], {
          expectedRevision: read.length === 0 ? 'no_stream' : read.length - 1,
        });
        break;
      } catch (error) {
        if ((error as { code?: string }).code !== 'CONFLICT') throw error;
      }
    }
  }
  await store.close();
  process.stdout.write('done\n');
}

(mode === 'crash' ? crash() : share(Number(countText))).catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
