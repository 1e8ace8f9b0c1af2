import { Module } from '@nestjs/common';
import { bindSource } from '../common/source-binding.js';
import { MockFileProvider } from '../mock/mock-file.provider.js';
import { TENANT_SOURCE } from './sources/tenant-source.js';
import { ActiveTenantPipe, TenantPipe } from './tenant.pipes.js';
import { TenantsController } from './tenants.controller.js';
import { TenantsService } from './tenants.service.js';

@Module({
  controllers: [TenantsController],
  providers: [
    bindSource(TENANT_SOURCE, {
      mock: (store) => MockFileProvider.tenants(store),
      live: { what: 'tenants', vendor: 'the platform store' },
    }),
    TenantsService,
    TenantPipe,
    ActiveTenantPipe,
  ],
  exports: [TenantsService, TenantPipe, ActiveTenantPipe],
})
export class TenantsModule {}
