import { DynamicModule, Provider } from '@nestjs/common';
import { SyncModule } from '../sync/sync.module.js';
import { REPLICA_RECORDS } from '../source-binding/replica-source.js';
import { ReplicaReads } from './replica-reads.js';

/** Live reads from the replica, and the sync engine (given its STREAM_FETCHERS provider) that keeps it. */
export class ReplicaReadsModule {
  static register(fetchers: Provider): DynamicModule {
    return {
      module: ReplicaReadsModule,
      global: true,
      // The sync and live configuration come from the global configModule().
      imports: [SyncModule.register(fetchers)],
      providers: [ReplicaReads, { provide: REPLICA_RECORDS, useExisting: ReplicaReads }],
      exports: [ReplicaReads, REPLICA_RECORDS],
    };
  }
}
