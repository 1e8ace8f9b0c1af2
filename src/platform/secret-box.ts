import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { ProblemError } from '../common/problem/problem.error.js';

export class EncryptionKeyMissingError extends Error {
  constructor() {
    super('ENCRYPTION_KEY is not set, so no vendor secret can be stored (set it to 32 random bytes, base64)');
    this.name = 'EncryptionKeyMissingError';
  }
}

/**
 * A stored secret this copy cannot decrypt: stored under a key it was not given (a copy started before
 * ENCRYPTION_KEY was rotated, or with the wrong one), or damaged. The client is told which integration
 * (from the context, `tenant/vendor/field`) and what to fix, never the secret; the key's fingerprint
 * goes to the log only.
 */
export class SecretUndecryptableError extends ProblemError {
  constructor(
    context: string,
    private readonly reason: string,
  ) {
    const [tenantId, vendor] = context.split('/');
    super(
      503,
      '/problems/secret-undecryptable',
      `the ${vendor} integration of tenant '${tenantId}' cannot be used by this server: its secrets were stored under an ` +
        'encryption key it does not have; ENCRYPTION_KEY or ENCRYPTION_KEYS_PREVIOUS must include the key they were stored with',
    );
  }

  override get logDetail(): string {
    return this.reason;
  }
}

const VERSION = 'v1';

/** A short public fingerprint of a key, stored beside each ciphertext so keys can be rotated. */
export function keyId(key: Buffer): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 12);
}

/**
 * AES-256-GCM under the current key; decrypts with the current or any previous key. The
 * associated data binds each ciphertext to its place (tenant, vendor, field): moved, it fails.
 */
export class SecretBox {
  private readonly keys = new Map<string, Buffer>();
  private readonly currentId?: string;

  constructor(current: Buffer | undefined, previous: Buffer[] = []) {
    for (const key of previous) this.keys.set(keyId(key), key);
    if (current) {
      this.currentId = keyId(current);
      this.keys.set(this.currentId, current);
    }
  }

  get canEncrypt(): boolean {
    return this.currentId !== undefined;
  }

  encrypt(plaintext: string, context: string): string {
    if (!this.currentId) throw new EncryptionKeyMissingError();
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.keys.get(this.currentId) as Buffer, iv);
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return [VERSION, this.currentId, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), data.toString('base64url')].join('.');
  }

  decrypt(ciphertext: string, context: string): string {
    const [version, id, iv, tag, data] = ciphertext.split('.');
    if (version !== VERSION || !id || !iv || !tag || data === undefined) throw new Error('malformed ciphertext');
    const key = this.keys.get(id);
    if (!key) throw new SecretUndecryptableError(context, `${context} is under key ${id}, which is neither ENCRYPTION_KEY nor in ENCRYPTION_KEYS_PREVIOUS`);
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(context, 'utf8'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString('utf8');
  }

  /** Whether a key this box holds is the one the ciphertext names (a cheap check: no decryption). */
  hasKeyFor(ciphertext: string): boolean {
    const [version, id] = ciphertext.split('.');
    return version === VERSION && id !== undefined && this.keys.has(id);
  }

  /** True when the ciphertext is under an older key (what `secrets rotate` re-encrypts). */
  isStale(ciphertext: string): boolean {
    return ciphertext.split('.')[1] !== this.currentId;
  }
}
