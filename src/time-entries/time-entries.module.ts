import { Module } from '@nestjs/common';
import { bindSource, notYetLive } from '../common/source-binding.js';
import { TIME_ENTRIES } from '../mock/mock-domains.js';
import { MockFileProvider } from '../mock/mock-file.provider.js';
import { TenantsModule } from '../tenants/tenants.module.js';
import { TIME_ENTRY_SOURCE } from './sources/time-entry-source.js';
import { TimeEntriesController } from './time-entries.controller.js';
import { TimeEntriesService } from './time-entries.service.js';

@Module({
  imports: [TenantsModule],
  controllers: [TimeEntriesController],
  providers: [
    bindSource(TIME_ENTRY_SOURCE, {
      mock: (store) => MockFileProvider.of(store, TIME_ENTRIES),
      live: notYetLive('time entries', 'ConnectWise PSA'),
    }),
    TimeEntriesService,
  ],
  exports: [TimeEntriesService],
})
export class TimeEntriesModule {}
