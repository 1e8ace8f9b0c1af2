/** What the guards read of the validated environment (EnvironmentVariables has these). */
export interface ProductionSettings {
  NODE_ENV?: string;
  ADMIN_API_KEY?: string;
  ENCRYPTION_KEY?: string;
  AUTH_DISABLED?: boolean;
}

/**
 * Keys published in this repository (`.env.local`, `.env.test`): anyone with a clone knows them, so a
 * production service never accepts them.
 */
const PUBLISHED_ADMIN_API_KEYS = new Set(['dev-admin-key-do-not-use-in-production', 'test-admin-key-0123456789abcdef']);
const PUBLISHED_ENCRYPTION_KEYS = new Set([
  'Vtz15sFUj2FcSqg2qG1dBcYiUwTImPWAUR47zCO/mtw=',
  'laLZ4oDtbXtGHKKKtB+Um1JyEmCx+S26rItabNGMUKg=',
]);

const GENERATE = 'generate one with `openssl rand -base64 32`';

/**
 * What a service started with NODE_ENV=production must have: its own admin key and encryption key.
 * One line per variable; values are never echoed (they are secrets, or published ones).
 */
export function productionProblems(env: ProductionSettings): string[] {
  if (env.NODE_ENV !== 'production') return [];
  const problems: string[] = [];
  if (!env.ADMIN_API_KEY) {
    problems.push(`ADMIN_API_KEY (not set): required with NODE_ENV=production — without it every route answers 401 and no key can be minted; ${GENERATE}`);
  } else if (PUBLISHED_ADMIN_API_KEYS.has(env.ADMIN_API_KEY.trim())) {
    problems.push(`ADMIN_API_KEY (the published development key): anyone with this repository knows it; ${GENERATE}`);
  }
  if (!env.ENCRYPTION_KEY) {
    problems.push(`ENCRYPTION_KEY (not set): required with NODE_ENV=production — vendor secrets are encrypted under it; ${GENERATE}`);
  } else if (PUBLISHED_ENCRYPTION_KEYS.has(env.ENCRYPTION_KEY.trim())) {
    problems.push(`ENCRYPTION_KEY (the published development key): secrets under it are readable by anyone with this repository; ${GENERATE}`);
  }
  if (env.AUTH_DISABLED === true) {
    problems.push('AUTH_DISABLED="true": never with NODE_ENV=production — every route, admin ones included, would answer without a key');
  }
  return problems;
}
