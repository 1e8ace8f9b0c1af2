import { envNamespace } from './env-namespace.js';

/** Requests per API key (or client address) per minute; shared through Redis when REDIS_URL is set. */
export const rateLimitConfig = envNamespace('rateLimit', (env) => {
  return {
    /** 0 turns rate limiting off. */
    perMinute: env.RATE_LIMIT_PER_MINUTE,
  };
});
