import { ApiProperty } from '@nestjs/swagger';
import type {
  CompanyCsat,
  CsatKpis,
  DeviceAlerts,
  MemberHours,
  SecurityKpis,
  TicketKpis,
  TimeKpis,
} from './kpis.js';
import type { SeriesBucket } from './series.js';

const COUNTS = { type: 'object', additionalProperties: { type: 'integer' } } as const;
const INTEGER = { type: 'integer', minimum: 0 } as const;
const NULLABLE_NUMBER = { type: 'number', nullable: true } as const;

/** The window `[from, to)` actually used, both bounds as `YYYY-MM-DDTHH:mm:ss.sssZ`. */
export class SummaryWindow {
  /** Inclusive. @example "2026-01-01T00:00:00.000Z" */
  from: string;
  /** Exclusive. @example "2026-01-31T00:00:00.000Z" */
  to: string;
}

/** Open tickets as of `to` by age (`to − created_at_remote`); all four keys always present. */
export class TicketAging {
  /** Age under 7 days. @example 10 */
  @ApiProperty({ ...INTEGER })
  under_7d: number;
  @ApiProperty({ ...INTEGER, description: '7 days ≤ age < 30 days.', example: 21 })
  '7_to_30d': number;
  @ApiProperty({ ...INTEGER, description: '30 days ≤ age < 90 days.', example: 8 })
  '30_to_90d': number;
  /** Age of 90 days or more. @example 2 */
  @ApiProperty({ ...INTEGER })
  over_90d: number;
}

/** Service-desk KPIs. A ticket is closed when `closed_at_remote` is set or its status is `Closed`; its close time is `closed_at_remote`, else `updated_at_remote`. */
export class TicketSummary implements TicketKpis {
  /** Open as of `to`: created before `to` and not closed before `to`. @example 41 */
  @ApiProperty({ ...INTEGER })
  open: number;
  /** Open tickets by status; only statuses that occur, in code-point order. @example {"In Progress":20,"New":9,"Waiting":12} */
  @ApiProperty({ ...COUNTS })
  open_by_status: Record<string, number>;
  /** Open tickets by priority; only priorities that occur, in code-point order. @example {"High":6,"Low":10,"Medium":25} */
  @ApiProperty({ ...COUNTS })
  open_by_priority: Record<string, number>;
  /** Open tickets by board; only boards that occur, in code-point order. @example {"Project":5,"Service":36} */
  @ApiProperty({ ...COUNTS })
  open_by_board: Record<string, number>;
  /** Open tickets by age. */
  aging: TicketAging;
  /** Tickets whose `created_at_remote` is in the window. @example 63 */
  @ApiProperty({ ...INTEGER })
  created: number;
  /** Closed tickets whose close time is in the window. @example 58 */
  @ApiProperty({ ...INTEGER })
  closed: number;
  /** `closed / created` (may exceed 1), 4 decimals; null when nothing was created. @example 0.9206 */
  @ApiProperty({ ...NULLABLE_NUMBER })
  kill_rate: number | null;
  /** Share of `closed` whose close time falls on the UTC day of `created_at_remote`, 4 decimals; null when none closed. @example 0.31 */
  @ApiProperty({ ...NULLABLE_NUMBER })
  same_day_close_rate: number | null;
  /** Mean of close time − `created_at_remote` over `closed`, hours, 2 decimals; null when none closed. @example 30.5 */
  @ApiProperty({ ...NULLABLE_NUMBER })
  avg_resolution_hours: number | null;
  /** Median of the same (mean of the middle two when even), hours, 2 decimals; null when none closed. @example 18 */
  @ApiProperty({ ...NULLABLE_NUMBER })
  median_resolution_hours: number | null;
}

/** One technician's hours in the window. */
export class MemberHoursSummary implements MemberHours {
  /** The technician's email. @example "tech1@msp.com" */
  member: string;
  /** All hours, 2 decimals. @example 50 */
  hours: number;
  /** Billable hours, 2 decimals. @example 41 */
  billable_hours: number;
}

/** Technician KPIs over time entries whose `date_worked` (its UTC midnight) is in the window. */
export class TimeSummary implements TimeKpis {
  /** Hours worked, 2 decimals. @example 210.25 */
  total_hours: number;
  /** Billable hours worked, 2 decimals. @example 160.5 */
  billable_hours: number;
  /** `billable_hours / total_hours` before rounding, 4 decimals; null with no hours. @example 0.7634 */
  @ApiProperty({ ...NULLABLE_NUMBER })
  billable_ratio: number | null;
  /** Per member, most hours first, ties by member (code-point order). */
  @ApiProperty({type: [MemberHoursSummary] })
  by_member: MemberHoursSummary[];
  /** Hours per work type, 2 decimals, in code-point order. @example {"Onsite":90.25,"Remote Support":120} */
  @ApiProperty({type: 'object', additionalProperties: { type: 'number' } })
  by_work_type: Record<string, number>;
  /** Over the `closed` tickets with at least one time entry (entries of any date): their hours divided by their number, 2 decimals; null when there are none. @example 1.8 */
  @ApiProperty({ ...NULLABLE_NUMBER })
  hours_per_closed_ticket: number | null;
  /** Share of those tickets with exactly one time entry, 4 decimals; null when there are none. @example 0.38 */
  @ApiProperty({ ...NULLABLE_NUMBER })
  first_touch_resolution_rate: number | null;
  /** Share of those tickets whose time entries name one distinct member, 4 decimals; null when there are none. @example 0.71 */
  @ApiProperty({ ...NULLABLE_NUMBER })
  single_tech_rate: number | null;
}

/** A company's CSAT in the window (company = the company of the survey's ticket). */
export class CompanyCsatSummary implements CompanyCsat {
  /** The company of the surveys' tickets. @example "Acme Corp" */
  company: string;
  /** Surveys answered for this company in the window. @example 4 */
  @ApiProperty({ ...INTEGER })
  responses: number;
  /** 100·(positive − negative) / responses, 2 decimals. @example -25 */
  net_csat: number;
}

/** Customer satisfaction over surveys whose `submitted_at` is in the window. */
export class CsatSummary implements CsatKpis {
  /** Surveys submitted in the window. @example 30 */
  @ApiProperty({ ...INTEGER })
  responses: number;
  /** Of them, sentiment positive. @example 26 */
  @ApiProperty({ ...INTEGER })
  positive: number;
  /** Of them, sentiment neutral. @example 3 */
  @ApiProperty({ ...INTEGER })
  neutral: number;
  /** Of them, sentiment negative. @example 1 */
  @ApiProperty({ ...INTEGER })
  negative: number;
  /** `positive / responses`, 4 decimals; null with no responses. @example 0.8667 */
  @ApiProperty({ ...NULLABLE_NUMBER })
  percent_positive: number | null;
  /** SmileBack's Net CSAT: 100·(positive − negative) / responses, −100…100, 2 decimals; null with no responses. @example 83.33 */
  @ApiProperty({ ...NULLABLE_NUMBER })
  net_csat: number | null;
  /** Mean score (1–5), 2 decimals; null with no responses. @example 4.5 */
  @ApiProperty({ ...NULLABLE_NUMBER })
  average_score: number | null;
  /** The 5 companies with the lowest Net CSAT, ties by company; surveys whose ticket is unknown are left out here only. */
  @ApiProperty({type: [CompanyCsatSummary] })
  worst_companies: CompanyCsatSummary[];
}

/** A device's alert count in the window. */
export class DeviceAlertsSummary implements DeviceAlerts {
  /** The device name as the alerts give it. @example "LAPTOP-001" */
  device: string;
  /** Alerts detected on this device in the window. @example 5 */
  @ApiProperty({ ...INTEGER })
  alerts: number;
}

/** Endpoint security KPIs. An alert is resolved when its status is `resolved`; its resolve time is `resolved_at` (none when absent). */
export class SecuritySummary implements SecurityKpis {
  /** Open as of `to`: detected before `to` and not resolved before `to` (resolved without `resolved_at` counts as resolved). @example 12 */
  @ApiProperty({ ...INTEGER })
  open: number;
  /** Open alerts by severity; only severities that occur, in code-point order. @example {"critical":1,"high":3} */
  @ApiProperty({ ...COUNTS })
  open_by_severity: Record<string, number>;
  /** Open alerts by source; only sources that occur, in code-point order. @example {"defender":5,"sentinelone":7} */
  @ApiProperty({ ...COUNTS })
  open_by_source: Record<string, number>;
  /** Alerts whose `detected_at` is in the window. @example 40 */
  @ApiProperty({ ...INTEGER })
  detected: number;
  /** Resolved alerts whose `resolved_at` is in the window. @example 22 */
  @ApiProperty({ ...INTEGER })
  resolved: number;
  /** Mean of `resolved_at − detected_at` over `resolved`, hours, 2 decimals; null when none resolved. @example 26.4 */
  @ApiProperty({ ...NULLABLE_NUMBER })
  mean_time_to_resolve_hours: number | null;
  /** The 5 devices with the most alerts detected in the window, ties by device. */
  @ApiProperty({type: [DeviceAlertsSummary] })
  top_devices: DeviceAlertsSummary[];
}

/** A tenant's KPIs over `[from, to)`, computed from exactly the records the list routes serve. */
export class TenantSummary {
  /** The tenant asked for. @example "tenant_demo_cca" */
  tenant_id: string;
  /** The window `[from, to)` actually used (defaults applied), both bounds as `YYYY-MM-DDTHH:mm:ss.sssZ`. */
  window: SummaryWindow;
  /** Service-desk KPIs: the open backlog as of `to`, tickets created and closed in the window, resolution times. */
  tickets: TicketSummary;
  /** Technician time: hours of entries worked in the window, and effort on the tickets closed in it. */
  time: TimeSummary;
  /** Customer satisfaction over the surveys submitted in the window. */
  csat: CsatSummary;
  /** Endpoint security: open alerts as of `to`, alerts detected and resolved in the window. */
  security: SecuritySummary;
  /**
   * What the figures cannot show, in short sentences (live mode only; empty in mock mode): a window
   * reaching before the synced history (`SYNC_HISTORY_DAYS`), whose counts may be low. Open tickets and
   * alerts are held however old.
   * @example []
   */
  caveats: string[];
}

/** One calendar bucket `[start, end)`, clipped to the window. */
export class SeriesBucketSummary implements SeriesBucket {
  /** Inclusive. @example "2026-01-05T00:00:00.000Z" */
  start: string;
  /** Exclusive. @example "2026-01-12T00:00:00.000Z" */
  end: string;
  /** Tickets created in the bucket (as the summary's `created`). @example 12 */
  @ApiProperty({ ...INTEGER })
  tickets_created: number;
  /** Tickets closed in the bucket (as the summary's `closed`). @example 10 */
  @ApiProperty({ ...INTEGER })
  tickets_closed: number;
  /** Hours of entries whose `date_worked` midnight is in the bucket, 2 decimals. @example 40.5 */
  hours: number;
  /** Billable hours of the same entries, 2 decimals. @example 30 */
  billable_hours: number;
  /** Surveys submitted in the bucket. @example 6 */
  @ApiProperty({ ...INTEGER })
  csat_responses: number;
  /** Net CSAT of those surveys; null with no responses. @example 66.67 */
  @ApiProperty({ ...NULLABLE_NUMBER })
  net_csat: number | null;
  /** Alerts detected in the bucket. @example 8 */
  @ApiProperty({ ...INTEGER })
  alerts_detected: number;
  /** Alerts resolved in the bucket (resolved_at in it). @example 5 */
  @ApiProperty({ ...INTEGER })
  alerts_resolved: number;
}

/** The summary's counts per calendar bucket; summing a count over the buckets gives the summary's count. */
export class TenantSeries {
  /** The tenant asked for. @example "tenant_demo_cca" */
  tenant_id: string;
  /** The bucket size asked for. @example "week" */
  @ApiProperty({enum: ['day', 'week', 'month'] })
  interval: 'day' | 'week' | 'month';
  /** The window `[from, to)` actually used (defaults applied), both bounds as `YYYY-MM-DDTHH:mm:ss.sssZ`. */
  window: SummaryWindow;
  /** The calendar buckets intersecting the window, in order, each clipped to it. */
  @ApiProperty({type: [SeriesBucketSummary] })
  buckets: SeriesBucketSummary[];
  /** As the summary's `caveats`. @example [] */
  caveats: string[];
}
