// The layers of docs/architecture.md, left to right: a folder imports only from its own layer or those before it.
const LAYERS = [
  { name: 'config', paths: ['src/config/'] },
  { name: 'common', paths: ['src/common/'] },
  { name: 'integrations', paths: ['src/integrations/', 'src/redis/'] },
  { name: 'platform', paths: ['src/platform/', 'src/auth/', 'src/rate-limit/', 'src/metrics/'] },
  { name: 'mock|live', paths: ['src/mock/', 'src/live/'] },
  { name: 'source-binding', paths: ['src/source-binding/'] },
  {
    name: 'domains',
    paths: ['src/tenants/', 'src/tickets/', 'src/time-entries/', 'src/csat/', 'src/security-alerts/', 'src/domains\\.ts$'],
  },
  // The replica's fetchers make records with the domains' mappers; nothing reads the replica yet (issue 19).
  { name: 'sync', paths: ['src/sync/'] },
  { name: 'above the domains', paths: ['src/insights/', 'src/admin/', 'src/health/', 'src/home/', 'src/data-version/', 'src/data-response/'] },
  {
    name: 'app',
    paths: ['src/cli/', 'src/(main|server|app\\.module|app\\.setup|edge-guards|runtime-check)\\.ts$'],
  },
];

const pattern = (paths) => `^(${paths.map((p) => p.replaceAll('/', '[/]')).join('|')})`;
const allLayers = pattern(LAYERS.flatMap((layer) => layer.paths));

const upward = LAYERS.slice(0, -1).map((layer, index) => ({
  name: `${layer.name}-imports-upward`,
  comment: `${layer.name} may import only from ${LAYERS.slice(0, index + 1).map((l) => l.name).join(', ')}`,
  severity: 'error',
  from: { path: pattern(layer.paths) },
  to: { path: pattern(LAYERS.slice(index + 1).flatMap((l) => l.paths)) },
}));

module.exports = {
  forbidden: [
    ...upward,
    {
      name: 'no-cycle',
      comment: 'a cycle has no order: one side belongs in a lower layer',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'no-folder-cycle',
      comment: 'two folders that import each other have no order either, even without a file cycle',
      severity: 'error',
      scope: 'folder',
      // Known: the tickets' live binding reads time entries' references, which read tickets (docs/architecture.md).
      from: { path: '^src/', pathNot: '^src/(tickets|time-entries)(/|$)' },
      to: { circular: true },
    },
    {
      name: 'mock-and-live-apart',
      comment: 'mock and live are alternatives at the same level; source-binding is where they meet',
      severity: 'error',
      from: { path: '^src/mock/' },
      to: { path: '^src/live/' },
    },
    {
      name: 'live-and-mock-apart',
      comment: 'mock and live are alternatives at the same level; source-binding is where they meet',
      severity: 'error',
      from: { path: '^src/live/' },
      to: { path: '^src/mock/' },
    },
    {
      name: 'folder-without-layer',
      comment: 'every file of src/ has a layer: add a new folder to LAYERS in .dependency-cruiser.cjs',
      severity: 'error',
      from: { path: '^src/', pathNot: allLayers },
      to: {},
    },
  ],
  options: {
    includeOnly: '^src/',
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js', '.json'] },
  },
};
