import { registerAs } from '@nestjs/config';
import { validateEnvironment } from './env.validation.js';

const key = (base64: string) => Buffer.from(base64.trim(), 'base64');

export const platformConfig = registerAs('platform', () => {
  const env = validateEnvironment(process.env);
  return {
    databaseUrl: env.DATABASE_URL,
    connectTimeoutMs: env.DATABASE_CONNECT_TIMEOUT_MS,
    queryTimeoutMs: env.DATABASE_QUERY_TIMEOUT_MS,
    /** How long key, tenant and integration reads are reused in process (0: never). */
    cacheTtlMs: env.PLATFORM_CACHE_TTL_MS,
    /** The key new secrets are encrypted under; absent means no secret can be stored. */
    encryptionKey: env.ENCRYPTION_KEY ? key(env.ENCRYPTION_KEY) : undefined,
    /** Older keys, still accepted for decryption until `secrets rotate` re-encrypts. */
    previousEncryptionKeys: (env.ENCRYPTION_KEYS_PREVIOUS ?? '').split(',').filter((k) => k.trim()).map(key),
  };
});

export const authConfig = registerAs('auth', () => {
  const env = validateEnvironment(process.env);
  return {
    adminApiKey: env.ADMIN_API_KEY,
    disabled: env.AUTH_DISABLED,
  };
});
