import { addressOf, DEFAULT_TEST_POSTGRES_URL, DEFAULT_TEST_REDIS_URL, REDIS_SKIPPED_ENV, withoutPassword } from '../config/global-setup.js';

/*
 * The PostgreSQL and Redis of this test run, as the global setup (test/config/global-setup.ts) chose
 * them: the ones at TEST_POSTGRES_URL / TEST_REDIS_URL when they answer, otherwise ones it started.
 * Suites take addresses from here, never hard-coded.
 */

/** A maintenance database of the test PostgreSQL, as a user that may create databases (trust auth). */
export const POSTGRES_ADMIN_URL = process.env.TEST_POSTGRES_URL || DEFAULT_TEST_POSTGRES_URL;
export const POSTGRES_ADDRESS = addressOf(POSTGRES_ADMIN_URL, 5432);

export const REDIS_URL = process.env.TEST_REDIS_URL || DEFAULT_TEST_REDIS_URL;
export const REDIS_ADDRESS = addressOf(REDIS_URL, 6379);

/** The line the global setup printed when no Redis could be had (never in CI: it fails the run there). */
export const REDIS_SKIPPED: string | undefined = process.env[REDIS_SKIPPED_ENV] || undefined;

/** `describe` for suites that need Redis: skipped when the global setup found none. */
export const describeWithRedis: jest.Describe = REDIS_SKIPPED ? describe.skip : describe;

export { withoutPassword };
