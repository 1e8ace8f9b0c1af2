import { SmileBackCsatSource } from './sources/smileback-csat-source.js';
import { Module } from '@nestjs/common';
import { ReplicaSource } from '../source-binding/replica-source.js';
import { bindSource, type SourceChoices } from '../source-binding/source-binding.js';
import { CSAT } from './csat.domain.js';
import { MockFileProvider } from '../mock/mock-file.provider.js';
import { TenantsModule } from '../tenants/tenants.module.js';
import { CsatController } from './csat.controller.js';
import { CsatService } from './csat.service.js';
import { CSAT_SOURCE, CsatSource } from './sources/csat-source.js';

/** Where this domain's records come from; the tickets' live source reads them through the same choices. */
export const CSAT_SOURCES: SourceChoices<CsatSource> = {
  mock: (store) => MockFileProvider.of(store, CSAT),
  live: (deps) => new SmileBackCsatSource(deps),
  replica: (reads) => new ReplicaSource(reads, 'csat'),
};

@Module({
  imports: [TenantsModule],
  controllers: [CsatController],
  providers: [
    bindSource<CsatSource>(CSAT_SOURCE, 'csat', CSAT_SOURCES),
    CsatService,
  ],
  exports: [CsatService],
})
export class CsatModule {}
