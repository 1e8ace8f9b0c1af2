import { ConnectWiseTicketSource } from './sources/connectwise-ticket-source.js';
import { Module } from '@nestjs/common';
import { ReplicaSource } from '../source-binding/replica-source.js';
import { CSAT_SOURCES } from '../csat/csat.module.js';
import { TIME_ENTRY_SOURCES } from '../time-entries/time-entries.module.js';
import { bindSource } from '../source-binding/source-binding.js';
import { TICKETS } from './tickets.domain.js';
import { MockFileProvider } from '../mock/mock-file.provider.js';
import { TenantsModule } from '../tenants/tenants.module.js';
import { TICKET_SOURCE, TicketSource } from './sources/ticket-source.js';
import { TicketsController } from './tickets.controller.js';
import { TicketsService } from './tickets.service.js';

@Module({
  imports: [TenantsModule],
  controllers: [TicketsController],
  providers: [
    bindSource<TicketSource>(TICKET_SOURCE, 'tickets', {
      mock: (store) => MockFileProvider.of(store, TICKETS),
      live: (deps, bound) => {
        // The references come from the sources those domains are bound to: a mocked domain's records
        // (its folder, never its vendor); a live one's shares the bound source's cache keys (one fetch).
        const timeEntries = bound.sourceOf('time_entries', TIME_ENTRY_SOURCES);
        const surveys = bound.sourceOf('csat', CSAT_SOURCES);
        return new ConnectWiseTicketSource(deps, [
          async (tenantId) => (await timeEntries.list(tenantId)).map((entry) => entry.cw_ticket_id),
          async (tenantId) => (await surveys.list(tenantId)).map((survey) => survey.ticket_id),
        ]);
      },
      replica: (reads) => new ReplicaSource(reads, 'tickets'),
    }),
    TicketsService,
  ],
  exports: [TicketsService],
})
export class TicketsModule {}
