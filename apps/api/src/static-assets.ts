import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

const require = createRequire(import.meta.url);
/** The folder of an installed package (each of these lets its package.json be resolved). */
const packageDir = (name: string): string => dirname(require.resolve(`${name}/package.json`));

/**
 * The browser files that come from packages, served from node_modules on the API's own origin: a
 * locked-down network reaches no CDN, and nothing is fetched while the pages run. Each route serves the
 * named files only.
 */
const GRAPHIQL_ASSETS: Readonly<Record<string, readonly [pkg: string, file: string]>> = {
  'react.production.min.js': ['react', 'umd/react.production.min.js'],
  'react-dom.production.min.js': ['react-dom', 'umd/react-dom.production.min.js'],
  'graphiql.min.js': ['graphiql', 'graphiql.min.js'],
  'graphiql.min.css': ['graphiql', 'graphiql.min.css'],
};

export interface StaticAssetsOptions {
  /** The dashboard's folder, served at `/`. */
  readonly publicDir: string;
  /** Whether GraphiQL is served at `/graphiql` (development mode). */
  readonly graphiql: boolean;
}

/**
 * The dashboard at `/`, graphql-ws's browser client at `/vendor/graphql-ws/`, and, when asked for,
 * GraphiQL at `/graphiql` with its page and script from the dashboard's `graphiql/` folder and React and
 * GraphiQL's own bundle from node_modules.
 */
export async function registerStaticAssets(
  fastify: FastifyInstance,
  options: StaticAssetsOptions,
): Promise<void> {
  await fastify.register(fastifyStatic, {
    root: options.publicDir,
    prefix: '/',
    index: ['index.html'],
    wildcard: false,
    // Type declarations and the type check's settings are for development; GraphiQL only when asked for.
    globIgnore: ['**/*.d.ts', '**/tsconfig.json', ...(options.graphiql ? [] : ['graphiql/**'])],
  });
  // graphql-ws's client and the one shared module it imports: nothing of its server.
  await fastify.register(fastifyStatic, {
    root: join(packageDir('graphql-ws'), 'dist'),
    prefix: '/vendor/graphql-ws/',
    decorateReply: false,
    wildcard: false,
    allowedPath: (path) => /^\/(client|common-[A-Za-z0-9_-]+)\.js$/.test(path),
  });
  if (!options.graphiql) return;
  // Its page and script are in the dashboard's folder, under graphiql/.
  fastify.get('/graphiql', (_request, reply) => reply.sendFile('graphiql/index.html'));
  fastify.get<{ Params: { file: string } }>('/graphiql/assets/:file', async (request, reply) => {
    const asset = GRAPHIQL_ASSETS[request.params.file];
    if (!asset) return reply.code(404).send({ message: 'not found' });
    const [pkg, file] = asset;
    return reply.sendFile(file, packageDir(pkg));
  });
}
