import { Inject, Injectable } from '@nestjs/common';
import { Page, runQuery } from '../common/query/query-engine.js';
import type { Tenant } from '../tenants/tenant.record.js';
import { ListSecurityAlertsQuery, SECURITY_ALERT_QUERY } from './list-security-alerts-query.dto.js';
import { SecurityAlert } from './security-alert.record.js';
import { SECURITY_ALERT_SOURCES, SecurityAlertSource } from './sources/security-alert-source.js';

@Injectable()
export class SecurityAlertsService {
  constructor(@Inject(SECURITY_ALERT_SOURCES) private readonly sources: SecurityAlertSource[]) {}

  async list(tenant: Tenant, query: ListSecurityAlertsQuery): Promise<Page<SecurityAlert>> {
    const perSource = await Promise.all(this.sources.map((source) => source.list(tenant.id)));
    return runQuery(perSource.flat(), query, SECURITY_ALERT_QUERY);
  }

  /** Every alert of the tenant, from every source, unfiltered (what insights compute from). */
  async all(tenant: Tenant): Promise<SecurityAlert[]> {
    const perSource = await Promise.all(this.sources.map((source) => source.list(tenant.id)));
    // One source (mock mode) keeps its array: the same array over one data version lets insights reuse what they parsed.
    return perSource.length === 1 ? perSource[0] : perSource.flat();
  }

  /** Where a source holds only recent alerts (live mode), the latest instant they start from. */
  heldSince(): Date | undefined {
    const starts = this.sources.flatMap((source) => source.heldSince?.() ?? []);
    return starts.length === 0 ? undefined : new Date(Math.max(...starts.map((d) => d.getTime())));
  }
}
