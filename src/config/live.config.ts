import { envNamespace } from './env-namespace.js';

/** Live mode: how vendor data is fetched (by the sync) and protected, and the replica read cache's bound. */
export const liveConfig = envNamespace('live', (env) => {
  return {
    redisUrl: env.REDIS_URL,
    /** Prefix of the keys written to Redis (rate budgets). */
    redisKeyPrefix: env.REDIS_KEY_PREFIX,
    /** Bytes the replica read cache in this process may hold (records, their indexes and JSON); least recently used go first. */
    localMaxBytes: env.SNAPSHOT_CACHE_MAX_MB * 1024 * 1024,
    /** What a stream's first sync fetches (mock:record's window too). */
    windowDays: env.LIVE_WINDOW_DAYS,
    http: {
      timeoutMs: env.VENDOR_TIMEOUT_MS,
      maxAttempts: env.VENDOR_MAX_RETRIES,
      baseDelayMs: env.VENDOR_RETRY_BASE_MS,
      concurrencyPerVendor: env.VENDOR_CONCURRENCY,
      maxResponseBytes: env.VENDOR_MAX_RESPONSE_MB * 1024 * 1024,
      breakerThreshold: env.VENDOR_BREAKER_THRESHOLD,
      halfOpenAfterMs: env.VENDOR_BREAKER_COOLDOWN_MS,
      allowPrivateNetworks: env.VENDOR_ALLOW_PRIVATE_NETWORKS,
    },
    /** Bounds of each paged vendor walk. */
    walk: { maxRecords: env.VENDOR_WALK_MAX_RECORDS, maxBytes: env.VENDOR_WALK_MAX_MB * 1024 * 1024, timeoutMs: env.VENDOR_WALK_TIMEOUT_MS },
  };
});
