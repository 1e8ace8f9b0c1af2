import { IsIn, IsOptional } from '../common/validation/recorded-rules.js';
import { RecordFields, sortValues } from '../common/query/field-kinds.js';
import { InstantRangeParam, MatchParam } from '../common/query/filter-params.js';
import { PageQuery } from '../common/query/list-query.dto.js';
import type { RecordQueryDefinition } from '../common/query/query-engine.js';
import { queryDefinition } from '../common/domain/domain-descriptor.js';
import { SECURITY_ALERTS } from './security-alerts.domain.js';
import { ALERT_SEVERITIES, ALERT_SOURCES, ALERT_STATUSES, SecurityAlert } from './security-alert.record.js';

export const SECURITY_ALERT_FIELDS: RecordFields<SecurityAlert> = {
  tenant_id: 'string',
  source: 'string',
  alert_id: 'string',
  severity: 'string',
  title: 'string',
  device: 'string',
  status: 'string',
  detected_at: 'instant',
  resolved_at: 'instant',
};

/** Filters are exact and case-sensitive; a comma separates alternatives. */
export class ListSecurityAlertsQuery extends PageQuery {
  /**
   * An alert field, `-` prefix for descending; nulls last; ties break on `source`, then `alert_id`.
   * @example "-detected_at"
   */
  @IsOptional()
  @IsIn(sortValues(SECURITY_ALERT_FIELDS))
  sort?: string = SECURITY_ALERTS.defaultSort;

  @MatchParam('source', { values: ALERT_SOURCES, example: 'sentinelone' })
  source?: string;

  @MatchParam('severity', { values: ALERT_SEVERITIES, example: 'high,critical' })
  severity?: string;

  @MatchParam('status', { values: ALERT_STATUSES, example: 'new,investigating' })
  status?: string;

  @MatchParam('device', { example: 'LAPTOP-001' })
  device?: string;

  @InstantRangeParam('detected_at', 'from', { event: 'Detected', example: '2026-01-01T00:00:00Z' })
  detected_from?: string;

  @InstantRangeParam('detected_at', 'to', { event: 'Detected', example: '2026-01-31T23:59:59Z' })
  detected_to?: string;
}

/** The query engine's definition of the list: id fields and default sort from the domain descriptor. */
export const SECURITY_ALERT_QUERY: RecordQueryDefinition<SecurityAlert> = queryDefinition(SECURITY_ALERTS, SECURITY_ALERT_FIELDS, ListSecurityAlertsQuery);
