import { DynamicModule, Provider } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { syncConfig } from '../config/sync.config.js';
import { SyncModule } from '../sync/sync.module.js';
import { ReplicaReads } from './replica-reads.js';

/** Live reads from the replica, and the sync engine (given its STREAM_FETCHERS provider) that keeps it. */
export class ReplicaReadsModule {
  static register(fetchers: Provider): DynamicModule {
    return {
      module: ReplicaReadsModule,
      global: true,
      imports: [ConfigModule.forFeature(syncConfig), SyncModule.register(fetchers)],
      providers: [ReplicaReads],
      exports: [ReplicaReads],
    };
  }
}
