import { registerAs } from '@nestjs/config';
import { validateEnvironment } from './env.validation.js';

/** Requests per API key (or client address) per minute; shared through Redis when REDIS_URL is set. */
export const rateLimitConfig = registerAs('rateLimit', () => {
  const env = validateEnvironment(process.env);
  return {
    /** 0 turns rate limiting off. */
    perMinute: env.RATE_LIMIT_PER_MINUTE,
  };
});
