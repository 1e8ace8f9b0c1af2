import { Module } from '@nestjs/common';
import { ReplicaSource } from '../source-binding/replica-source.js';
import { bindSource } from '../source-binding/source-binding.js';
import { CSAT } from './csat.domain.js';
import { MockFileProvider } from '../mock/mock-file.provider.js';
import { TenantsModule } from '../tenants/tenants.module.js';
import { CsatController } from './csat.controller.js';
import { CsatService } from './csat.service.js';
import { CSAT_SOURCE, CsatSource } from './sources/csat-source.js';

@Module({
  imports: [TenantsModule],
  controllers: [CsatController],
  providers: [
    bindSource<CsatSource>(CSAT_SOURCE, 'csat', {
      mock: (store) => MockFileProvider.of(store, CSAT),
      replica: (reads) => new ReplicaSource(reads, 'csat'),
    }),
    CsatService,
  ],
  exports: [CsatService],
})
export class CsatModule {}
