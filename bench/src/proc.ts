import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { now, sleep } from './stats.js';

/** The repository root: this file runs from dist/bench/src/. */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
export const CHILD_SCRIPT = join(REPO_ROOT, 'dist/bench/src/children/child.js');
export const API_MAIN = join(REPO_ROOT, 'dist/apps/api/src/main.js');
export const JWT_SECRET = 'benchmark-secret-that-is-at-least-32-characters';

/** Runs a child script of the benchmark and returns its JSON result and the wall time from spawn to exit. */
export function runChild<T>(
  args: readonly string[],
  script = CHILD_SCRIPT,
): Promise<{ result: T; wallMs: number }> {
  return new Promise((resolvePromise, reject) => {
    const t0 = now();
    const child = spawn(process.execPath, [script, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
      cwd: REPO_ROOT,
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      const wallMs = now() - t0;
      if (code !== 0) {
        reject(new Error(`child ${args.join(' ')} exited with ${String(code)}: ${err}`));
        return;
      }
      try {
        const line = out.trim().split('\n').pop() ?? '';
        resolvePromise({ result: JSON.parse(line) as T, wallMs });
      } catch (error) {
        reject(new Error(`child ${args.join(' ')} printed no JSON: ${out} ${err} (${String(error)})`));
      }
    });
  });
}

/** A free TCP port on the loopback interface. */
export function freePort(): Promise<number> {
  return new Promise((resolvePromise, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePromise(port));
    });
  });
}

export interface ApiProcess {
  readonly url: string;
  readonly child: ChildProcess;
  /** Milliseconds from spawn until /health/ready answered 200. */
  readonly readyMs: number;
  readonly ready: { oppdrag: number; position: string | null; problems: number };
  stop(): Promise<void>;
}

/**
 * Starts the built API (dist/apps/api/src/main.js) in production mode on 127.0.0.1 with the given store
 * and read-model files, and waits until /health/ready answers 200.
 */
export async function startApi(options: {
  eventStorePath: string;
  readModelPath: string;
  timeoutMs?: number;
  /** Extra node flags for the API process (e.g. --cpu-prof when profiling). */
  execArgv?: readonly string[];
}): Promise<ApiProcess> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const t0 = now();
  const child = spawn(process.execPath, [...(options.execArgv ?? []), API_MAIN], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      PATH: process.env.PATH ?? '',
      NODE_ENV: 'production',
      JWT_SECRET,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      OPPDRAGSFLYT_EVENT_STORE_PATH: options.eventStorePath,
      OPPDRAGSFLYT_READ_MODEL_PATH: options.readModelPath,
      // The data already holds every DeadlinePassed / MilestoneDue up to now; one watcher run at start.
      DEADLINE_WATCH_INTERVAL_MS: '86400000',
    },
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  let exited: number | null = null;
  const exit = new Promise<void>((resolveExit) =>
    child.on('exit', (code) => {
      exited = code ?? -1;
      resolveExit();
    }),
  );
  const deadline = t0 + (options.timeoutMs ?? 120_000);
  let ready: ApiProcess['ready'] | null = null;
  while (ready === null) {
    if (exited !== null)
      throw new Error(`the API exited with ${String(exited)} before it was ready: ${output}`);
    if (now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the API was not ready within ${options.timeoutMs ?? 120_000} ms: ${output}`);
    }
    try {
      const response = await fetch(`${url}/health/ready`);
      if (response.status === 200) ready = (await response.json()) as ApiProcess['ready'];
      else await response.arrayBuffer();
    } catch {
      // Not listening yet: the API listens only once its read models have caught up.
    }
    if (ready === null) await sleep(10);
  }
  const readyMs = now() - t0;
  return {
    url,
    child,
    readyMs,
    ready,
    stop: async () => {
      if (exited === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
        await exit;
        clearTimeout(timer);
      }
    },
  };
}
