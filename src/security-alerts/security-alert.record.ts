import { IsIn, IsNotEmpty, IsOptional, IsString, Matches } from '../common/validation/recorded-rules.js';
import { IsInstant, IsNotBefore, RECORD_ID_PATTERN, TENANT_ID_PATTERN } from '../common/validation/formats.js';

export const ALERT_SOURCES = ['sentinelone', 'defender'] as const;
export const ALERT_SEVERITIES = ['informational', 'low', 'medium', 'high', 'critical'] as const;
export const ALERT_STATUSES = ['new', 'investigating', 'resolved'] as const;
export type AlertSource = (typeof ALERT_SOURCES)[number];
export type AlertSeverity = (typeof ALERT_SEVERITIES)[number];
export type AlertStatus = (typeof ALERT_STATUSES)[number];

/** An endpoint security alert (SentinelOne threats and Microsoft Defender alerts, merged). */
export class SecurityAlert {
  /** @example "tenant_demo_cca" */
  @Matches(TENANT_ID_PATTERN, { message: 'tenant_id must match ^[a-z0-9][a-z0-9_-]{0,63}$' })
  tenant_id: string;

  /** @example "sentinelone" */
  @IsIn(ALERT_SOURCES)
  source: AlertSource;

  /**
   * Alert id, unique per tenant and source.
   * @example "S1-001"
   */
  @Matches(RECORD_ID_PATTERN, { message: 'alert_id must be a non-empty id of letters, digits, ".", "_", ":" or "-"' })
  alert_id: string;

  /** @example "high" */
  @IsIn(ALERT_SEVERITIES)
  severity: AlertSeverity;

  /** @example "Malware: Emotet.dll" */
  @IsNotEmpty()
  @IsString()
  title: string;

  /** @example "LAPTOP-001" */
  @IsNotEmpty()
  @IsString()
  device: string;

  /** @example "new" */
  @IsIn(ALERT_STATUSES)
  status: AlertStatus;

  /** @example "2026-01-19T22:14:00Z" */
  @IsInstant()
  detected_at: string;

  /**
   * When the alert was resolved; absent or null unless resolved.
   * @example "2026-01-18T12:30:00Z"
   */
  @IsOptional()
  @IsInstant()
  @IsNotBefore('detected_at')
  resolved_at?: string | null;
}
