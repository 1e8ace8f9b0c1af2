import { plainToInstance } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  MinLength,
  Max,
  Min,
  ValidateIf,
  registerDecorator,
  validateSync,
} from 'class-validator';
import { Transform } from 'class-transformer';

const BOOLEAN_WORDS: Record<string, boolean> = { true: true, false: false };

/** `"true"`/`"false"` only: `MOCK_MODE=yes` is a mistake to report, not to guess at. */
const toBoolean = ({ value }: { value: unknown }) =>
  typeof value === 'string' && value.trim() in BOOLEAN_WORDS ? BOOLEAN_WORDS[value.trim()] : value;
const toInteger = ({ value }: { value: unknown }) =>
  typeof value === 'string' && /^\s*-?\d+\s*$/.test(value) ? Number(value) : value;

/** A whole number in [min, max] given as digits; one message whatever is wrong with it. */
function IntegerIn(min: number, max: number, message = `must be an integer from ${min} to ${max}`): PropertyDecorator {
  return (target, property) => {
    Transform(toInteger)(target, property as string);
    Min(min, { message })(target, property as string);
    Max(max, { message })(target, property as string);
    IsInt({ message })(target, property as string);
  };
}

/** Base64 that decodes to exactly 32 bytes (an AES-256 key); `list` allows several, comma-separated. */
function IsAes256Key(list = false): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isAes256Key',
      target: target.constructor,
      propertyName: propertyName as string,
      options: {
        message: list
          ? 'must be a comma-separated list of base64 keys of 32 bytes each (e.g. from `openssl rand -base64 32`)'
          : 'must be 32 bytes, base64-encoded (e.g. from `openssl rand -base64 32`)',
      },
      validator: {
        validate: (value: unknown) =>
          typeof value === 'string' &&
          (list ? value.split(',').map((v) => v.trim()) : [value.trim()]).every(
            (k) => /^[A-Za-z0-9+/]+={0,2}$/.test(k) && Buffer.from(k, 'base64').length === 32,
          ),
      },
    });
}

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

  /** A mock-data file larger than this (MB) is refused with a clear problem instead of being parsed. */
  @IsOptional()
  @IntegerIn(1, 4096)
  MOCK_MAX_FILE_MB: number = 256;

  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean({ message: 'must be "true" or "false"' })
  ALLOW_MOCK_IN_PRODUCTION: boolean = false;

  @IsOptional()
  @IsIn(['fatal', 'error', 'warn', 'log', 'debug', 'verbose'])
  LOG_LEVEL: string = 'log';

  @IsOptional()
  @Matches(/^(sqlite:.+|postgres(ql)?:\/\/.+)$/, {
    message: 'must be sqlite:<file path> (or sqlite::memory:) or postgres://user:password@host:port/database',
  })
  DATABASE_URL: string = 'sqlite:./data/platform.db';

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
  @IntegerIn(1, 86_400)
  CACHE_TTL_SECONDS: number = 300;

  @IsOptional()
  @IntegerIn(0, 2_592_000)
  CACHE_STALE_SECONDS: number = 86_400;

  @IsOptional()
  @IntegerIn(1, 3650)
  LIVE_WINDOW_DAYS: number = 90;

  @IsOptional()
  @IntegerIn(100, 300_000)
  VENDOR_TIMEOUT_MS: number = 30_000;

  @IsOptional()
  @IntegerIn(0, 10)
  VENDOR_MAX_RETRIES: number = 4;

  @IsOptional()
  @IntegerIn(1, 60_000)
  VENDOR_RETRY_BASE_MS: number = 500;

  @IsOptional()
  @IntegerIn(1, 64)
  VENDOR_CONCURRENCY: number = 4;

  @IsOptional()
  @IntegerIn(1, 100)
  VENDOR_BREAKER_THRESHOLD: number = 5;

  @IsOptional()
  @IntegerIn(100, 3_600_000)
  VENDOR_BREAKER_COOLDOWN_MS: number = 30_000;

  @IsOptional()
  @IsIn(['json', 'text'])
  LOG_FORMAT: string = 'text';
}

export class EnvironmentError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid environment:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'EnvironmentError';
  }
}

function show(value: unknown): string {
  return value === undefined ? '(not set)' : JSON.stringify(value);
}

/** Parses and checks the environment; throws one EnvironmentError naming every problem. */
export function validateEnvironment(raw: Record<string, unknown>): EnvironmentVariables {
  const env = plainToInstance(EnvironmentVariables, raw, { exposeDefaultValues: true });
  const problems: string[] = [];
  for (const error of validateSync(env, { skipMissingProperties: false })) {
    const messages = Object.values(error.constraints ?? {}).map((m) => m.replace(new RegExp(`^${error.property} `), ''));
    const reasons = [...new Set(messages)].join('; ');
    problems.push(`${error.property}=${show(raw[error.property])}: ${reasons}`);
  }
  if (env.NODE_ENV === 'production' && env.MOCK_MODE === true && env.ALLOW_MOCK_IN_PRODUCTION !== true) {
    problems.push(
      'MOCK_MODE="true" with NODE_ENV="production": mock data must not reach production by accident; ' +
        'set MOCK_MODE=false, or ALLOW_MOCK_IN_PRODUCTION=true if this is deliberate',
    );
  }
  if (env.AUTH_DISABLED === true && env.MOCK_MODE !== true) {
    problems.push('AUTH_DISABLED="true" is accepted only with MOCK_MODE=true: live tenant data is never served without a key');
  }
  if (problems.length > 0) throw new EnvironmentError(problems);
  return env;
}
