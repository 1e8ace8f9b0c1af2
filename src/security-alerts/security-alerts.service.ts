import { Inject, Injectable } from '@nestjs/common';
import { RecordIndex } from '../common/record-index/record-index.js';
import type { RecordPage } from '../common/record-index/record-page.js';
import { indexOf } from '../common/record-index/index-cache.js';
import type { Tenant } from '../tenants/tenant.record.js';
import { ListSecurityAlertsQuery, SECURITY_ALERT_QUERY } from './list-security-alerts-query.dto.js';
import { SecurityAlert } from './security-alert.record.js';
import { SECURITY_ALERT_SOURCES, SecurityAlertSource } from './sources/security-alert-source.js';

const NO_ALERTS: SecurityAlert[] = [];

@Injectable()
export class SecurityAlertsService {
  /** Keyed by the first vendor's list: a vendor list is replaced, never mutated, when it is fetched again. */
  private readonly merges = new WeakMap<SecurityAlert[], { parts: SecurityAlert[][]; all: SecurityAlert[] }>();

  constructor(@Inject(SECURITY_ALERT_SOURCES) private readonly sources: SecurityAlertSource[]) {}

  async list(tenant: Tenant, query: ListSecurityAlertsQuery): Promise<RecordPage<SecurityAlert>> {
    return (await this.index(tenant)).query(query);
  }

  /** The index of every vendor's alerts of the tenant together, rebuilt only when a vendor's list changes. */
  async index(tenant: Tenant): Promise<RecordIndex<SecurityAlert>> {
    const perSource = await Promise.all(this.sources.map((source) => source.list(tenant.id)));
    const lists = perSource.filter((list) => list.length > 0);
    return indexOf(lists.length <= 1 ? (lists[0] ?? NO_ALERTS) : this.merged(lists), SECURITY_ALERT_QUERY);
  }

  private merged(lists: SecurityAlert[][]): SecurityAlert[] {
    const last = this.merges.get(lists[0]);
    if (last && last.parts.length === lists.length && lists.every((list, i) => list === last.parts[i])) return last.all;
    const all = lists.flat();
    this.merges.set(lists[0], { parts: lists, all });
    return all;
  }

  /** Where the tenant's synced alert history starts (live reads from the replica), the latest of its vendors'. */
  syncedSince(tenantId: string): Date | undefined {
    const starts = this.sources.flatMap((source) => source.syncedSince?.(tenantId) ?? []);
    return starts.length === 0 ? undefined : new Date(Math.max(...starts.map((d) => d.getTime())));
  }
}
