import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileForChild } from '../../event-store/test/support/compile-for-child.js';
import { ReadModelInUseError, ReadModelStore } from '../src/index.js';

const here = dirname(fileURLToPath(import.meta.url));
/** Starts a process that holds the lock of `path`, resolved once it says it does. */
function holder(script: string, path: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, [script, path], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolvePromise, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      if (chunk.toString().startsWith('locked')) resolvePromise(child);
    });
    child.on('exit', (code) => reject(new Error(`the holder exited with ${String(code)}: ${stderr}`)));
  });
}

function killed(child: ChildProcess): Promise<void> {
  return new Promise((resolvePromise) => {
    child.on('exit', () => resolvePromise());
    child.kill('SIGKILL');
  });
}

describe('one read-model file, one instance', () => {
  let dir: string;
  let script: string;
  const children: ChildProcess[] = [];
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'oppdragsflyt-lock-'));
    script = compileForChild(join(here, 'support/lock-holder.ts'), [join(here, '../src/read-model-lock.ts')]);
  });
  afterAll(() => {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses a second process on the same file, naming the file and the process that holds it', async () => {
    const path = join(dir, 'shared.db');
    const other = await holder(script, path);
    children.push(other);
    let refused: unknown;
    try {
      new ReadModelStore(path).close();
    } catch (error) {
      refused = error;
    }
    expect(refused).toBeInstanceOf(ReadModelInUseError);
    expect((refused as Error).message).toContain(path);
    expect((refused as Error).message).toContain(`process ${other.pid}`);
    expect((refused as Error).message).toContain('OPPDRAGSFLYT_READ_MODEL_PATH');
    await killed(other);
  });

  it('a lock left by a killed process does not stop the next start', async () => {
    const path = join(dir, 'killed.db');
    await killed(await holder(script, path));
    const readModels = new ReadModelStore(path);
    expect(readModels.checkpoint()).toBeNull();
    // And while this process holds it, another is refused; once closed, another may take it.
    await expect(holder(script, path)).rejects.toThrow(/in use by another running instance/);
    readModels.close();
    const next = await holder(script, path);
    children.push(next);
    await killed(next);
  });

  it('another file is not locked, and one process may open its own file more than once', () => {
    const a = new ReadModelStore(join(dir, 'a.db'));
    const b = new ReadModelStore(join(dir, 'b.db'));
    const again = new ReadModelStore(join(dir, 'a.db'));
    expect(again.checkpoint()).toBeNull();
    again.close();
    a.close();
    b.close();
  });
});
