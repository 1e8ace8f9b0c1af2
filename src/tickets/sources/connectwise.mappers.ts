import type { Ticket } from '../ticket.record.js';
import { VendorPayload } from '../../integrations/http/vendor-errors.js';
import { CONNECTWISE_VENDOR, CwServiceNote, CwTicket } from '../../integrations/connectwise/connectwise.client.js';
import { memberEmail } from '../../integrations/connectwise/connectwise-members.js';

export interface CwTicketContext {
  tenantId: string;
  memberEmails: Map<number, string>;
  description: string;
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
