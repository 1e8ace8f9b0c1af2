import type { TimeEntry } from '../time-entry.record.js';
import { VendorDataError, VendorPayload } from '../../integrations/http/vendor-errors.js';
import { CONNECTWISE_VENDOR, CwTimeEntry } from '../../integrations/connectwise/connectwise.client.js';
import { memberEmail } from '../../integrations/connectwise/connectwise-members.js';

export interface CwTimeEntryContext {
  tenantId: string;
  memberEmails: Map<number, string>;
  timeZone?: string;
}

const TICKET_CHARGE_TYPES = new Set(['ServiceTicket', 'ProjectTicket']);

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
