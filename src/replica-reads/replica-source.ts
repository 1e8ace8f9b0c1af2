import type { DomainName } from '../domains.js';
import type { ReplicaReads } from './replica-reads.js';

/** A live domain's records from the tenant's replica: every list a domain source needs, no vendor call. */
export class ReplicaSource<T> {
  constructor(
    private readonly reads: ReplicaReads,
    private readonly domain: DomainName,
  ) {}

  list(tenantId: string): Promise<T[]> {
    return this.reads.records<T>(tenantId, this.domain);
  }

  syncedSince(tenantId: string): Date | undefined {
    return this.reads.syncedSince(tenantId, this.domain);
  }
}
