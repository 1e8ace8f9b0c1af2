import { Module } from '@nestjs/common';
import { bindSource, notYetLive } from '../common/source-binding.js';
import { TICKETS } from '../mock/mock-domains.js';
import { MockFileProvider } from '../mock/mock-file.provider.js';
import { TenantsModule } from '../tenants/tenants.module.js';
import { TICKET_SOURCE } from './sources/ticket-source.js';
import { TicketsController } from './tickets.controller.js';
import { TicketsService } from './tickets.service.js';

@Module({
  imports: [TenantsModule],
  controllers: [TicketsController],
  providers: [
    bindSource(TICKET_SOURCE, {
      mock: (store) => MockFileProvider.of(store, TICKETS),
      live: notYetLive('tickets', 'ConnectWise PSA'),
    }),
    TicketsService,
  ],
  exports: [TicketsService],
})
export class TicketsModule {}
