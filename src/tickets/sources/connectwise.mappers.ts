import { isEmail } from 'class-validator';
import type { Ticket } from '../ticket.record.js';
import type { TimeEntry } from '../../time-entries/time-entry.record.js';
import { VendorDataError, VendorPayload } from '../../integrations/http/vendor-errors.js';
import { CONNECTWISE_VENDOR, CwMember, CwServiceNote, CwTicket, CwTimeEntry } from '../../integrations/connectwise/connectwise.client.js';

export interface CwTicketContext {
  tenantId: string;
  memberEmails: Map<number, string>;
  description: string;
}

export interface CwTimeEntryContext {
  tenantId: string;
  memberEmails: Map<number, string>;
  timeZone?: string;
}

const TICKET_CHARGE_TYPES = new Set(['ServiceTicket', 'ProjectTicket']);

// CW [{id:176, officeEmail:"jdoe@msp.example", primaryEmail:"j@home.example"}] -> Map {176 => "jdoe@msp.example"}
export function memberEmailMap(members: CwMember[]): Map<number, string> {
  const emails = new Map<number, string>();
  for (const member of members) {
    if (typeof member.id !== 'number') continue;
    const email = [member.officeEmail, member.primaryEmail].find((e): e is string => typeof e === 'string' && isEmail(e));
    if (email) emails.set(member.id, email);
  }
  return emails;
}

// CW notes [{id:9, detailDescriptionFlag:true, text:"User reports..."}] -> description "User reports..." ("" when none)
export function descriptionFromNotes(notes: CwServiceNote[]): string {
  const first = [...notes]
    .filter((note) => note.detailDescriptionFlag === true)
    .sort((a, b) => (a.id ?? Number.MAX_SAFE_INTEGER) - (b.id ?? Number.MAX_SAFE_INTEGER))[0];
  return typeof first?.text === 'string' ? first.text : '';
}

export function mapConnectWiseTicket(raw: CwTicket, ctx: CwTicketContext): Ticket {
  const p = VendorPayload.item(CONNECTWISE_VENDOR, raw);
  const created = p.instant('_info.dateEntered');
  const updated = p.instant('_info.lastUpdated');
  if (Date.parse(updated) < Date.parse(created)) p.fail('_info.lastUpdated', 'is before _info.dateEntered');
  const ticket: Ticket = {
    tenant_id: ctx.tenantId,
    // CW {id:184233} -> cw_ticket_id "184233"
    cw_ticket_id: p.id('id'),
    // CW {board:{name:"Service"}, status:{name:"In Progress"}, priority:{name:"Priority 3 - Normal Response"}} -> unchanged names
    board: p.string('board.name'),
    status: p.string('status.name'),
    priority: p.string('priority.name'),
    summary: p.string('summary'),
    description: ctx.description,
    // CW {company:{name:"Acme Corporation"}} -> company
    company: p.string('company.name'),
    // CW {owner:{id:176}} -> members[176].officeEmail ?? primaryEmail; owner null -> null
    owner: p.has('owner') ? memberEmail(p, 'owner.id', ctx.memberEmails) : null,
    // CW {_info:{dateEntered, lastUpdated}} -> created_at_remote, updated_at_remote
    created_at_remote: created,
    updated_at_remote: updated,
  };
  // CW {slaStatus:"Resolve by Wed 01/14 5:00 PM UTC-05"} -> sla_status, raw
  const slaStatus = p.optionalString('slaStatus');
  if (slaStatus !== undefined) ticket.sla_status = slaStatus;
  // CW {budgetHours:1.5} -> estimated_hours
  const budget = p.optionalNumber('budgetHours');
  if (budget !== undefined) ticket.estimated_hours = budget >= 0 ? budget : p.fail('budgetHours', 'is negative');
  // CW {closedFlag:true, closedDate:"2026-01-14T17:00:00Z"} -> closed_at_remote (only when closedFlag)
  const closed = p.get('closedFlag') === true ? p.optionalInstant('closedDate') : undefined;
  if (closed !== undefined) ticket.closed_at_remote = Date.parse(closed) >= Date.parse(created) ? closed : p.fail('closedDate', 'is before _info.dateEntered');
  return ticket;
}

export function mapConnectWiseTimeEntry(raw: CwTimeEntry, ctx: CwTimeEntryContext): TimeEntry {
  const p = VendorPayload.item(CONNECTWISE_VENDOR, raw);
  const chargeToType = p.string('chargeToType');
  const hours = p.number('actualHours');
  if (hours < 0) p.fail('actualHours', 'is negative');
  return {
    tenant_id: ctx.tenantId,
    cw_time_entry_id: p.id('id'),
    // CW {chargeToType:"ServiceTicket", chargeToId:184233} -> cw_ticket_id "184233"; ChargeCode/Activity -> null
    cw_ticket_id: TICKET_CHARGE_TYPES.has(chargeToType) ? p.id('chargeToId') : null,
    // CW {member:{id:176}} -> members[176] email
    member: memberEmail(p, 'member.id', ctx.memberEmails),
    // CW {workType:{name:"Remote Support"}} -> work_type
    work_type: p.string('workType.name'),
    // CW {billableOption:"Billable"} -> true; DoNotBill/NoCharge/NoDefault -> false
    billable: p.optionalString('billableOption') === 'Billable',
    // CW {actualHours:0.75} -> 45
    minutes: Math.round(hours * 60),
    notes: p.optionalString('notes') ?? '',
    // CW {timeStart:"2026-01-20T02:30:00Z"} in America/New_York -> "2026-01-19"
    date_worked: dayIn(p.instant('timeStart'), ctx.timeZone ?? 'UTC', p),
  };
}

function memberEmail(p: VendorPayload, path: string, emails: Map<number, string>): string {
  return emails.get(p.integerId(path)) ?? p.fail(path, 'names a member without an email address');
}

const dayFormats = new Map<string, Intl.DateTimeFormat>();

function dayIn(instant: string, timeZone: string, p: VendorPayload): string {
  let format = dayFormats.get(timeZone);
  if (!format) {
    try {
      format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    } catch {
      throw new VendorDataError(CONNECTWISE_VENDOR, p.itemId, 'time_zone', 'of the integration is not an IANA time zone');
    }
    dayFormats.set(timeZone, format);
  }
  const parts = Object.fromEntries(format.formatToParts(new Date(instant)).map((part) => [part.type, part.value]));
  return `${parts.year}-${parts.month}-${parts.day}`;
}
