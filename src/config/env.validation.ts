import { channel } from 'node:diagnostics_channel';
import { plainToInstance } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  MinLength,
  ValidateIf,
  validateSync,
} from 'class-validator';
import { Transform } from 'class-transformer';
import { productionProblems } from './production-guards.js';
import { DEFAULT_MAX_FILE_MB } from './mock-limits.js';
import {
  IntegerIn,
  IsAes256Key,
  IsCorsOrigins,
  IsListOf,
  IsTrustProxy,
  LOG_LEVELS,
  MOCKABLE_DOMAINS,
  type MockableDomain,
  toBoolean,
  toInteger,
  toList,
} from './env-rules.js';

export { LOG_LEVELS, MOCKABLE_DOMAINS, parseCorsOrigins, parseTrustProxy, type MockableDomain } from './env-rules.js';

/** How long a client may take to send a request's headers, unless HEADERS_TIMEOUT_MS or a shorter REQUEST_TIMEOUT_MS says otherwise. */
export const DEFAULT_HEADERS_TIMEOUT_MS = 10_000;

/** Every environment variable the service reads, validated once at boot. */
export class EnvironmentVariables {
  @IsOptional()
  @IsIn(['development', 'production', 'test'])
  NODE_ENV?: string;

  @IsOptional()
  @IntegerIn(0, 65535, 'must be an integer port number from 0 to 65535')
  PORT: number = 3000;

  @IsOptional()
  @IsString()
  @IsNotEmpty()
  HOST: string = '0.0.0.0';

  @Transform(toBoolean)
  @IsBoolean({ message: 'must be "true" or "false"' })
  MOCK_MODE: boolean;

  @ValidateIf((env: EnvironmentVariables) => env.MOCK_MODE === true)
  @IsString({ message: 'is required when MOCK_MODE=true (the folder holding tenants.json)' })
  @IsNotEmpty({ message: 'is required when MOCK_MODE=true (the folder holding tenants.json)' })
  MOCK_DATA_PATH?: string;

  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean({ message: 'must be "true" or "false"' })
  MOCK_WATCH: boolean = true;

  /** Mixed mode (with MOCK_MODE=false): these domains read MOCK_DATA_PATH, the others call the vendors. */
  @IsOptional()
  @Transform(toList)
  @IsListOf(MOCKABLE_DOMAINS)
  MOCK_DOMAINS: MockableDomain[] = [];

  /** A mock-data file larger than this (MB) is refused with a clear problem instead of being parsed. */
  @IsOptional()
  @IntegerIn(1, 4096)
  MOCK_MAX_FILE_MB: number = DEFAULT_MAX_FILE_MB;

  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean({ message: 'must be "true" or "false"' })
  ALLOW_MOCK_IN_PRODUCTION: boolean = false;

  /** Seeds the randomness of scenarios.json rules (failure rates, latency ranges), so a run can be repeated. */
  @IsOptional()
  @IntegerIn(0, 2_147_483_647)
  MOCK_SCENARIO_SEED?: number;

  /** Browser origins allowed by CORS; unset or empty allows none. */
  @IsOptional()
  @IsCorsOrigins()
  CORS_ORIGINS: string = '';

  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().toLowerCase() : value))
  @IsIn(Object.keys(LOG_LEVELS), {
    message: "must be one of pino's level names (trace, debug, info, warn, error, fatal, silent) or Nest's (verbose, debug, log, warn, error, fatal)",
  })
  LOG_LEVEL: string = 'info';

  @IsOptional()
  @Matches(/^(sqlite:.+|postgres(ql)?:\/\/.+)$/, {
    message: 'must be sqlite:<file path> (or sqlite::memory:) or postgres://user:password@host:port/database',
  })
  DATABASE_URL: string = 'sqlite:./data/platform.db';

  @IsOptional()
  @IntegerIn(100, 60_000)
  DATABASE_CONNECT_TIMEOUT_MS: number = 1_500;

  @IsOptional()
  @IntegerIn(100, 300_000)
  DATABASE_QUERY_TIMEOUT_MS: number = 1_500;

  @IsOptional()
  @IntegerIn(0, 1_000, 'must be an integer from 0 to 1000: a revoked key must stop working within a second on every copy')
  PLATFORM_CACHE_TTL_MS: number = 1_000;

  @IsOptional()
  @IsAes256Key()
  ENCRYPTION_KEY?: string;

  @IsOptional()
  @IsAes256Key(true)
  ENCRYPTION_KEYS_PREVIOUS?: string;

  @IsOptional()
  @IsString()
  @MinLength(24, { message: 'must be at least 24 characters: it opens every tenant and the admin API' })
  ADMIN_API_KEY?: string;

  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean({ message: 'must be "true" or "false"' })
  AUTH_DISABLED: boolean = false;

  @IsOptional()
  @Matches(/^rediss?:\/\/.+/, { message: 'must be redis://[user:password@]host:port[/db] (or rediss:// for TLS)' })
  REDIS_URL?: string;

  @IsOptional()
  @Matches(/^[A-Za-z0-9:._-]{1,64}$/, { message: 'must be 1–64 letters, digits or ":._-" (e.g. "msp-data:")' })
  REDIS_KEY_PREFIX: string = 'msp-data:';

  @IsOptional()
  @IntegerIn(0, 1_000_000)
  RATE_LIMIT_PER_MINUTE: number = 1200;

  /** Which proxies' X-Forwarded-For to believe for the client address (rate limits, logs); off by default. */
  @IsOptional()
  @IsTrustProxy()
  TRUST_PROXY: string = 'false';

  /** Budget of the replica read cache in this process (records with their indexes), least recently used evicted first. */
  @IsOptional()
  @IntegerIn(1, 1_048_576)
  SNAPSHOT_CACHE_MAX_MB: number = 512;

  /** What a stream's first sync fetches before the stream is served (then a backfill reaches SYNC_HISTORY_DAYS). */
  @IsOptional()
  @IntegerIn(1, 3650)
  LIVE_WINDOW_DAYS: number = 90;

  /** How often each tenant×stream of the live replica asks its vendor for changes. */
  @IsOptional()
  @IntegerIn(1, 86_400)
  SYNC_INTERVAL_SECONDS: number = 300;

  /** How far back a stream's first sync reaches (the recent LIVE_WINDOW_DAYS first, then a backfill). */
  @IsOptional()
  @IntegerIn(1, 3650)
  SYNC_HISTORY_DAYS: number = 400;

  /** How long a read of a never-synced stream waits for its first sync. */
  @IsOptional()
  @IntegerIn(0, 120_000)
  FIRST_SYNC_WAIT_MS: number = 30_000;

  @IsOptional()
  @IntegerIn(100, 300_000)
  VENDOR_TIMEOUT_MS: number = 30_000;

  @IsOptional()
  @IntegerIn(0, 10)
  VENDOR_MAX_RETRIES: number = 4;

  @IsOptional()
  @IntegerIn(1, 60_000)
  VENDOR_RETRY_BASE_MS: number = 500;

  /** Calls in flight per tenant and vendor host. */
  @IsOptional()
  @IntegerIn(1, 64)
  VENDOR_CONCURRENCY: number = 4;

  /** Largest vendor answer read (after decompression); a larger one is cut and answered 502. At most 512: V8's longest string. */
  @IsOptional()
  @IntegerIn(1, 512)
  VENDOR_MAX_RESPONSE_MB: number = 64;

  @IsOptional()
  @IntegerIn(1, 100)
  VENDOR_BREAKER_THRESHOLD: number = 5;

  @IsOptional()
  @IntegerIn(100, 3_600_000)
  VENDOR_BREAKER_COOLDOWN_MS: number = 30_000;

  /** Records one paged vendor walk may bring before it is refused: what bounds a sync page's memory. */
  @IsOptional()
  @IntegerIn(1, 10_000_000)
  VENDOR_WALK_MAX_RECORDS: number = 200_000;

  /** Bytes (MiB, after decompression) one paged vendor walk may read, every page counted (then 502). */
  @IsOptional()
  @IntegerIn(1, 4096)
  VENDOR_WALK_MAX_MB: number = 256;

  /** How long one paged vendor walk may take, every page and retry included (then 504). */
  @IsOptional()
  @IntegerIn(100, 3_600_000)
  VENDOR_WALK_TIMEOUT_MS: number = 120_000;

  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean({ message: 'must be "true" or "false"' })
  DOCS_ENABLED: boolean = true;

  @IsOptional()
  @IsIn(['json', 'text', 'auto'])
  LOG_FORMAT: string = 'auto';

  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean({ message: 'must be "true" or "false"' })
  VENDOR_ALLOW_PRIVATE_NETWORKS: boolean = false;

  @IsOptional()
  @IntegerIn(1_000, 600_000)
  REQUEST_TIMEOUT_MS: number = 30_000;

  /** Unset: the smaller of DEFAULT_HEADERS_TIMEOUT_MS and REQUEST_TIMEOUT_MS. */
  @IsOptional()
  @IntegerIn(1_000, 600_000)
  HEADERS_TIMEOUT_MS?: number;

  @IsOptional()
  @IntegerIn(0, 600_000)
  KEEP_ALIVE_TIMEOUT_MS: number = 72_000;

  @IsOptional()
  @IntegerIn(1, 1_000_000)
  MAX_CONNECTIONS: number = 4_096;

  @IsOptional()
  @IntegerIn(0, 600_000)
  SHUTDOWN_TIMEOUT_MS: number = 10_000;

  @IsOptional()
  @IntegerIn(50, 60_000)
  HEALTH_CHECK_TIMEOUT_MS: number = 1_000;
}

export class EnvironmentError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid environment:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'EnvironmentError';
  }
}

/** Variables whose values are secrets (or carry one): a boot error never prints them. */
const SECRET_VARIABLES = new Set(['ADMIN_API_KEY', 'ENCRYPTION_KEY', 'ENCRYPTION_KEYS_PREVIOUS']);
const URL_VARIABLES = new Set(['DATABASE_URL', 'REDIS_URL']);

function show(value: unknown, variable?: string): string {
  if (value === undefined) return '(not set)';
  if (variable && SECRET_VARIABLES.has(variable)) return `(hidden, ${String(value).length} characters)`;
  // A connection URL may carry a password: print it without its user information.
  if (variable && URL_VARIABLES.has(variable)) return JSON.stringify(String(value).replace(/\/\/[^/@]*@/, '//***@'));
  return JSON.stringify(value);
}

/** Each validation publishes `{ serving, problems }` here: how a boot is seen to check its environment once. */
export const environmentValidations = channel('msp-data:environment-validated');

/** The environment as validated: defaults filled in, including those derived from other variables. */
export type ValidatedEnvironment = EnvironmentVariables & { HEADERS_TIMEOUT_MS: number };

/**
 * Parses and checks the environment; throws one EnvironmentError naming every problem. `serving`: the
 * HTTP service is starting (not a CLI), so production's own requirements apply (production-guards.ts).
 */
export function validateEnvironment(raw: Record<string, unknown>, { serving = false } = {}): ValidatedEnvironment {
  const env = plainToInstance(EnvironmentVariables, raw, { exposeDefaultValues: true });
  const problems: string[] = [];
  for (const error of validateSync(env, { skipMissingProperties: false })) {
    const messages = Object.values(error.constraints ?? {}).map((m) => m.replace(new RegExp(`^${error.property} `), ''));
    const reasons = [...new Set(messages)].join('; ');
    problems.push(`${error.property}=${show(raw[error.property], error.property)}: ${reasons}`);
  }
  if (env.NODE_ENV === 'production' && env.MOCK_MODE === true && env.ALLOW_MOCK_IN_PRODUCTION !== true) {
    problems.push(
      'MOCK_MODE="true" with NODE_ENV="production": mock data must not reach production by accident; ' +
        'set MOCK_MODE=false, or ALLOW_MOCK_IN_PRODUCTION=true if this is deliberate',
    );
  }
  const mixed = Array.isArray(env.MOCK_DOMAINS) && env.MOCK_DOMAINS.length > 0;
  if (mixed && env.MOCK_MODE === true) {
    problems.push(
      `MOCK_DOMAINS=${show(raw.MOCK_DOMAINS)} with MOCK_MODE="true": MOCK_DOMAINS chooses the mocked domains of mixed mode and is valid ` +
        'only with MOCK_MODE=false (MOCK_MODE=true already serves every domain from MOCK_DATA_PATH)',
    );
  }
  if (mixed && env.MOCK_MODE === false && env.NODE_ENV === 'production' && env.ALLOW_MOCK_IN_PRODUCTION !== true) {
    problems.push(
      `MOCK_DOMAINS=${show(raw.MOCK_DOMAINS)} with NODE_ENV="production": mock data must not reach production by accident; ` +
        'unset MOCK_DOMAINS, or set ALLOW_MOCK_IN_PRODUCTION=true if this is deliberate',
    );
  }
  if (mixed && env.MOCK_MODE === false && !env.MOCK_DATA_PATH?.trim()) {
    problems.push(`MOCK_DATA_PATH=${show(raw.MOCK_DATA_PATH)}: is required when MOCK_DOMAINS is set (the folder the mocked domains read)`);
  }
  if (env.AUTH_DISABLED === true && env.MOCK_MODE !== true) {
    problems.push('AUTH_DISABLED="true" is accepted only with MOCK_MODE=true: live tenant data is never served without a key');
  }
  if (typeof env.HEADERS_TIMEOUT_MS === 'number' && typeof env.REQUEST_TIMEOUT_MS === 'number' && env.HEADERS_TIMEOUT_MS > env.REQUEST_TIMEOUT_MS) {
    problems.push(
      `HEADERS_TIMEOUT_MS=${env.HEADERS_TIMEOUT_MS}: must not exceed REQUEST_TIMEOUT_MS (${env.REQUEST_TIMEOUT_MS}), which bounds the whole request; ` +
        `lower it, or leave it unset to use min(${DEFAULT_HEADERS_TIMEOUT_MS}, REQUEST_TIMEOUT_MS)`,
    );
  }
  if (serving) problems.push(...productionProblems(env));
  if (environmentValidations.hasSubscribers) environmentValidations.publish({ serving, problems: problems.length });
  if (problems.length > 0) throw new EnvironmentError(problems);
  return Object.assign(env, { HEADERS_TIMEOUT_MS: env.HEADERS_TIMEOUT_MS ?? Math.min(DEFAULT_HEADERS_TIMEOUT_MS, env.REQUEST_TIMEOUT_MS) });
}
