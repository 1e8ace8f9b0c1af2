import { defineDomain } from '../common/domain/domain-descriptor.js';
import { DOMAIN_VENDOR_CALLS } from '../config/domains-and-vendors.js';
import { Ticket } from './ticket.record.js';

export const TICKETS = defineDomain({
  name: 'tickets',
  folder: 'tickets',
  recordClass: Ticket,
  idFields: ['cw_ticket_id'],
  defaultSort: '-updated_at_remote',
  vendorCalls: DOMAIN_VENDOR_CALLS.tickets,
});
