import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseEnv } from 'node:util';
import { envFilesFor } from '../config/env-files.js';
import { preloadMockData } from './load-worker-host.js';
import type { DomainsModule } from './mock-domains.js';
import { DEFAULT_MAX_FILE_MB } from '../config/mock-limits.js';

/**
 * Starts loading the mock-data folder the configuration is about to name, before the application is
 * imported: a guess from the same sources (real variables over the env file NODE_ENV selects), made
 * with node's own modules only. The store takes this load only when its validated configuration
 * names the same folder and file-size limit (`loadMockDataOffThread`), and the server discards it
 * otherwise, so a wrong guess costs some CPU at boot, never a wrong answer.
 */
export function preloadMockDataFromEnvironment(domains: DomainsModule): void {
  try {
    const fromFile: Record<string, string | undefined> = {};
    for (const file of envFilesFor(process.env.NODE_ENV)) {
      try {
        Object.assign(fromFile, parseEnv(readFileSync(file, 'utf8')));
      } catch {
        // No such file (or unreadable): the configuration reports what matters.
      }
    }
    const get = (name: string): string | undefined => (process.env[name] ?? fromFile[name])?.trim();
    const path = get('MOCK_DATA_PATH');
    const mode = get('MOCK_MODE');
    if (!path || !(mode === 'true' || (mode === 'false' && get('MOCK_DOMAINS')))) return;
    const max = get('MOCK_MAX_FILE_MB');
    const maxFileMb = max ? Number(max) : DEFAULT_MAX_FILE_MB;
    if (!Number.isFinite(maxFileMb)) return;
    // Mixed mode with tickets live leaves ticket references unchecked (MockFileStore), and so must the guess.
    const mocked = mode === 'true' ? ['tickets'] : (get('MOCK_DOMAINS') ?? '').split(',').map((d) => d.trim());
    preloadMockData(domains, resolve(path), { maxFileMb, checkTicketRefs: mocked.includes('tickets') });
  } catch {
    // Only an optimisation: the store loads the folder itself.
  }
}
