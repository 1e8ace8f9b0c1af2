import { envNamespace } from './env-namespace.js';

const key = (base64: string) => Buffer.from(base64.trim(), 'base64');

export const platformConfig = envNamespace('platform', (env) => {
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

export const authConfig = envNamespace('auth', (env) => {
  return {
    adminApiKey: env.ADMIN_API_KEY,
    disabled: env.AUTH_DISABLED,
  };
});
