/**
 * The dependency rules in `.dependency-cruiser.cjs` can fail: a small tree of fixture files breaks each rule
 * on purpose (spec files and bench included), and dependency-cruiser, run with the project's own config,
 * must report exactly those violations and nothing for the imports the rules allow.
 */
import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Files the rules allow: the legitimate shape of each layer. */
const allowed: Record<string, string> = {
  'libs/domain/src/index.ts': 'export const decide = 1;\n',
  'libs/event-store/src/index.ts': 'export const store = 1;\n',
  'libs/application/src/index.ts':
    "export * from './command-handler.js';\nexport * from './stored-events.js';\n",
  'libs/application/src/command-handler.ts':
    "import { decide } from '#domain';\nimport { store } from '#event-store';\nexport const handle = decide + store;\n",
  'libs/application/src/stored-events.ts':
    "import { decide } from '#domain';\nexport const decode = decide;\n",
  'libs/projections/src/index.ts':
    "import { decode } from '#application/stored-events.js';\nexport const project = decode;\n",
  'libs/projections/test/projector.spec.ts':
    "import { handle } from '#application';\nimport { anOppdrag } from '#testing';\nexport const given = handle + anOppdrag;\n",
  'libs/testing/src/index.ts': "import { decide } from '#domain';\nexport const anOppdrag = decide;\n",
  'libs/reports/src/index.ts':
    "import { decide } from '#domain';\nimport { project } from '#projections';\nexport const report = decide + project;\n",
  'apps/api/src/main.ts':
    "import '@nestjs/common';\nimport { handle } from '#application';\nimport { project } from '#projections';\nexport const api = handle + project;\n",
  'apps/api/test/api.spec.ts':
    "import { api } from '../src/main.js';\nimport { anOppdrag } from '#testing';\nexport const t = api + anOppdrag;\n",
  'apps/cli/src/main.ts': "import { handle } from '#application';\nexport const cli = handle;\n",
  'bench/src/main.ts': "import { handle } from '#application';\nexport const bench = handle;\n",
};

/** One or more files per rule, each breaking it; the expected violations as `rule from-file`. */
const breaking: Record<string, { readonly source: string; readonly breaks: readonly string[] }> = {
  'libs/domain/src/reads-the-store.ts': {
    source: "import { store } from '#event-store';\nexport const x = store;\n",
    breaks: ['domain-is-pure'],
  },
  'libs/domain/test/decider.spec.ts': {
    source: "import { handle } from '#application';\nexport const x = handle;\n",
    breaks: ['domain-is-pure'],
  },
  'libs/domain/src/reads-files.ts': {
    source: "import { readFileSync } from 'node:fs';\nexport const x = readFileSync;\n",
    breaks: ['domain-uses-no-node-io'],
  },
  'libs/event-store/src/knows-the-domain.ts': {
    source: "import { decide } from '#domain';\nexport const x = decide;\n",
    breaks: ['event-store-knows-no-product'],
  },
  'libs/letters/src/stores.ts': {
    source: "import { store } from '#event-store';\nexport const x = store;\n",
    breaks: ['letters-is-pure-extraction'],
  },
  'libs/event-store/test/uses-the-api.spec.ts': {
    source: "import { api } from '../../../apps/api/src/main.js';\nexport const x = api;\n",
    breaks: ['event-store-knows-no-product', 'libs-never-import-apps'],
  },
  'libs/projections/src/through-the-barrel.ts': {
    source: "import { handle } from '#application';\nexport const x = handle;\n",
    breaks: ['projections-do-not-issue-commands'],
  },
  'libs/projections/src/straight-to-the-handler.ts': {
    source: "import { handle } from '../../application/src/command-handler.js';\nexport const x = handle;\n",
    breaks: ['projections-do-not-issue-commands'],
  },
  'libs/reports/src/reads-the-store.ts': {
    source: "import { store } from '#event-store';\nexport const x = store;\n",
    breaks: ['reports-only-write-read-models'],
  },
  'libs/projections/src/writes-files.ts': {
    source: "import { report } from '#reports';\nexport const x = report;\n",
    breaks: ['reports-is-above-the-libs'],
  },
  'libs/application/src/nest-module.ts': {
    source: "import { Module } from '@nestjs/common';\nexport const x = Module;\n",
    breaks: ['nestjs-only-in-apps'],
  },
  'libs/projections/src/nest-handler.ts': {
    source: "import { EventsHandler } from '@nestjs/cqrs';\nexport const x = EventsHandler;\n",
    breaks: ['nestjs-only-in-apps'],
  },
  'apps/api/src/seeds-with-fixtures.ts': {
    source: "import { anOppdrag } from '#testing';\nexport const x = anOppdrag;\n",
    breaks: ['testing-only-in-tests'],
  },
  'apps/cli/src/uses-test-support.ts': {
    source: "import { t } from '../../api/test/api.spec.js';\nexport const x = t;\n",
    breaks: ['testing-only-in-tests', 'apps-are-independent'],
  },
  'bench/src/fixtures.ts': {
    source: "import { anOppdrag } from '#testing';\nexport const x = anOppdrag;\n",
    breaks: ['testing-only-in-tests'],
  },
  'apps/api/src/measured.ts': {
    source: "import { bench } from '../../../bench/src/main.js';\nexport const x = bench;\n",
    breaks: ['nothing-imports-bench'],
  },
  'apps/api/test/drives-the-cli.spec.ts': {
    source: "import { cli } from '../../cli/src/main.js';\nexport const x = cli;\n",
    breaks: ['apps-are-independent'],
  },
  'bench/src/ping.ts': {
    source: "import { pong } from './pong.js';\nexport const ping = (): number => pong();\n",
    breaks: ['no-circular'],
  },
  // dependency-cruiser reports a cycle once, from the module where it first meets it.
  'bench/src/pong.ts': {
    source: "import { ping } from './ping.js';\nexport const pong = (): number => ping();\n",
    breaks: [],
  },
};

interface Violation {
  readonly from: string;
  readonly rule: { readonly name: string };
}

/** Writes the files into a scratch project that shares the real config, package imports and node_modules. */
function scratchProject(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'dependency-rules-'));
  for (const name of ['package.json', 'tsconfig.json', '.dependency-cruiser.cjs']) {
    cpSync(join(root, name), join(dir, name));
  }
  symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'), 'dir');
  for (const [path, source] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), source);
  }
  return dir;
}

async function violationsIn(files: Record<string, string>): Promise<string[]> {
  const dir = scratchProject(files);
  try {
    const bin = join(root, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs');
    const args = [
      bin,
      'apps',
      'libs',
      'bench',
      '--config',
      '.dependency-cruiser.cjs',
      '--output-type',
      'json',
    ];
    // depcruise exits non-zero when it finds violations; the JSON on stdout is what is checked.
    const output = await promisify(execFile)(process.execPath, args, { cwd: dir, maxBuffer: 16 << 20 }).catch(
      (error: { stdout?: string }) => ({ stdout: error.stdout ?? '' }),
    );
    const result = JSON.parse(output.stdout) as { summary: { violations: Violation[] } };
    return [...new Set(result.summary.violations.map((v) => `${v.rule.name} ${v.from}`))].sort();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('the dependency rules', () => {
  it('allow the layers their legitimate imports, spec files and bench included', async () => {
    expect(await violationsIn(allowed)).toEqual([]);
  });

  it('report every rule when it is broken, and nothing else', async () => {
    const files = { ...allowed };
    for (const [path, { source }] of Object.entries(breaking)) files[path] = source;
    const expected = Object.entries(breaking)
      .flatMap(([path, { breaks }]) => breaks.map((rule) => `${rule} ${path}`))
      .sort();

    expect(await violationsIn(files)).toEqual(expected);
  });

  it('has a breaking fixture for every rule in the config', async () => {
    const config = (await import(join(root, '.dependency-cruiser.cjs'))) as {
      default: { forbidden: { name: string }[] };
    };
    const broken = new Set(Object.values(breaking).flatMap((b) => b.breaks));
    expect(config.default.forbidden.map((r) => r.name).filter((name) => !broken.has(name))).toEqual([]);
  });
});
