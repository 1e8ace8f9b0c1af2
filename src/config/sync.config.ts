import { envNamespace } from './env-namespace.js';

/** The live replica's sync engine (docs/live-replica.md). */
export const syncConfig = envNamespace('sync', (env) => {
  return {
    databaseUrl: env.DATABASE_URL,
    intervalMs: env.SYNC_INTERVAL_SECONDS * 1000,
    historyDays: env.SYNC_HISTORY_DAYS,
    windowDays: env.LIVE_WINDOW_DAYS,
    firstSyncWaitMs: env.FIRST_SYNC_WAIT_MS,
  };
});
