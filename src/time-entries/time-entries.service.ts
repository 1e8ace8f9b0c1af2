import { Inject, Injectable } from '@nestjs/common';
import { RecordIndex } from '../common/record-index/record-index.js';
import type { RecordPage } from '../common/record-index/record-page.js';
import { indexOf } from '../common/record-index/index-cache.js';
import type { Tenant } from '../tenants/tenant.record.js';
import { ListTimeEntriesQuery, TIME_ENTRY_QUERY } from './list-time-entries-query.dto.js';
import { TIME_ENTRY_SOURCE, TimeEntrySource } from './sources/time-entry-source.js';
import { TimeEntry } from './time-entry.record.js';

@Injectable()
export class TimeEntriesService {
  constructor(@Inject(TIME_ENTRY_SOURCE) private readonly source: TimeEntrySource) {}

  async list(tenant: Tenant, query: ListTimeEntriesQuery): Promise<RecordPage<TimeEntry>> {
    return (await this.index(tenant)).query(query);
  }

  /** The index of the tenant's records (shared with every request at this data version). */
  async index(tenant: Tenant): Promise<RecordIndex<TimeEntry>> {
    return indexOf(await this.source.list(tenant.id), TIME_ENTRY_QUERY);
  }

  /** Where the tenant's synced history starts (live reads from the replica). */
  syncedSince(tenantId: string): Date | undefined {
    return this.source.syncedSince?.(tenantId);
  }
}
