import { Module } from '@nestjs/common';
import { bindSource } from '../source-binding/source-binding.js';
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
    bindSource<TenantSource>(TENANT_SOURCE, 'tenants', {
      mock: (store) => MockFileProvider.tenants(store),
      live: ({ platform }) => new PlatformTenantSource(platform.tenants),
    }),
    bindSource<TenantWriter>(TENANT_WRITER, 'tenants', {
      mock: () => new ReadOnlyTenantWriter(),
      live: ({ platform }) => new PlatformTenantSource(platform.tenants),
    }),
    TenantsService,
    TenantPipe,
  ],
  exports: [TenantsService, TenantPipe, TENANT_WRITER],
})
export class TenantsModule {}
