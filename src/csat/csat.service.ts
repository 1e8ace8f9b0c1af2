import { Inject, Injectable } from '@nestjs/common';
import { RecordIndex } from '../common/record-index/record-index.js';
import type { RecordPage } from '../common/record-index/record-page.js';
import { indexOf } from '../common/record-index/index-cache.js';
import type { Tenant } from '../tenants/tenant.record.js';
import { CsatSurvey } from './csat-survey.record.js';
import { CSAT_QUERY, ListCsatQuery } from './list-csat-query.dto.js';
import { CSAT_SOURCE, CsatSource } from './sources/csat-source.js';

@Injectable()
export class CsatService {
  constructor(@Inject(CSAT_SOURCE) private readonly source: CsatSource) {}

  async list(tenant: Tenant, query: ListCsatQuery): Promise<RecordPage<CsatSurvey>> {
    return (await this.index(tenant)).query(query);
  }

  /** The index of the tenant's records (shared with every request at this data version). */
  async index(tenant: Tenant): Promise<RecordIndex<CsatSurvey>> {
    return indexOf(await this.source.list(tenant.id), CSAT_QUERY);
  }

  /** Where the tenant's synced history starts (live reads from the replica). */
  syncedSince(tenantId: string): Date | undefined {
    return this.source.syncedSince?.(tenantId);
  }
}
