import { transformFileSync } from '@swc/core';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');

/**
 * Transpiles one script and the sources it imports (by default the event store's) into a folder under
 * node_modules/.cache, so that a child process can run them with plain `node` (Node 20 cannot run
 * TypeScript). Returns the script's path.
 */
export function compileForChild(
  scriptPath: string,
  imported: readonly string[] = eventStoreSources(),
): string {
  const out = join(repoRoot, 'node_modules/.cache/oppdragsflyt-child', String(process.pid));
  const sources = [...imported, scriptPath];
  for (const source of sources) {
    const { code } = transformFileSync(source, {
      jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
      module: { type: 'es6' },
    });
    const target = join(out, relative(repoRoot, source)).replace(/\.ts$/, '.js');
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, code);
  }
  return join(out, relative(repoRoot, scriptPath)).replace(/\.ts$/, '.js');
}

function eventStoreSources(): string[] {
  return readdirSync(join(repoRoot, 'libs/event-store/src'))
    .filter((f) => f.endsWith('.ts'))
    .map((f) => join(repoRoot, 'libs/event-store/src', f));
}
