import 'reflect-metadata';
import { ReadModelInUseError } from '#projections';
import { ConfigError, loadConfig } from './config/app-config.js';
import { createApp } from './create-app.js';

async function main(): Promise<void> {
  // eslint-disable-next-line no-restricted-properties -- the one place the environment is read
  const config = loadConfig(process.env);
  // Listen while the read models catch up: health answers at once, and ready (and GraphQL) once caught up.
  const { app, demoTokens, readModelsReady } = await createApp({ config, awaitReadModels: false });
  readModelsReady.catch((error: unknown) => {
    process.stderr.write(`the read models could not catch up: ${String((error as Error)?.stack ?? error)}\n`);
    process.exit(1);
  });
  await app.listen({ port: config.port, host: config.host });
  const url = `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${config.port}`;
  const lines = [`Oppdragsflyt API: ${url}/graphql (${config.mode}, ${config.store.kind} store)`];
  if (config.mode === 'development') lines.push(`GraphiQL: ${url}/graphiql   dashboard: ${url}/`);
  if (demoTokens.length > 0) {
    lines.push('Demo tokens (this start only; send as Authorization: Bearer <token>):');
    for (const { actor, token } of demoTokens)
      lines.push(`  ${actor.role.padEnd(11)} ${actor.organisationId.padEnd(16)} ${token}`);
    const coordinator = demoTokens.find(({ actor }) => actor.role === 'coordinator');
    if (coordinator) {
      // Lines that work as pasted: the coordinator's real token, not a placeholder.
      lines.push(
        `GraphiQL signed in as ${coordinator.actor.name}: ${url}/graphiql#token=${coordinator.token}`,
      );
      lines.push(
        `Try: curl -s ${url}/graphql -H 'content-type: application/json' -H 'authorization: Bearer ${coordinator.token}' \\`,
      );
      lines.push(
        `       -d '{"query":"{ overdue { totalCount oppdrag { id title lead { name } effectiveDeadline daysOverdue } } }"}'`,
      );
    }
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `${error instanceof ConfigError || error instanceof ReadModelInUseError ? error.message : String((error as Error)?.stack ?? error)}\n`,
  );
  process.exit(1);
});
