import { ApiProperty } from '@nestjs/swagger';
import { IsBoolean, IsEmail, IsInt, IsNotEmpty, IsString, Matches, Min, ValidateIf } from '../common/validation/recorded-rules.js';
import { IsDay, RECORD_ID_PATTERN, TENANT_ID_PATTERN } from '../common/validation/formats.js';

/** Time worked by a technician (ConnectWise `/time/entries` in live mode). */
export class TimeEntry {
  /** @example "tenant_demo_cca" */
  @Matches(TENANT_ID_PATTERN, { message: 'tenant_id must match ^[a-z0-9][a-z0-9_-]{0,63}$' })
  tenant_id: string;

  /**
   * Time entry id, unique per tenant.
   * @example "TE-001"
   */
  @Matches(RECORD_ID_PATTERN, { message: 'cw_time_entry_id must be a non-empty id of letters, digits, ".", "_", ":" or "-"' })
  cw_time_entry_id: string;

  /**
   * The ticket the time is charged to; null for time charged to no ticket (the field is still present).
   * @example "TKT-001"
   */
  @ValidateIf((o: TimeEntry) => o.cw_ticket_id !== null)
  @Matches(RECORD_ID_PATTERN, { message: 'cw_ticket_id must be a ticket id or null' })
  cw_ticket_id: string | null;

  /** @example "tech1@msp.com" */
  @IsEmail({}, { message: 'member must be an email address' })
  member: string;

  /** @example "Remote Support" */
  @IsNotEmpty()
  @IsString()
  work_type: string;

  /** @example true */
  @IsBoolean()
  billable: boolean;

  /** @example 45 */
  @ApiProperty({ type: 'integer', minimum: 0 })
  @Min(0)
  @IsInt()
  minutes: number;

  /** @example "Reset MFA registration and rebuilt the Outlook profile; confirmed with user." */
  @IsString()
  notes: string;

  /**
   * The calendar day the work counts for.
   * @example "2026-01-20"
   */
  @IsDay()
  date_worked: string;
}
