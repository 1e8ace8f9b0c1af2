import { Module } from '@nestjs/common';
import { ReplicaSource } from '../source-binding/replica-source.js';
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
      replica: (reads) => new ReplicaSource(reads, 'tickets'),
    }),
    TicketsService,
  ],
  exports: [TicketsService],
})
export class TicketsModule {}
