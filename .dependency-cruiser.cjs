/**
 * The layer rules of ../shared/docs/ARCHITECTURE.md, checked by dependency-cruiser over main/, renderer/, electron/,
 * bin/ and test/ (.ts, .tsx, .cts, .mts). `npm test` runs them (test/architecture/layers.test.ts); a break fails it.
 *   main/api      → zod only (the contract, imported by every layer)
 *   main/*        → never electron, React/MUI/i18next or the renderer
 *   renderer/     → main/api and its own code, never Node
 *   domains       → never the services (main/core), the composition root, the CLI or the bridge
 *   main/db       → never the domains (only the contract); the only importer of better-sqlite3
 *   main/platform → infrastructure: nothing above it
 *   electron/     → never the bridge's internals
 */
const DOMAINS = 'importer|inference|findings|search|priors|cohorts|reports|audit|dicom|images|network';
const TESTS = '\\.test\\.tsx?$|^test/';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'main-never-ui',
      comment: 'main/ is the headless core: plain Node, no Electron, React or renderer code.',
      severity: 'error',
      from: { path: '^main/' },
      to: { path: ['^renderer/', '^electron/', 'node_modules/(electron|react|react-dom|@mui|@emotion|i18next|react-i18next)/'] },
    },
    {
      name: 'api-only-zod',
      comment: 'main/api is the contract: it may import only zod and itself, so every layer can import it.',
      severity: 'error',
      from: { path: '^main/api/', pathNot: TESTS },
      to: { pathNot: ['^main/api/', 'node_modules/zod/'] },
    },
    {
      name: 'renderer-only-contract',
      comment: 'renderer/ imports only the contract (main/api) and its own code.',
      severity: 'error',
      from: { path: '^renderer/' },
      to: { path: ['^main/(?!api/)', '^electron/', '^bin/', 'node_modules/(better-sqlite3|onnxruntime-node|sharp|ws|electron)/'] },
    },
    {
      name: 'renderer-never-node',
      comment: 'The renderer runs in a browser: no Node built-ins (component tests may use them).',
      severity: 'error',
      from: { path: '^renderer/', pathNot: TESTS },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'only-db-imports-sqlite',
      comment: 'Only main/db touches SQLite.',
      severity: 'error',
      from: { pathNot: '^main/db/' },
      to: { path: 'node_modules/better-sqlite3/' },
    },
    {
      name: 'domains-never-services',
      comment: 'Domains are wired by the composition root; they never reach for services, the root, the CLI or the bridge.',
      severity: 'error',
      from: { path: `^main/(${DOMAINS})/`, pathNot: TESTS },
      to: { path: ['^main/core/', '^main/createCore\\.ts$', '^main/cli/', '^main/bridge/'] },
    },
    {
      name: 'db-never-domains',
      comment: 'The database layer knows the contract and SQL, not the domains that use it.',
      severity: 'error',
      from: { path: '^main/db/', pathNot: TESTS },
      to: { path: [`^main/(${DOMAINS}|core|platform|bridge|cli)/`, '^main/createCore\\.ts$'] },
    },
    {
      name: 'platform-is-the-bottom',
      comment: 'main/platform is infrastructure (events, jobs, workers, caches, serving): it imports only the contract.',
      severity: 'error',
      from: { path: '^main/platform/', pathNot: TESTS },
      to: { path: [`^main/(${DOMAINS}|core|db|bridge|cli)/`, '^main/createCore\\.ts$'] },
    },
    {
      name: 'electron-never-bridge',
      comment: 'The Electron host shares serving helpers through main/platform, never the bridge internals.',
      severity: 'error',
      from: { path: '^electron/' },
      to: { path: '^main/bridge/' },
    },
    {
      name: 'resolvable',
      comment: 'Every relative import resolves to a file.',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true, dependencyTypesNot: ['type-only'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|node_modules|coverage|release)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'] },
  },
};
