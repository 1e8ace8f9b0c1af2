import { DynamicModule, Module } from '@nestjs/common';
import { configModule } from '../../config/config.module.js';
import { VendorClientsModule } from '../../platform/live-clients.module.js';
import { PlatformModule } from '../../platform/platform.module.js';
import { ReplicaRepository } from '../../sync/replica.repository.js';

/**
 * What a recording reads: the platform store, the replica's rows, and the vendor clients the sync's
 * fetchers walk with (fetched fresh, see `configModule({ recording })`). No sync scheduler: a
 * recording never starts a run.
 */
@Module({})
export class RecordModule {
  static async forRoot(): Promise<DynamicModule> {
    const config = await configModule({ recording: true });
    return {
      module: RecordModule,
      imports: [config.module, PlatformModule, VendorClientsModule],
      providers: [ReplicaRepository],
    };
  }
}
