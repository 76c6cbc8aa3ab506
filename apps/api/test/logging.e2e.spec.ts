import 'reflect-metadata';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '#application';
import { SqliteEventStore } from '#event-store';
import { loadConfig } from '../src/config/app-config.js';
import { createApp, type CreatedApp } from '../src/create-app.js';
import { mintToken, DEMO_USERS } from '../src/auth/tokens.js';

const SECRET = 'test-secret-that-is-at-least-32-characters-long';

describe('the one logger', () => {
  let dir: string;
  let created: CreatedApp;
  const lines: Array<Record<string, unknown>> = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'oppdragsflyt-logging-'));
    const config = loadConfig({
      NODE_ENV: 'test',
      JWT_SECRET: SECRET,
      OPPDRAGSFLYT_DATA_DIR: dir,
      LOG_LEVEL: 'info',
    });
    created = await createApp({
      config,
      clock: new ManualClock('2024-05-01T10:00:00.000Z'),
      store: new SqliteEventStore({ path: join(dir, 'events.db') }),
      watch: false,
      logStream: {
        write: (line: string) => {
          lines.push(JSON.parse(line) as Record<string, unknown>);
        },
      },
    });
  });

  afterAll(async () => {
    await created.app.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("writes Nest's own messages and the request logs as pino JSON lines, and never a token", async () => {
    const token = await mintToken(SECRET, DEMO_USERS[0]!);
    await created.app.listen({ port: 0, host: '127.0.0.1' });
    const address = created.app.getHttpServer().address();
    const port = typeof address === 'object' && address ? address.port : 0;
    const response = await fetch(`http://127.0.0.1:${port}/graphql?token=${token}`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
        'x-correlation-id': 'c-1',
      },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    expect(response.status).toBe(200);

    // Nest's start-up messages, through nestjs-pino, in the same stream.
    expect(lines.some((l) => typeof l.context === 'string' && l.level === 30)).toBe(true);
    // Fastify's request log, with the correlation id and the URL without its query value.
    const request = lines.find((l) => l.reqId === 'c-1' && l.req !== undefined);
    expect(request?.req).toEqual(
      expect.objectContaining({ method: 'POST', url: '/graphql?token=[redacted]' }),
    );
    expect(
      lines.some((l) => l.reqId === 'c-1' && (l.res as { statusCode?: number })?.statusCode === 200),
    ).toBe(true);
    const text = lines.map((l) => JSON.stringify(l)).join('\n');
    expect(text).not.toContain(token);
    expect(text).not.toContain(token.split('.')[2]!);
  });
});
