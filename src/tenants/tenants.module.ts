import { Module } from '@nestjs/common';
import { bindTenantSource } from '../source-binding/source-binding.js';
import { MockFileProvider } from '../mock/mock-file.provider.js';
import { PlatformTenantSource } from './sources/platform-tenant-source.js';
import { ReadOnlyTenantWriter } from './sources/read-only-tenant-writer.js';
import { TENANT_SOURCE, TENANT_WRITER, TenantSource, TenantWriter } from './sources/tenant-source.js';
import { TenantPipe } from './tenant.pipes.js';
import { TenantsController } from './tenants.controller.js';
import { TenantsService } from './tenants.service.js';

@Module({
  controllers: [TenantsController],
  providers: [
    bindTenantSource<TenantSource>(TENANT_SOURCE, {
      mock: (store) => MockFileProvider.tenants(store),
      platform: (platform) => new PlatformTenantSource(platform.tenants),
    }),
    bindTenantSource<TenantWriter>(TENANT_WRITER, {
      mock: () => new ReadOnlyTenantWriter(),
      platform: (platform) => new PlatformTenantSource(platform.tenants),
    }),
    TenantsService,
    TenantPipe,
  ],
  exports: [TenantsService, TenantPipe, TENANT_WRITER],
})
export class TenantsModule {}
