import { Injectable } from '@nestjs/common';
import { PlatformDb, PlatformExecutor, nowIso } from '../platform-db.js';
import { SecretBox, SecretUndecryptableError } from '../secret-box.js';
import { EncryptionUnavailableError } from '../platform.errors.js';

/** A stored integration: settings in clear, each secret sealed under (tenant, vendor, field). */
export interface IntegrationRow {
  tenant_id: string;
  vendor: string;
  settings: Record<string, unknown>;
  /** Field name → ciphertext. */
  sealed: Record<string, string>;
  updated_at: string;
}

interface StoredRow {
  tenant_id: string;
  vendor: string;
  settings: string;
  secrets: string;
  updated_at: string;
}

const fromStored = (row: StoredRow): IntegrationRow => ({
  tenant_id: row.tenant_id,
  vendor: row.vendor,
  settings: JSON.parse(row.settings) as Record<string, unknown>,
  sealed: JSON.parse(row.secrets) as Record<string, string>,
  updated_at: row.updated_at,
});

export const secretContext = (tenantId: string, vendor: string, field: string) => `${tenantId}/${vendor}/${field}`;

/** The `integrations` table and the secret box its secrets are sealed with. */
@Injectable()
export class IntegrationRepository {
  constructor(
    private readonly platform: PlatformDb,
    private readonly box: SecretBox,
  ) {}

  async getByTenant(tenantId: string): Promise<IntegrationRow[]> {
    return (await this.platform.db.selectFrom('integrations').selectAll().where('tenant_id', '=', tenantId).execute()).map(fromStored);
  }

  /** The vendors the tenant has an integration for (no payload read). */
  async vendorsOf(tenantId: string): Promise<string[]> {
    return (await this.platform.db.selectFrom('integrations').select('vendor').where('tenant_id', '=', tenantId).execute()).map((r) => r.vendor);
  }

  async get(tenantId: string, vendor: string, db: PlatformExecutor = this.platform.db): Promise<IntegrationRow | undefined> {
    const row = await db
      .selectFrom('integrations')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('vendor', '=', vendor)
      .executeTakeFirst();
    return row && fromStored(row);
  }

  async getAll(db: PlatformExecutor = this.platform.db): Promise<IntegrationRow[]> {
    return (await db.selectFrom('integrations').selectAll().orderBy('tenant_id').orderBy('vendor').execute()).map(fromStored);
  }

  getConfigured(): Promise<{ tenant_id: string; vendor: string }[]> {
    return this.platform.db.selectFrom('integrations').select(['tenant_id', 'vendor']).execute();
  }

  /** Inserts or replaces the (tenant, vendor) row. */
  async upsert(row: IntegrationRow, db: PlatformExecutor = this.platform.db): Promise<void> {
    const values = { tenant_id: row.tenant_id, vendor: row.vendor, settings: JSON.stringify(row.settings), secrets: JSON.stringify(row.sealed), updated_at: row.updated_at };
    await db
      .insertInto('integrations')
      .values(values)
      .onConflict((oc) => oc.columns(['tenant_id', 'vendor']).doUpdateSet({ settings: values.settings, secrets: values.secrets, updated_at: values.updated_at }))
      .execute();
  }

  async setSealed(tenantId: string, vendor: string, sealed: Record<string, string>, db: PlatformExecutor = this.platform.db): Promise<void> {
    await db
      .updateTable('integrations')
      .set({ secrets: JSON.stringify(sealed) })
      .where('tenant_id', '=', tenantId)
      .where('vendor', '=', vendor)
      .execute();
  }

  async delete(tenantId: string, vendor: string): Promise<boolean> {
    const result = await this.platform.db.deleteFrom('integrations').where('tenant_id', '=', tenantId).where('vendor', '=', vendor).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  /** A row ready to store: each secret sealed to its (tenant, vendor, field). */
  seal(tenantId: string, vendor: string, settings: Record<string, unknown>, secrets: Record<string, string>): IntegrationRow {
    if (Object.keys(secrets).length > 0 && !this.box.canEncrypt) throw new EncryptionUnavailableError();
    const sealed = Object.fromEntries(Object.entries(secrets).map(([f, v]) => [f, this.box.encrypt(v, secretContext(tenantId, vendor, f))]));
    return { tenant_id: tenantId, vendor, settings, sealed, updated_at: nowIso() };
  }

  /** One secret in clear; any failure is a SecretUndecryptableError naming where. */
  open(row: IntegrationRow, field: string): string {
    const context = secretContext(row.tenant_id, row.vendor, field);
    try {
      return this.box.decrypt(row.sealed[field], context);
    } catch (error) {
      if (error instanceof SecretUndecryptableError) throw error;
      throw new SecretUndecryptableError(context, `cannot decrypt ${context}: ${(error as Error).message}`);
    }
  }

  /** The same secret sealed under the current key, or undefined when it already is. */
  resealed(row: IntegrationRow, field: string): string | undefined {
    if (!this.box.isStale(row.sealed[field])) return undefined;
    return this.box.encrypt(this.open(row, field), secretContext(row.tenant_id, row.vendor, field));
  }

  get canEncrypt(): boolean {
    return this.box.canEncrypt;
  }

  /** True when a secret of the row is under a key this copy does not hold (no decryption). */
  hasUnknownKey(row: IntegrationRow): boolean {
    return Object.values(row.sealed).some((c) => !this.box.hasKeyFor(c));
  }
}
