// The entry point (`npm start`): the runtime is checked before anything that an old Node could fail on is imported.
import { exitOnUnsupportedNode } from './runtime-check.js';

exitOnUnsupportedNode();
// Loading the application's modules takes about a second; a large mock-data folder is read, parsed and checked meanwhile, in a worker.
const { preloadMockDataFromEnvironment } = await import('./mock/mock-folder-preload.js');
// By URL, not import: the domains' record classes load with the application, after the load has started.
preloadMockDataFromEnvironment(new URL('./domains.js', import.meta.url).href);
await import('./server.js');
