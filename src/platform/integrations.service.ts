import { Injectable } from '@nestjs/common';
import { PlatformCacheOptions, PlatformDb, PlatformExecutor, STALE_ON_UNAVAILABLE_MS, definedOnly } from './platform-db.js';
import { sourceChanged } from './integration-identity.js';
import { VENDOR_DEFINITIONS, VENDORS, Vendor } from './integration-bodies.dto.js';
import { withoutUserinfo } from './integration-urls.js';
import { IntegrationRepository, IntegrationRow, secretContext } from './repositories/integration.repository.js';
import { ReadCache } from './read-cache.js';
import { SecretUndecryptableError } from './secret-box.js';
import { EncryptionUnavailableError } from './platform.errors.js';

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

/** Tenants' vendor integrations: settings in clear, secrets encrypted and never shown. */
@Injectable()
export class IntegrationsService {
  private readonly credentials: ReadCache<IntegrationCredentials | undefined>;
  // Health asks on every probe (public, unthrottled): one table scan per cache period, not per probe.
  private readonly unknownKeys: ReadCache<{ tenant_id: string; vendor: string }[]>;
  // Live reads ask on every request which vendors a tenant has: one query per tenant and cache period.
  private readonly vendorSets: ReadCache<ReadonlySet<string>>;

  constructor(
    private readonly integrations: IntegrationRepository,
    private readonly platform: PlatformDb,
    options: PlatformCacheOptions,
  ) {
    this.credentials = new ReadCache({ ttlMs: options.cacheTtlMs, staleOnUnavailableMs: STALE_ON_UNAVAILABLE_MS });
    this.unknownKeys = new ReadCache({ ttlMs: options.cacheTtlMs, staleOnUnavailableMs: 0 });
    this.vendorSets = new ReadCache({ ttlMs: options.cacheTtlMs, staleOnUnavailableMs: STALE_ON_UNAVAILABLE_MS });
  }

  /** The vendors the tenant has an integration for, from a read at most `cacheTtlMs` old; no secret is opened. */
  vendorsOf(tenantId: string): Promise<ReadonlySet<string>> {
    return this.vendorSets.get(tenantId, async () => new Set(await this.integrations.vendorsOf(tenantId)));
  }

  /** One entry per vendor, configured or not; secrets only by name. */
  async list(tenantId: string): Promise<IntegrationView[]> {
    const rows = await this.integrations.getByTenant(tenantId);
    return VENDORS.map((vendor) => {
      const row = rows.find((r) => r.vendor === vendor);
      if (!row) return { vendor, configured: false, settings: {}, secrets: [] };
      return {
        vendor,
        configured: true,
        settings: Object.fromEntries(Object.entries(row.settings).map(([k, v]) => [k, withoutUserinfo(v)])),
        secrets: Object.keys(row.sealed),
        updated_at: row.updated_at,
      };
    });
  }

  /** Every (tenant, vendor) pair that has an integration. */
  configuredVendors(): Promise<{ tenant_id: string; vendor: string }[]> {
    return this.integrations.getConfigured();
  }

  /**
   * Replaces the whole integration; secret fields are encrypted, bound to (tenant, vendor, field). When the new
   * settings name another data source, `onSourceChanged` runs in the same transaction as the write.
   */
  async put(
    tenantId: string,
    vendor: Vendor,
    body: Record<string, unknown>,
    onSourceChanged?: (db: PlatformExecutor) => Promise<void>,
  ): Promise<IntegrationView> {
    const row = this.toRow(tenantId, vendor, body);
    await this.platform.transaction(async (trx) => {
      const before = await this.integrations.get(tenantId, vendor, trx);
      await this.integrations.upsert(row, trx);
      if (onSourceChanged && sourceChanged(vendor, before?.settings, row.settings)) await onSourceChanged(trx);
    });
    this.credentials.invalidate(`${tenantId}/${vendor}`);
    this.vendorSets.invalidate(tenantId);
    this.unknownKeys.invalidate();
    return (await this.list(tenantId)).find((i) => i.vendor === vendor) as IntegrationView;
  }

  async delete(tenantId: string, vendor: Vendor): Promise<boolean> {
    const deleted = await this.integrations.delete(tenantId, vendor);
    this.credentials.invalidate(`${tenantId}/${vendor}`);
    this.vendorSets.invalidate(tenantId);
    this.unknownKeys.invalidate();
    return deleted;
  }

  /** The integration with its secrets decrypted, from a read at most `cacheTtlMs` old. */
  credentialsFor(tenantId: string, vendor: Vendor): Promise<IntegrationCredentials | undefined> {
    return this.credentials.get(`${tenantId}/${vendor}`, async () => {
      const row = await this.integrations.get(tenantId, vendor);
      if (!row) return undefined;
      const secrets = Object.fromEntries(Object.keys(row.sealed).map((field) => [field, this.integrations.open(row, field)]));
      return { vendor, settings: row.settings, secrets, updated_at: row.updated_at };
    });
  }

  /** The row a request body becomes: vendor defaults applied, secret fields sealed. */
  toRow(tenantId: string, vendor: Vendor, body: Record<string, unknown>): IntegrationRow {
    const definition = VENDOR_DEFINITIONS[vendor];
    const given = definedOnly(body);
    const isSecret = (field: string) => definition.secrets.includes(field);
    const settings = definition.withDefaults(Object.fromEntries(Object.entries(given).filter(([k]) => !isSecret(k))));
    const secrets = Object.fromEntries(Object.entries(given).filter(([k]) => isSecret(k)).map(([k, v]) => [k, String(v)]));
    return this.integrations.seal(tenantId, vendor, settings, secrets);
  }

  /** Re-encrypts every secret that is under an older key, all or nothing; returns how many were rewritten. */
  async reencryptSecrets(): Promise<number> {
    if (!this.integrations.canEncrypt) throw new EncryptionUnavailableError();
    this.invalidate();
    return this.platform.transaction(async (trx) => {
      let count = 0;
      for (const row of await this.integrations.getAll(trx)) {
        const sealed = { ...row.sealed };
        let changed = 0;
        for (const field of Object.keys(row.sealed)) {
          const fresh = this.resealed(row, field);
          if (fresh === undefined) continue;
          sealed[field] = fresh;
          changed += 1;
        }
        count += changed;
        if (changed > 0) await this.integrations.setSealed(row.tenant_id, row.vendor, sealed, trx);
      }
      return count;
    });
  }

  private resealed(row: IntegrationRow, field: string): string | undefined {
    try {
      return this.integrations.resealed(row, field);
    } catch (error) {
      const why = error instanceof SecretUndecryptableError ? error.logDetail : (error as Error).message;
      throw new Error(`cannot decrypt ${secretContext(row.tenant_id, row.vendor, field)} (${why}); nothing was re-encrypted`);
    }
  }

  /** The integrations holding a secret under a key this copy does not have (what health reports; no decryption). */
  withUnknownKeys(): Promise<{ tenant_id: string; vendor: string }[]> {
    return this.unknownKeys.get('all', async () =>
      (await this.integrations.getAll()).filter((row) => this.integrations.hasUnknownKey(row)).map(({ tenant_id, vendor }) => ({ tenant_id, vendor })),
    );
  }

  /** How many stored secrets do not decrypt with the configured keys (checked at boot), out of how many. */
  async undecryptableSecrets(): Promise<{ failed: number; total: number; where: string[] }> {
    let total = 0;
    const where: string[] = [];
    for (const row of await this.integrations.getAll()) {
      for (const field of Object.keys(row.sealed)) {
        total += 1;
        try {
          this.integrations.open(row, field);
        } catch {
          where.push(secretContext(row.tenant_id, row.vendor, field));
        }
      }
    }
    return { failed: where.length, total, where };
  }

  /** Forgets every cached credential (after a bulk change). */
  invalidate(): void {
    this.credentials.invalidate();
    this.unknownKeys.invalidate();
    this.vendorSets.invalidate();
  }
}
