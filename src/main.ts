// The entry point (`npm start`): the runtime is checked before anything that an old Node could fail on is imported.
import { exitOnUnsupportedNode } from './runtime-check.js';

exitOnUnsupportedNode();
// Loading the application's modules takes about a second; a large mock-data folder is read, parsed and checked meanwhile, in a worker.
const { preloadMockDataFromEnvironment } = await import('./mock/preload.js');
preloadMockDataFromEnvironment();
await import('./server.js');
