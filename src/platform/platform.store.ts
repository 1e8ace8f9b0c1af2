import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { Kysely, Transaction } from 'kysely';
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Tenant } from '../tenants/tenant.record.js';
import type { PlatformDatabase } from './platform.schema.js';
import type { Engine } from './database.js';
import { SecretBox, SecretUndecryptableError } from './secret-box.js';
import { ApiKeyNotFoundError, EncryptionUnavailableError, TenantExistsError, isUniqueViolation } from './platform.errors.js';
import { ReadCache } from './read-cache.js';
import { withoutUserinfo } from './integration-urls.js';
import { VENDOR_DEFINITIONS, VENDORS, Vendor } from './integration-bodies.dto.js';
import { TenantNotFoundError } from '../common/problem/problem.error.js';

export type ApiKeyScope = 'admin' | { tenants: string[] };

export interface ApiKeyView {
  id: string;
  name: string;
  scope: ApiKeyScope;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

export interface IntegrationView {
  vendor: Vendor;
  configured: boolean;
  settings: Record<string, unknown>;
  /** Names of the secret fields that are set; never their values. */
  secrets: string[];
  updated_at?: string;
}

/** An integration with its secrets decrypted: only for the live vendor clients, never for a response. */
export interface IntegrationCredentials {
  vendor: Vendor;
  settings: Record<string, unknown>;
  secrets: Record<string, string>;
  updated_at: string;
}

export interface TenantImportEntry {
  tenant: Tenant;
  integrations: Partial<Record<Vendor, Record<string, unknown>>>;
}

const KEY_PREFIX = 'mspk';
/** `last_used_at` is a hint for people, not an audit log: written at most this often per key and process. */
export const TOUCH_EVERY_MS = 60_000;
/** While the database is unreachable, tenant and integration reads this old are still served (never API keys). */
const STALE_ON_UNAVAILABLE_MS = 30_000;

export interface PlatformStoreOptions {
  /** How long key, tenant and integration reads are reused in process (≤ 1 s; 0: never). */
  cacheTtlMs: number;
}

interface ApiKeyRow {
  id: string;
  key_hash: string;
  scope: string;
  revoked_at: string | null;
  last_used_at: string | null;
}
const now = () => new Date().toISOString();
const sha256 = (value: string) => createHash('sha256').update(value, 'utf8').digest();

function toTenant(row: { id: string; name: string; is_active: number; llm_enabled: number }): Tenant {
  return { id: row.id, name: row.name, is_active: row.is_active === 1, llm_enabled: row.llm_enabled === 1 };
}

function parseScope(scope: string): ApiKeyScope {
  return scope === 'admin' ? 'admin' : (JSON.parse(scope) as { tenants: string[] });
}

/** `mspk_<id>_<secret>`: the id finds the row, the hash of the whole key proves it. */
export function parseApiKey(key: string): { id: string } | undefined {
  const m = /^mspk_([a-f0-9]{16})_[A-Za-z0-9_-]{43}$/.exec(key);
  return m ? { id: m[1] } : undefined;
}

/**
 * The platform's own state: tenants (the live-mode registry), integrations with encrypted secrets,
 * API keys as hashes. One code path for SQLite and PostgreSQL; every write is one transaction.
 */
@Injectable()
export class PlatformStore implements OnApplicationShutdown {
  private readonly keyRows: ReadCache<ApiKeyRow | undefined>;
  private readonly tenantList: ReadCache<Tenant[]>;
  private readonly credentials: ReadCache<IntegrationCredentials | undefined>;
  private readonly touchedAt = new Map<string, number>();

  constructor(
    readonly db: Kysely<PlatformDatabase>,
    readonly engine: Engine,
    private readonly box: SecretBox,
    options: PlatformStoreOptions = { cacheTtlMs: 0 },
  ) {
    this.keyRows = new ReadCache({ ttlMs: options.cacheTtlMs });
    this.tenantList = new ReadCache({ ttlMs: options.cacheTtlMs, staleOnUnavailableMs: STALE_ON_UNAVAILABLE_MS });
    this.credentials = new ReadCache({ ttlMs: options.cacheTtlMs, staleOnUnavailableMs: STALE_ON_UNAVAILABLE_MS });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.db.destroy();
  }

  async ping(): Promise<void> {
    await this.db.selectFrom('api_keys').select('id').limit(1).execute();
  }

  // ---- tenants

  /** Every tenant, from a read at most `cacheTtlMs` old (callers must not change the list). */
  async listTenants(): Promise<Tenant[]> {
    return this.tenantList.get('all', async () => (await this.db.selectFrom('tenants').selectAll().orderBy('id').execute()).map(toTenant));
  }

  async createTenant(tenant: Tenant): Promise<Tenant> {
    this.tenantList.invalidate();
    try {
      return await this.db.transaction().execute(async (trx) => {
        const existing = await trx.selectFrom('tenants').select('id').where('id', '=', tenant.id).executeTakeFirst();
        if (existing) throw new TenantExistsError(tenant.id);
        await this.insertTenant(trx, tenant);
        return tenant;
      });
    } catch (error) {
      // Two requests creating one id at once: both pass the check, the second insert hits the key.
      if (isUniqueViolation(error)) throw new TenantExistsError(tenant.id);
      throw error;
    } finally {
      this.tenantList.invalidate();
    }
  }

  async updateTenant(id: string, patch: Partial<Omit<Tenant, 'id'>>): Promise<Tenant> {
    this.tenantList.invalidate();
    try {
      return await this.transactionalUpdateTenant(id, patch);
    } finally {
      this.tenantList.invalidate();
    }
  }

  private transactionalUpdateTenant(id: string, patch: Partial<Omit<Tenant, 'id'>>): Promise<Tenant> {
    return this.db.transaction().execute(async (trx) => {
      const row = await trx.selectFrom('tenants').selectAll().where('id', '=', id).executeTakeFirst();
      if (!row) throw new TenantNotFoundError(id);
      const next: Tenant = { ...toTenant(row), ...definedOnly(patch) };
      await trx
        .updateTable('tenants')
        .set({ name: next.name, is_active: next.is_active ? 1 : 0, llm_enabled: next.llm_enabled ? 1 : 0, updated_at: now() })
        .where('id', '=', id)
        .execute();
      return next;
    });
  }

  private async insertTenant(trx: Transaction<PlatformDatabase>, tenant: Tenant): Promise<void> {
    const at = now();
    await trx
      .insertInto('tenants')
      .values({
        id: tenant.id,
        name: tenant.name,
        is_active: tenant.is_active ? 1 : 0,
        llm_enabled: tenant.llm_enabled ? 1 : 0,
        created_at: at,
        updated_at: at,
      })
      .execute();
  }

  // ---- integrations

  /** One entry per vendor, configured or not; secrets only by name. */
  async listIntegrations(tenantId: string): Promise<IntegrationView[]> {
    const rows = await this.db.selectFrom('integrations').selectAll().where('tenant_id', '=', tenantId).execute();
    return VENDORS.map((vendor) => {
      const row = rows.find((r) => r.vendor === vendor);
      if (!row) return { vendor, configured: false, settings: {}, secrets: [] };
      return {
        vendor,
        configured: true,
        settings: Object.fromEntries(Object.entries(JSON.parse(row.settings) as Record<string, unknown>).map(([k, v]) => [k, withoutUserinfo(v)])),
        secrets: Object.keys(JSON.parse(row.secrets) as Record<string, string>),
        updated_at: row.updated_at,
      };
    });
  }

  /** Every (tenant, vendor) pair that has an integration. */
  async configuredVendors(): Promise<{ tenant_id: string; vendor: string }[]> {
    return this.db.selectFrom('integrations').select(['tenant_id', 'vendor']).execute();
  }

  /** Replaces the whole integration; secret fields are encrypted, bound to (tenant, vendor, field). */
  async putIntegration(tenantId: string, vendor: Vendor, body: Record<string, unknown>): Promise<IntegrationView> {
    const row = this.integrationRow(tenantId, vendor, body);
    await this.db.transaction().execute((trx) => this.upsertIntegration(trx, row));
    this.credentials.invalidate(`${tenantId}/${vendor}`);
    return (await this.listIntegrations(tenantId)).find((i) => i.vendor === vendor) as IntegrationView;
  }

  async deleteIntegration(tenantId: string, vendor: Vendor): Promise<boolean> {
    const result = await this.db
      .deleteFrom('integrations')
      .where('tenant_id', '=', tenantId)
      .where('vendor', '=', vendor)
      .executeTakeFirst();
    this.credentials.invalidate(`${tenantId}/${vendor}`);
    return Number(result.numDeletedRows) > 0;
  }

  /** The integration with its secrets decrypted, from a read at most `cacheTtlMs` old. */
  integrationCredentials(tenantId: string, vendor: Vendor): Promise<IntegrationCredentials | undefined> {
    return this.credentials.get(`${tenantId}/${vendor}`, () => this.readCredentials(tenantId, vendor));
  }

  private async readCredentials(tenantId: string, vendor: Vendor): Promise<IntegrationCredentials | undefined> {
    const row = await this.db
      .selectFrom('integrations')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('vendor', '=', vendor)
      .executeTakeFirst();
    if (!row) return undefined;
    const sealed = JSON.parse(row.secrets) as Record<string, string>;
    const secrets = Object.fromEntries(
      Object.entries(sealed).map(([field, c]) => {
        const context = secretContext(tenantId, vendor, field);
        try {
          return [field, this.box.decrypt(c, context)];
        } catch (error) {
          if (error instanceof SecretUndecryptableError) throw error;
          throw new SecretUndecryptableError(context, `cannot decrypt ${context}: ${(error as Error).message}`);
        }
      }),
    );
    return { vendor, settings: JSON.parse(row.settings) as Record<string, unknown>, secrets, updated_at: row.updated_at };
  }

  private integrationRow(tenantId: string, vendor: Vendor, body: Record<string, unknown>) {
    const definition = VENDOR_DEFINITIONS[vendor];
    const given = definedOnly(body);
    const secretFields = definition.secrets.filter((f) => given[f] !== undefined);
    if (secretFields.length > 0 && !this.box.canEncrypt) throw new EncryptionUnavailableError();
    const settings = definition.withDefaults(
      Object.fromEntries(Object.entries(given).filter(([k]) => !definition.secrets.includes(k))),
    );
    const secrets = Object.fromEntries(
      secretFields.map((f) => [f, this.box.encrypt(String(given[f]), secretContext(tenantId, vendor, f))]),
    );
    return { tenant_id: tenantId, vendor, settings: JSON.stringify(settings), secrets: JSON.stringify(secrets), updated_at: now() };
  }

  private async upsertIntegration(
    trx: Transaction<PlatformDatabase>,
    row: { tenant_id: string; vendor: string; settings: string; secrets: string; updated_at: string },
  ): Promise<void> {
    await trx
      .insertInto('integrations')
      .values(row)
      .onConflict((oc) =>
        oc.columns(['tenant_id', 'vendor']).doUpdateSet({ settings: row.settings, secrets: row.secrets, updated_at: row.updated_at }),
      )
      .execute();
  }

  /** Re-encrypts every secret that is under an older key, all or nothing; returns how many were rewritten. */
  async reencryptSecrets(): Promise<number> {
    if (!this.box.canEncrypt) throw new EncryptionUnavailableError();
    this.credentials.invalidate();
    return this.db.transaction().execute(async (trx) => {
      let count = 0;
      for (const row of await trx.selectFrom('integrations').selectAll().execute()) {
        const sealed = JSON.parse(row.secrets) as Record<string, string>;
        let changed = false;
        for (const [field, ciphertext] of Object.entries(sealed)) {
          if (!this.box.isStale(ciphertext)) continue;
          const context = secretContext(row.tenant_id, row.vendor, field);
          let plaintext: string;
          try {
            plaintext = this.box.decrypt(ciphertext, context);
          } catch (error) {
            throw new Error(`cannot decrypt ${context} (${error instanceof SecretUndecryptableError ? error.logDetail : (error as Error).message}); nothing was re-encrypted`);
          }
          sealed[field] = this.box.encrypt(plaintext, context);
          changed = true;
          count += 1;
        }
        if (changed) {
          await trx
            .updateTable('integrations')
            .set({ secrets: JSON.stringify(sealed) })
            .where('tenant_id', '=', row.tenant_id)
            .where('vendor', '=', row.vendor)
            .execute();
        }
      }
      return count;
    });
  }

  // ---- tenants import (CLI)

  /** Registers tenants and their integrations in one transaction: all or nothing. Existing tenants are updated. */
  async importTenants(entries: TenantImportEntry[]): Promise<{ created: string[]; updated: string[] }> {
    const rows = entries.flatMap((e) =>
      Object.entries(e.integrations).map(([vendor, body]) => this.integrationRow(e.tenant.id, vendor as Vendor, body ?? {})),
    );
    this.tenantList.invalidate();
    this.credentials.invalidate();
    return this.db.transaction().execute(async (trx) => {
      const created: string[] = [];
      const updated: string[] = [];
      for (const { tenant } of entries) {
        const exists = await trx.selectFrom('tenants').select('id').where('id', '=', tenant.id).executeTakeFirst();
        if (exists) {
          await trx
            .updateTable('tenants')
            .set({ name: tenant.name, is_active: tenant.is_active ? 1 : 0, llm_enabled: tenant.llm_enabled ? 1 : 0, updated_at: now() })
            .where('id', '=', tenant.id)
            .execute();
          updated.push(tenant.id);
        } else {
          await this.insertTenant(trx, tenant);
          created.push(tenant.id);
        }
      }
      for (const row of rows) await this.upsertIntegration(trx, row);
      return { created, updated };
    }).finally(() => {
      this.tenantList.invalidate();
      this.credentials.invalidate();
    });
  }

  // ---- API keys

  /** Mints a key; the key itself is returned once and only its hash is kept. */
  async createApiKey(name: string, scope: ApiKeyScope): Promise<{ id: string; key: string }> {
    const id = randomBytes(8).toString('hex');
    const key = `${KEY_PREFIX}_${id}_${randomBytes(32).toString('base64url')}`;
    await this.db
      .insertInto('api_keys')
      .values({
        id,
        name,
        key_hash: sha256(key).toString('hex'),
        scope: scope === 'admin' ? 'admin' : JSON.stringify({ tenants: [...new Set(scope.tenants)].sort() }),
        created_at: now(),
        last_used_at: null,
        revoked_at: null,
      })
      .execute();
    this.keyRows.invalidate(id);
    return { id, key };
  }

  async listApiKeys(): Promise<ApiKeyView[]> {
    const rows = await this.db
      .selectFrom('api_keys')
      .select(['id', 'name', 'scope', 'created_at', 'last_used_at', 'revoked_at'])
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    return rows.map((r) => ({ ...r, scope: parseScope(r.scope) }));
  }

  /** Marks the key revoked (idempotent); unknown id → 404. */
  async revokeApiKey(id: string): Promise<void> {
    this.keyRows.invalidate(id);
    const result = await this.db
      .updateTable('api_keys')
      .set({ revoked_at: now() })
      .where('id', '=', id)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    this.keyRows.invalidate(id);
    if (Number(result.numUpdatedRows) > 0) return;
    const exists = await this.db.selectFrom('api_keys').select('id').where('id', '=', id).executeTakeFirst();
    if (!exists) throw new ApiKeyNotFoundError(id);
  }

  /** The key's scope if it exists, is not revoked, and its hash matches in constant time. */
  async verifyApiKey(key: string): Promise<{ id: string; scope: ApiKeyScope; lastUsedAt: string | null } | undefined> {
    const parsed = parseApiKey(key);
    if (!parsed) return undefined;
    const row = await this.keyRows.get(parsed.id, () =>
      this.db
        .selectFrom('api_keys')
        .select(['id', 'key_hash', 'scope', 'revoked_at', 'last_used_at'])
        .where('id', '=', parsed.id)
        .executeTakeFirst(),
    );
    if (!row || row.revoked_at !== null) return undefined;
    if (!timingSafeEqual(sha256(key), Buffer.from(row.key_hash, 'hex'))) return undefined;
    return { id: row.id, scope: parseScope(row.scope), lastUsedAt: row.last_used_at };
  }

  /**
   * Records that the key was used, at most once per TOUCH_EVERY_MS per key in this process however
   * many requests arrive together (the slot is taken before the write starts).
   */
  async touchApiKey(id: string, lastUsedAt: string | null): Promise<void> {
    const at = Date.now();
    const local = this.touchedAt.get(id);
    if (local !== undefined && at - local < TOUCH_EVERY_MS) return;
    this.touchedAt.set(id, at);
    if (this.touchedAt.size > 10_000) this.touchedAt.delete(this.touchedAt.keys().next().value as string);
    if (lastUsedAt && at - Date.parse(lastUsedAt) < TOUCH_EVERY_MS) return;
    await this.db.updateTable('api_keys').set({ last_used_at: new Date(at).toISOString() }).where('id', '=', id).execute();
  }

  /** The integrations holding a secret under a key this copy does not have (what health reports; no decryption). */
  async integrationsWithUnknownKeys(): Promise<{ tenant_id: string; vendor: string }[]> {
    const rows = await this.db.selectFrom('integrations').select(['tenant_id', 'vendor', 'secrets']).orderBy('tenant_id').orderBy('vendor').execute();
    return rows
      .filter((row) => Object.values(JSON.parse(row.secrets) as Record<string, string>).some((c) => !this.box.hasKeyFor(c)))
      .map(({ tenant_id, vendor }) => ({ tenant_id, vendor }));
  }

  /** How many stored secrets do not decrypt with the configured keys (checked at boot), out of how many. */
  async undecryptableSecrets(): Promise<{ failed: number; total: number; where: string[] }> {
    let failed = 0;
    let total = 0;
    const where: string[] = [];
    for (const row of await this.db.selectFrom('integrations').select(['tenant_id', 'vendor', 'secrets']).execute()) {
      for (const [field, ciphertext] of Object.entries(JSON.parse(row.secrets) as Record<string, string>)) {
        total += 1;
        try {
          this.box.decrypt(ciphertext, secretContext(row.tenant_id, row.vendor, field));
        } catch {
          failed += 1;
          where.push(secretContext(row.tenant_id, row.vendor, field));
        }
      }
    }
    return { failed, total, where };
  }
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function secretContext(tenantId: string, vendor: string, field: string): string {
  return `${tenantId}/${vendor}/${field}`;
}
