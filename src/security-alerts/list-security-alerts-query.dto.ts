import { IsIn, IsOptional } from '../common/validation/recorded-rules.js';
import { RecordFields, sortValues } from '../common/query/field-kinds.js';
import { IsInstantParam, IsList, IsListOf, MatchFilter, RangeFilter } from '../common/query/filters.js';
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

  /**
   * `sentinelone` or `defender`; a comma separates alternatives.
   * Example: `sentinelone`.
   */
  @IsOptional()
  @MatchFilter('source', 'string', ALERT_SOURCES)
  @IsListOf(ALERT_SOURCES)
  source?: string;

  /**
   * `informational`, `low`, `medium`, `high` or `critical`; a comma separates alternatives.
   * Example: `high,critical`.
   */
  @IsOptional()
  @MatchFilter('severity', 'string', ALERT_SEVERITIES)
  @IsListOf(ALERT_SEVERITIES)
  severity?: string;

  /**
   * `new`, `investigating` or `resolved`; a comma separates alternatives.
   * Example: `new,investigating`.
   */
  @IsOptional()
  @MatchFilter('status', 'string', ALERT_STATUSES)
  @IsListOf(ALERT_STATUSES)
  status?: string;

  /**
   * `device` equals this (exact, case-sensitive); a comma separates alternatives (`\,` is a literal comma).
   * Example: `LAPTOP-001`.
   */
  @IsOptional()
  @MatchFilter('device')
  @IsList()
  device?: string;

  /**
   * Detected at or after this instant (a bare day means its start, UTC).
   * Example: `2026-01-01T00:00:00Z`.
   */
  @IsOptional()
  @RangeFilter('detected_at', 'from', 'instant')
  @IsInstantParam()
  detected_from?: string;

  /**
   * Detected at or before this instant (a bare day means its end, UTC).
   * Example: `2026-01-31T23:59:59Z`.
   */
  @IsOptional()
  @RangeFilter('detected_at', 'to', 'instant')
  @IsInstantParam()
  detected_to?: string;
}

/** The query engine's definition of the list: id fields and default sort from the domain descriptor. */
export const SECURITY_ALERT_QUERY: RecordQueryDefinition<SecurityAlert> = queryDefinition(SECURITY_ALERTS, SECURITY_ALERT_FIELDS, ListSecurityAlertsQuery);
