import { Module } from '@nestjs/common';
import { ReplicaSource } from '../source-binding/replica-source.js';
import { bindSource } from '../source-binding/source-binding.js';
import { TIME_ENTRIES } from './time-entries.domain.js';
import { MockFileProvider } from '../mock/mock-file.provider.js';
import { TenantsModule } from '../tenants/tenants.module.js';
import { TIME_ENTRY_SOURCE, TimeEntrySource } from './sources/time-entry-source.js';
import { TimeEntriesController } from './time-entries.controller.js';
import { TimeEntriesService } from './time-entries.service.js';

@Module({
  imports: [TenantsModule],
  controllers: [TimeEntriesController],
  providers: [
    bindSource<TimeEntrySource>(TIME_ENTRY_SOURCE, 'time_entries', {
      mock: (store) => MockFileProvider.of(store, TIME_ENTRIES),
      replica: (reads) => new ReplicaSource(reads, 'time_entries'),
    }),
    TimeEntriesService,
  ],
  exports: [TimeEntriesService],
})
export class TimeEntriesModule {}
