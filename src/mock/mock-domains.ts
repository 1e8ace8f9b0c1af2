import { CsatSurvey } from '../csat/csat-survey.record.js';
import { SecurityAlert } from '../security-alerts/security-alert.record.js';
import { Ticket } from '../tickets/ticket.record.js';
import { TimeEntry } from '../time-entries/time-entry.record.js';

export type DomainName = 'tickets' | 'time_entries' | 'csat' | 'security_alerts';

/** One per-tenant folder of mock data: `<folder>/<tenant_id>.json`, an array of `recordClass`. */
export interface MockDomain<T = unknown> {
  name: DomainName;
  folder: string;
  recordClass: new () => T;
  /** What identifies a record within its tenant (alerts: source + alert_id). */
  idFields: readonly string[];
  /** A field that must name a ticket of the same tenant when it is not null. */
  ticketRef?: string;
}

export const TICKETS: MockDomain<Ticket> = {
  name: 'tickets',
  folder: 'tickets',
  recordClass: Ticket,
  idFields: ['cw_ticket_id'],
};

export const TIME_ENTRIES: MockDomain<TimeEntry> = {
  name: 'time_entries',
  folder: 'time_entries',
  recordClass: TimeEntry,
  idFields: ['cw_time_entry_id'],
  ticketRef: 'cw_ticket_id',
};

export const CSAT: MockDomain<CsatSurvey> = {
  name: 'csat',
  folder: 'csat',
  recordClass: CsatSurvey,
  idFields: ['survey_id'],
  ticketRef: 'ticket_id',
};

export const SECURITY_ALERTS: MockDomain<SecurityAlert> = {
  name: 'security_alerts',
  folder: 'security_alerts',
  recordClass: SecurityAlert,
  idFields: ['source', 'alert_id'],
};

/** Tickets first: the other domains' references are checked against them. */
export const MOCK_DOMAINS: readonly MockDomain[] = [TICKETS, TIME_ENTRIES, CSAT, SECURITY_ALERTS];
