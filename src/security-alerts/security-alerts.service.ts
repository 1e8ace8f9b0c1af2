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
}
