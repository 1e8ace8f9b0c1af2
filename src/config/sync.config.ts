import { registerAs } from '@nestjs/config';
import { validateEnvironment } from './env.validation.js';

/** The live replica's sync engine (docs/live-replica.md). */
export const syncConfig = registerAs('sync', () => {
  const env = validateEnvironment(process.env);
  return {
    databaseUrl: env.DATABASE_URL,
    intervalMs: env.SYNC_INTERVAL_SECONDS * 1000,
    historyDays: env.SYNC_HISTORY_DAYS,
    windowDays: env.LIVE_WINDOW_DAYS,
    firstSyncWaitMs: env.FIRST_SYNC_WAIT_MS,
  };
});
