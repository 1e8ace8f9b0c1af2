import { Inject, Injectable } from '@nestjs/common';
import { Page } from '../common/query/query-engine.js';
import { RecordSnapshot, snapshotOf } from '../common/query/record-snapshot.js';
import type { Tenant } from '../tenants/tenant.record.js';
import { CsatSurvey } from './csat-survey.record.js';
import { CSAT_QUERY, ListCsatQuery } from './list-csat-query.dto.js';
import { CSAT_SOURCE, CsatSource } from './sources/csat-source.js';

@Injectable()
export class CsatService {
  constructor(@Inject(CSAT_SOURCE) private readonly source: CsatSource) {}

  async list(tenant: Tenant, query: ListCsatQuery): Promise<Page<CsatSurvey>> {
    return (await this.snapshot(tenant)).query(query);
  }

  /** The tenant's records as an indexed snapshot (shared with every request at this data version). */
  async snapshot(tenant: Tenant): Promise<RecordSnapshot<CsatSurvey>> {
    return snapshotOf(await this.source.list(tenant.id), CSAT_QUERY);
  }

  /** Where the source holds only recent records (live mode), the instant they start from. */
  heldSince(): Date | undefined {
    return this.source.heldSince?.();
  }
}
