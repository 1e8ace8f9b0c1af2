import type { PlatformStore } from '../platform/platform.store.js';
import type { LiveCache } from './live-cache.js';
import type { LiveClients } from './live-clients.js';

/** What a live source is built from. */
export interface LiveDeps {
  platform: PlatformStore;
  clients: LiveClients;
  cache: LiveCache;
  /** Records updated in the last LIVE_WINDOW_DAYS days are fetched. */
  windowDays: number;
}
