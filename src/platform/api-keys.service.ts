import { Injectable } from '@nestjs/common';
import { hash, randomBytes, timingSafeEqual } from 'node:crypto';
import { PlatformCacheOptions, nowIso } from './platform-db.js';
import { ApiKeyNotFoundError } from './platform.errors.js';
import { ReadCache } from './read-cache.js';
import { ApiKeyCheckRow, ApiKeyRepository } from './repositories/api-key.repository.js';

export type ApiKeyScope = 'admin' | { tenants: string[] };

export interface ApiKeyView {
  id: string;
  name: string;
  scope: ApiKeyScope;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

const KEY_PREFIX = 'mspk';
/** `last_used_at` is a hint for people, not an audit log: written at most this often per key and process. */
export const TOUCH_EVERY_MS = 60_000;
const TOUCHED_KEYS_KEPT = 10_000;

const sha256 = (value: string): Buffer => hash('sha256', value, 'buffer');
const parseScope = (scope: string): ApiKeyScope => (scope === 'admin' ? 'admin' : (JSON.parse(scope) as { tenants: string[] }));

/** `mspk_<id>_<secret>`: the id finds the row, the hash of the whole key proves it. */
export function parseApiKey(key: string): { id: string } | undefined {
  const m = /^mspk_([a-f0-9]{16})_[A-Za-z0-9_-]{43}$/.exec(key);
  return m ? { id: m[1] } : undefined;
}

/** What a key check needs of its row, decoded once per read of the row (not once per request). */
interface CheckedKey {
  keyHash: Buffer;
  revoked: boolean;
  found: VerifiedKey;
}
export interface VerifiedKey {
  readonly id: string;
  readonly scope: ApiKeyScope;
  readonly lastUsedAt: string | null;
}
const checked = (row: ApiKeyCheckRow | undefined): CheckedKey | undefined =>
  row && {
    keyHash: Buffer.from(row.key_hash, 'hex'),
    revoked: row.revoked_at !== null,
    found: Object.freeze({ id: row.id, scope: parseScope(row.scope), lastUsedAt: row.last_used_at }),
  };

/** Minting, listing, revoking and checking API keys; a key is shown once and kept only as a hash. */
@Injectable()
export class ApiKeysService {
  private readonly rows: ReadCache<CheckedKey | undefined>;
  private readonly touchedAt = new Map<string, number>();

  constructor(
    private readonly keys: ApiKeyRepository,
    options: PlatformCacheOptions,
  ) {
    this.rows = new ReadCache({ ttlMs: options.cacheTtlMs });
  }

  /** Mints a key; the key itself is returned once and only its hash is kept. */
  async create(name: string, scope: ApiKeyScope): Promise<{ id: string; key: string }> {
    const id = randomBytes(8).toString('hex');
    const key = `${KEY_PREFIX}_${id}_${randomBytes(32).toString('base64url')}`;
    await this.keys.create({
      id,
      name,
      key_hash: sha256(key).toString('hex'),
      scope: scope === 'admin' ? 'admin' : JSON.stringify({ tenants: [...new Set(scope.tenants)].sort() }),
      created_at: nowIso(),
      last_used_at: null,
      revoked_at: null,
    });
    this.rows.invalidate(id);
    return { id, key };
  }

  async list(): Promise<ApiKeyView[]> {
    return (await this.keys.getAll()).map((r) => ({ ...r, scope: parseScope(r.scope) }));
  }

  /** Marks the key revoked (idempotent); unknown id → 404. */
  async revoke(id: string): Promise<void> {
    this.rows.invalidate(id);
    const revoked = await this.keys.revoke(id);
    this.rows.invalidate(id);
    if (!revoked && !(await this.keys.exists(id))) throw new ApiKeyNotFoundError(id);
  }

  /**
   * The key's scope if it exists, is not revoked, and its hash matches in constant time. While the row's
   * read is reused, so is the answer object (callers may key their own derived state by it).
   */
  async verify(key: string): Promise<VerifiedKey | undefined> {
    const parsed = parseApiKey(key);
    if (!parsed) return undefined;
    const row = await this.rows.get(parsed.id, () => this.keys.getForCheck(parsed.id).then(checked));
    if (!row || row.revoked) return undefined;
    if (!timingSafeEqual(sha256(key), row.keyHash)) return undefined;
    return row.found;
  }

  /**
   * Records that the key was used, at most once per TOUCH_EVERY_MS per key in this process however
   * many requests arrive together (the slot is taken before the write starts).
   */
  async touch(id: string, lastUsedAt: string | null): Promise<void> {
    const at = Date.now();
    const local = this.touchedAt.get(id);
    if (local !== undefined && at - local < TOUCH_EVERY_MS) return;
    this.touchedAt.set(id, at);
    if (this.touchedAt.size > TOUCHED_KEYS_KEPT) this.touchedAt.delete(this.touchedAt.keys().next().value as string);
    if (lastUsedAt && at - Date.parse(lastUsedAt) < TOUCH_EVERY_MS) return;
    await this.keys.setLastUsed(id, new Date(at).toISOString());
  }
}
