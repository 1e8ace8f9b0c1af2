import { Module } from '@nestjs/common';
import { bindSource, notYetLive } from '../common/source-binding.js';
import { CSAT } from '../mock/mock-domains.js';
import { MockFileProvider } from '../mock/mock-file.provider.js';
import { TenantsModule } from '../tenants/tenants.module.js';
import { CsatController } from './csat.controller.js';
import { CsatService } from './csat.service.js';
import { CSAT_SOURCE } from './sources/csat-source.js';

@Module({
  imports: [TenantsModule],
  controllers: [CsatController],
  providers: [
    bindSource(CSAT_SOURCE, {
      mock: (store) => MockFileProvider.of(store, CSAT),
      live: notYetLive('CSAT surveys', 'SmileBack'),
    }),
    CsatService,
  ],
  exports: [CsatService],
})
export class CsatModule {}
