// The entry point (`npm start`). Loading the application's modules takes about a second; a large
// mock-data folder is read, parsed and checked meanwhile, in a worker thread, instead of after it.
import { preloadMockDataFromEnvironment } from './mock/preload.js';

preloadMockDataFromEnvironment();
await import('./server.js');
