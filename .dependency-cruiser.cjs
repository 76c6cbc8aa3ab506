/**
 * The direction of dependencies: domain <- (event-store, letters) <- (application, projections) <- reports
 * <- apps.
 * `npm run lint` checks apps, libs and bench, spec files included, and fails when a rule is broken;
 * `test/dependency-rules.spec.ts` breaks every rule on purpose and expects each to be reported.
 */
const TEST_CODE = '(\\.spec\\.ts$|/test/|^libs/testing/)';

module.exports = {
  forbidden: [
    {
      name: 'domain-is-pure',
      comment:
        'libs/domain holds pure types and functions: no framework, store client, validator or other lib.',
      severity: 'error',
      from: { path: '^libs/domain/' },
      to: {
        pathNot: ['^libs/domain/', '^node_modules/@types/'],
        dependencyTypesNot: ['core'],
      },
    },
    {
      name: 'domain-uses-no-node-io',
      severity: 'error',
      from: { path: '^libs/domain/' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'event-store-knows-no-product',
      comment: 'The store is generic: it does not know the oppdrag model or the layers above it.',
      severity: 'error',
      from: { path: '^libs/event-store/' },
      to: { path: '^(libs/(domain|application|projections|letters)|apps)/' },
    },
    {
      name: 'letters-is-pure-extraction',
      severity: 'error',
      from: { path: '^libs/letters/' },
      to: { path: '^(libs/(event-store|application|projections)|apps)/|(^|/)node_modules/@nestjs' },
    },
    {
      name: 'libs-never-import-apps',
      severity: 'error',
      from: { path: '^libs/' },
      to: { path: '^apps/' },
    },
    {
      name: 'projections-do-not-issue-commands',
      comment:
        'Projections read events: from the application they import only the stored-event decoder ' +
        '(`#application/stored-events.js`), never the barrel, which re-exports the command handler.',
      severity: 'error',
      from: { path: '^libs/projections/src/' },
      to: { path: '^libs/application/', pathNot: '^libs/application/src/stored-events\\.ts$' },
    },
    {
      name: 'nestjs-only-in-apps',
      comment:
        'The libraries are framework-free: NestJS (and the GraphQL and HTTP stack under it) belongs in apps/.',
      severity: 'error',
      from: { path: '^libs/' },
      to: {
        path: '(^|/)node_modules/(@nestjs|@fastify|fastify|mercurius|graphql|class-validator|class-transformer)(/|$)',
      },
    },
    {
      name: 'testing-only-in-tests',
      comment:
        'libs/testing and test support folders serve spec files; production code and bench never import them.',
      severity: 'error',
      from: { pathNot: TEST_CODE },
      to: { path: TEST_CODE },
    },
    {
      name: 'nothing-imports-bench',
      comment: 'bench measures the product from outside; the product never depends on it.',
      severity: 'error',
      from: { path: '^(apps|libs)/' },
      to: { path: '^bench/' },
    },
    {
      name: 'reports-only-write-read-models',
      comment:
        'libs/reports turns read models into files: it reads the domain and the projections, never the store, commands or letters.',
      severity: 'error',
      from: { path: '^libs/reports/' },
      to: { path: '^(libs/(event-store|application|letters)|apps)/' },
    },
    {
      name: 'reports-is-above-the-libs',
      comment: 'Only the apps use the writers: no lower lib depends on libs/reports.',
      severity: 'error',
      from: { path: '^libs/(domain|event-store|application|projections|letters)/' },
      to: { path: '^libs/reports/' },
    },
    {
      name: 'apps-are-independent',
      severity: 'error',
      from: { path: '^apps/([^/]+)/' },
      to: { path: '^apps/', pathNot: '^apps/$1/' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^dist/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['types', 'import', 'require', 'node', 'default'],
      extensions: ['.ts', '.js', '.json'],
      mainFields: ['types', 'module', 'main'],
    },
  },
};
