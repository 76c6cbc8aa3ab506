// Module hooks that load the TypeScript sources in a thread outside Jest (see register.mjs): specifiers
// are mapped with Jest's own moduleNameMapper, and .ts files are compiled with Jest's own SWC options.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import swc from '@swc/core';
import jestConfig from '../../../jest.config.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const MAPPINGS = Object.entries(jestConfig.moduleNameMapper).map(([pattern, target]) => [
  new RegExp(pattern),
  target,
]);
const [, [, SWC_OPTIONS]] = Object.entries(jestConfig.transform)[0];

/** The file a mapped specifier names: as written, or with `.ts` added (Jest's resolver tries extensions). */
function fileOf(mapped, parentURL) {
  const path = mapped.startsWith('<rootDir>/')
    ? ROOT + mapped.slice('<rootDir>/'.length)
    : fileURLToPath(new URL(mapped, parentURL));
  if (existsSync(path) && !path.endsWith('/')) return path;
  if (existsSync(`${path}.ts`)) return `${path}.ts`;
  return null;
}

export async function resolve(specifier, context, next) {
  const fromSource = context.parentURL?.endsWith('.ts') ?? false;
  for (const [pattern, target] of MAPPINGS) {
    if (!pattern.test(specifier)) continue;
    if (!specifier.startsWith('#') && !fromSource) break;
    const file = fileOf(specifier.replace(pattern, target), context.parentURL);
    if (file) return { url: pathToFileURL(file).href, shortCircuit: true };
    break;
  }
  return next(specifier, context);
}

export async function load(url, context, next) {
  if (!url.startsWith('file:') || !url.endsWith('.ts')) return next(url, context);
  const filename = fileURLToPath(url);
  const { code } = swc.transformSync(readFileSync(filename, 'utf8'), { ...SWC_OPTIONS, filename });
  return { format: 'module', source: code, shortCircuit: true };
}
