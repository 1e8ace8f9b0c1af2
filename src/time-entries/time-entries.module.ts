import { ClosedTicketIds, ConnectWiseTimeEntrySource, closedTicketIdsOpenedBefore } from './sources/connectwise-time-entry-source.js';
import { TICKETS } from '../tickets/tickets.domain.js';
import { Module } from '@nestjs/common';
import { ReplicaSource } from '../source-binding/replica-source.js';
import { bindSource, type SourceChoices } from '../source-binding/source-binding.js';
import { TIME_ENTRIES } from './time-entries.domain.js';
import { MockFileProvider } from '../mock/mock-file.provider.js';
import { TenantsModule } from '../tenants/tenants.module.js';
import { TIME_ENTRY_SOURCE, TimeEntrySource } from './sources/time-entry-source.js';
import { TimeEntriesController } from './time-entries.controller.js';
import { TimeEntriesService } from './time-entries.service.js';

/** Where this domain's records come from; the tickets' live source reads them through the same choices. */
export const TIME_ENTRY_SOURCES: SourceChoices<TimeEntrySource> = {
  mock: (store) => MockFileProvider.of(store, TIME_ENTRIES),
  // The closed tickets whose every entry is fetched come from where the tickets are served: a mocked
  // tickets domain's folder (its vendor endpoint is never called), else a ConnectWise query.
  live: (deps, bound) =>
    new ConnectWiseTimeEntrySource(
      deps,
      bound.sourceOf<ClosedTicketIds | undefined>('tickets', {
        mock: (store) => {
          const tickets = MockFileProvider.of(store, TICKETS);
          return async (tenantId, since) => closedTicketIdsOpenedBefore(await tickets.list(tenantId), since);
        },
        live: () => undefined,
      }),
    ),
  replica: (reads) => new ReplicaSource(reads, 'time_entries'),
};

@Module({
  imports: [TenantsModule],
  controllers: [TimeEntriesController],
  providers: [
    bindSource<TimeEntrySource>(TIME_ENTRY_SOURCE, 'time_entries', TIME_ENTRY_SOURCES),
    TimeEntriesService,
  ],
  exports: [TimeEntriesService],
})
export class TimeEntriesModule {}
