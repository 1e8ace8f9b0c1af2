import { ConnectWiseTicketSource } from './sources/connectwise-ticket-source.js';
import { Module } from '@nestjs/common';
import { SmileBackCsatSource } from '../csat/sources/smileback-csat-source.js';
import { ConnectWiseTimeEntrySource } from '../time-entries/sources/connectwise-time-entry-source.js';
import { bindSource } from '../source-binding/source-binding.js';
import { TICKETS } from '../mock/mock-domains.js';
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
      live: (deps) => {
        // Same cache keys as the bound sources: the records are fetched once either way.
        const timeEntries = new ConnectWiseTimeEntrySource(deps);
        const surveys = new SmileBackCsatSource(deps);
        return new ConnectWiseTicketSource(deps, [
          async (tenantId) => (await timeEntries.list(tenantId)).map((entry) => entry.cw_ticket_id),
          async (tenantId) => (await surveys.list(tenantId)).map((survey) => survey.ticket_id),
        ]);
      },
    }),
    TicketsService,
  ],
  exports: [TicketsService],
})
export class TicketsModule {}
