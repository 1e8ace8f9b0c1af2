import { Global, Module } from '@nestjs/common';
import { IntegrationsModule } from '../integrations/integrations.module.js';
import { LiveClients } from './live-clients.js';

/** The vendor clients of each tenant's integrations, in every mode: the admin API tests an integration, the sync's fetchers read through them. */
@Global()
@Module({
  imports: [IntegrationsModule],
  providers: [LiveClients],
  exports: [IntegrationsModule, LiveClients],
})
export class VendorClientsModule {}
