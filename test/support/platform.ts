import type { Kysely } from 'kysely';
import { ApiKeysService } from '../../src/platform/api-keys.service.js';
import type { Engine } from '../../src/platform/database.js';
import { IntegrationsService } from '../../src/platform/integrations.service.js';
import { PlatformCacheOptions, PlatformDb } from '../../src/platform/platform-db.js';
import type { PlatformDatabase } from '../../src/platform/platform.schema.js';
import { PlatformStore } from '../../src/platform/platform.store.js';
import { PlatformTenantsService } from '../../src/platform/platform-tenants.service.js';
import { ApiKeyRepository } from '../../src/platform/repositories/api-key.repository.js';
import { IntegrationRepository } from '../../src/platform/repositories/integration.repository.js';
import { TenantRepository } from '../../src/platform/repositories/tenant.repository.js';
import type { SecretBox } from '../../src/platform/secret-box.js';
import { TenantImportService } from '../../src/platform/tenant-import.service.js';

/** The platform's repositories and services wired as PlatformModule wires them, on an open database. */
export function platformOn(db: Kysely<PlatformDatabase>, engine: Engine, box: SecretBox, cacheTtlMs = 0) {
  const platform = new PlatformDb(db, engine);
  const options = new PlatformCacheOptions(cacheTtlMs);
  const tenantRows = new TenantRepository(platform);
  const integrationRows = new IntegrationRepository(platform, box);
  const tenants = new PlatformTenantsService(tenantRows, platform, options);
  const integrations = new IntegrationsService(integrationRows, platform, options);
  return {
    db,
    engine,
    tenants,
    integrations,
    apiKeys: new ApiKeysService(new ApiKeyRepository(platform), options),
    imports: new TenantImportService(platform, tenantRows, integrationRows, tenants, integrations),
    store: new PlatformStore(tenants, integrations),
    close: () => platform.onApplicationShutdown(),
  };
}

export type PlatformUnderTest = ReturnType<typeof platformOn>;
