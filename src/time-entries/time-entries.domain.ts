import { defineDomain } from '../common/domain/domain-descriptor.js';
import { DOMAIN_VENDOR_CALLS } from '../config/domains-and-vendors.js';
import { TimeEntry } from './time-entry.record.js';

export const TIME_ENTRIES = defineDomain({
  name: 'time_entries',
  folder: 'time_entries',
  recordClass: TimeEntry,
  idFields: ['cw_time_entry_id'],
  defaultSort: '-date_worked',
  ticketRef: 'cw_ticket_id',
  vendorCalls: DOMAIN_VENDOR_CALLS.time_entries,
});
