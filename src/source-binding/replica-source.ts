import type { DomainName } from '../config/domains-and-vendors.js';

/** Live reads from the replica (src/replica-reads/ implements it, above the sync engine): what a domain source reads. */
export interface ReplicaRecords {
  /** The domain's records for the tenant, every stream it has; never calls a vendor once a stream has synced. */
  records<T>(tenantId: string, domain: DomainName): Promise<T[]>;
  /** Where the domain's synced history starts for the tenant, as last read; undefined when unknown. */
  syncedSince(tenantId: string, domain: DomainName): Date | undefined;
}

/** Provided only when the sync engine runs (ReplicaReadsModule). */
export const REPLICA_RECORDS = Symbol('REPLICA_RECORDS');

/** A live domain's records from the tenant's replica: every list a domain source needs, no vendor call. */
export class ReplicaSource<T> {
  constructor(
    private readonly reads: ReplicaRecords,
    private readonly domain: DomainName,
  ) {}

  list(tenantId: string): Promise<T[]> {
    return this.reads.records<T>(tenantId, this.domain);
  }

  syncedSince(tenantId: string): Date | undefined {
    return this.reads.syncedSince(tenantId, this.domain);
  }
}
