import { STATUS_CODES } from 'node:http';
import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { liveConfig } from '../config/live.config.js';
import { ValidationProblemError } from '../common/problem/problem.error.js';
import { fieldProblems } from '../common/validation/validation-pipe.js';
import { VendorAuthError, VendorError, VendorHttpError } from '../integrations/http/vendor-errors.js';
import { LiveClients } from '../platform/live-clients.js';
import { ApiKeysService } from '../platform/api-keys.service.js';
import { VENDOR_DEFINITIONS, Vendor, isVendor } from '../platform/integration-bodies.dto.js';
import { integrationUrlProblems } from '../platform/integration-urls.js';
import { IntegrationsService } from '../platform/integrations.service.js';
import { IntegrationNotConfiguredError, VendorNotFoundError } from '../platform/platform.errors.js';
import { TENANT_WRITER, TenantWriter } from '../tenants/sources/tenant-source.js';
import type { Tenant } from '../tenants/tenant.record.js';
import { TenantsService } from '../tenants/tenants.service.js';
import { AdminSyncService } from './admin-sync.service.js';
import type { ApiKeyInfo, CreateApiKeyBody, CreatedApiKey, IntegrationInfo, IntegrationTestResult } from './admin-api-key.dto.js';
import type { CreateTenantBody, UpdateTenantBody } from './admin-tenant.dto.js';

function vendorOf(value: string): Vendor {
  if (!isVendor(value)) throw new VendorNotFoundError(value);
  return value;
}

/** What the admin routes do: tenant writes, integrations checked before they are stored, and API keys. */
@Injectable()
export class AdminService {
  constructor(
    private readonly tenants: TenantsService,
    @Inject(TENANT_WRITER) private readonly writer: TenantWriter,
    private readonly integrations: IntegrationsService,
    private readonly apiKeys: ApiKeysService,
    private readonly clients: LiveClients,
    private readonly sync: AdminSyncService,
    @Inject(liveConfig.KEY) private readonly live: ConfigType<typeof liveConfig>,
  ) {}

  createTenant(body: CreateTenantBody): Promise<Tenant> {
    return this.writer.create({ id: body.id, name: body.name, is_active: body.is_active, llm_enabled: body.llm_enabled });
  }

  updateTenant(tenant: Tenant, body: UpdateTenantBody): Promise<Tenant> {
    return this.writer.update(tenant.id, { name: body.name, is_active: body.is_active, llm_enabled: body.llm_enabled });
  }

  listIntegrations(tenant: Tenant): Promise<IntegrationInfo[]> {
    return this.integrations.list(tenant.id);
  }

  /** The body is validated against the vendor's own class, then its URLs against the address guard; another data source starts its replica over. */
  async putIntegration(tenant: Tenant, vendorParam: string, body: unknown): Promise<IntegrationInfo> {
    const vendor = vendorOf(vendorParam);
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw new ValidationProblemError([{ field: 'body', message: 'must be a JSON object' }]);
    }
    const instance = plainToInstance(VENDOR_DEFINITIONS[vendor].body, body);
    const errors = await validate(instance, { whitelist: true, forbidNonWhitelisted: true });
    if (errors.length > 0) throw new ValidationProblemError(fieldProblems(errors));
    const unsafe = integrationUrlProblems({ ...instance }, this.live.http.allowPrivateNetworks);
    if (unsafe.length > 0) throw new ValidationProblemError(unsafe);
    let replaced = false;
    const info = await this.integrations.put(tenant.id, vendor, { ...instance }, async (db) => {
      replaced = true;
      await this.sync.resetVendor(tenant.id, vendor, db);
    });
    if (replaced) this.sync.forgetVendor(tenant.id, vendor);
    return info;
  }

  async deleteIntegration(tenant: Tenant, vendorParam: string): Promise<void> {
    const vendor = vendorOf(vendorParam);
    // The replica's rows and sync state go with the integration (foreign keys, ON DELETE CASCADE).
    if (!(await this.integrations.delete(tenant.id, vendor))) throw new IntegrationNotConfiguredError(tenant.id, vendor);
    this.sync.forgetVendor(tenant.id, vendor);
  }

  /** One cheap authenticated call; a vendor failure is an answer (`ok: false`), not an error. */
  async testIntegration(tenant: Tenant, vendorParam: string): Promise<IntegrationTestResult> {
    const vendor = vendorOf(vendorParam);
    const client = (await this.clients.for(tenant.id, vendor))?.client;
    if (!client) throw new IntegrationNotConfiguredError(tenant.id, vendor);
    const started = performance.now();
    try {
      await client.ping();
      return { ok: true, latency_ms: Math.round(performance.now() - started) };
    } catch (error) {
      if (!(error instanceof VendorError)) throw error;
      return { ok: false, error: describeVendorFailure(VENDOR_DEFINITIONS[vendor].label, error) };
    }
  }

  /** A tenant-scoped key may only name tenants that exist. */
  async createApiKey(body: CreateApiKeyBody): Promise<CreatedApiKey> {
    if (body.scope !== 'admin') {
      const known = await this.tenants.ids();
      const unknown = body.scope.tenants.map((t, i) => ({ t, i })).filter(({ t }) => !known.has(t));
      if (unknown.length > 0) {
        throw new ValidationProblemError(unknown.map(({ t, i }) => ({ field: `scope.tenants.${i}`, message: `tenant '${t}' does not exist` })));
      }
    }
    return this.apiKeys.create(body.name, body.scope);
  }

  listApiKeys(): Promise<ApiKeyInfo[]> {
    return this.apiKeys.list();
  }

  revokeApiKey(id: string): Promise<void> {
    return this.apiKeys.revoke(id);
  }
}

/**
 * `401 from ConnectWise PSA: invalid credentials or insufficient permissions`: the vendor's status and a
 * short reason of ours. Never the vendor's body: the URL may point anywhere, and its answer is not ours to relay.
 */
function describeVendorFailure(label: string, error: VendorError): string {
  if (error instanceof VendorAuthError) return `${error.status} from ${label}: invalid credentials or insufficient permissions`;
  if (error instanceof VendorHttpError) return `${error.status} from ${label}: ${STATUS_CODES[error.status ?? 0] ?? 'unexpected status'}`;
  return `${label}: ${error.message}`;
}
