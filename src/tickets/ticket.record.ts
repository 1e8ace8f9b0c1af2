import { IsEmail, IsNotEmpty, IsNumber, IsOptional, IsString, Matches, Min, ValidateIf } from '../common/validation/recorded-rules.js';
import { IsInstant, IsNotBefore, RECORD_ID_PATTERN, TENANT_ID_PATTERN } from '../common/validation/formats.js';

/** A PSA service ticket (ConnectWise `/service/tickets` in live mode). */
export class Ticket {
  /** @example "tenant_demo_cca" */
  @Matches(TENANT_ID_PATTERN, { message: 'tenant_id must match ^[a-z0-9][a-z0-9_-]{0,63}$' })
  tenant_id: string;

  /**
   * Ticket id, unique per tenant (ConnectWise's numeric id as a string in live mode).
   * @example "TKT-001"
   */
  @Matches(RECORD_ID_PATTERN, { message: 'cw_ticket_id must be a non-empty id of letters, digits, ".", "_", ":" or "-"' })
  cw_ticket_id: string;

  /**
   * Service board (mock data: Service, Project, Sales; live mode: the vendor's own names).
   * @example "Service"
   */
  @IsNotEmpty()
  @IsString()
  board: string;

  /**
   * Status (mock data: New, In Progress, Waiting, Closed; live mode: the vendor's own names).
   * @example "Closed"
   */
  @IsNotEmpty()
  @IsString()
  status: string;

  /**
   * Priority (mock data: Low, Medium, High, Critical; live mode: the vendor's own names).
   * @example "High"
   */
  @IsNotEmpty()
  @IsString()
  priority: string;

  /** @example "Outlook keeps prompting for password after MFA change" */
  @IsNotEmpty()
  @IsString()
  summary: string;

  /**
   * The ticket's initial description; may be empty.
   * @example "User reports Outlook asking for credentials every few minutes since MFA was enforced. Webmail works fine."
   */
  @IsString()
  description: string;

  /** @example "Acme Corp" */
  @IsNotEmpty()
  @IsString()
  company: string;

  /**
   * Owner's email; null when the ticket is unassigned (the field is still present).
   * @example "tech1@msp.com"
   */
  @ValidateIf((o: Ticket) => o.owner !== null)
  @IsEmail({}, { message: 'owner must be an email address or null' })
  owner: string | null;

  /** @example "2026-01-20T09:00:00Z" */
  @IsInstant()
  created_at_remote: string;

  /**
   * Never before `created_at_remote`.
   * @example "2026-01-20T11:30:00Z"
   */
  @IsInstant()
  @IsNotBefore('created_at_remote')
  updated_at_remote: string;

  /**
   * ConnectWise's current SLA stage text (e.g. "Respond", "Plan", "Resolve"), not met/breached.
   * @example "Resolved"
   */
  @IsOptional()
  @IsString()
  sla_status?: string | null;

  /**
   * Budgeted hours (ConnectWise `budgetHours`).
   * @example 2
   */
  @IsOptional()
  @Min(0)
  @IsNumber({ allowNaN: false, allowInfinity: false })
  estimated_hours?: number | null;

  /**
   * When the ticket was closed (ConnectWise `closedDate`); absent or null while open.
   * @example "2026-01-20T11:30:00Z"
   */
  @IsOptional()
  @IsInstant()
  @IsNotBefore('created_at_remote')
  closed_at_remote?: string | null;
}

/** Closed by either sign the vendor gives: a close time, or the status (KPIs and the live time-entry source agree on it). */
export const isTicketClosed = (t: Ticket): boolean => !!t.closed_at_remote || t.status === 'Closed';
