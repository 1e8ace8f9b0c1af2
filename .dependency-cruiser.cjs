// The layers of docs/architecture.md, left to right: a folder imports only from its own layer or those before it.
const LAYERS = [
  { name: 'config', paths: ['src/config/'] },
  { name: 'common', paths: ['src/common/'] },
  { name: 'integrations', paths: ['src/integrations/', 'src/redis/'] },
  { name: 'platform', paths: ['src/platform/', 'src/auth/', 'src/rate-limit/', 'src/metrics/'] },
  { name: 'mock', paths: ['src/mock/'] },
  { name: 'source-binding', paths: ['src/source-binding/'] },
  {
    name: 'domains',
    paths: ['src/tenants/', 'src/tickets/', 'src/time-entries/', 'src/csat/', 'src/security-alerts/', 'src/domains\\.ts$'],
  },
  // The replica's fetchers make records with the domains' mappers; replica-reads serves the domains' sources through REPLICA_RECORDS.
  { name: 'sync', paths: ['src/sync/', 'src/replica-reads/'] },
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
      from: { path: '^src/' },
      to: { circular: true },
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
