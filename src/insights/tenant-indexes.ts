import { indexOf } from '../common/record-index/index-cache.js';
import { RecordIndex } from '../common/record-index/record-index.js';
import type { CsatSurvey } from '../csat/csat-survey.record.js';
import { CSAT_QUERY } from '../csat/list-csat-query.dto.js';
import { SECURITY_ALERT_QUERY } from '../security-alerts/list-security-alerts-query.dto.js';
import type { SecurityAlert } from '../security-alerts/security-alert.record.js';
import { TICKET_QUERY } from '../tickets/list-tickets-query.dto.js';
import type { Ticket } from '../tickets/ticket.record.js';
import { TIME_ENTRY_QUERY } from '../time-entries/list-time-entries-query.dto.js';
import type { TimeEntry } from '../time-entries/time-entry.record.js';
import { DAY_MS } from './window.js';

/** A tenant's records, as the domain services serve them. */
export interface TenantRecords {
  tickets: Ticket[];
  timeEntries: TimeEntry[];
  surveys: CsatSurvey[];
  alerts: SecurityAlert[];
}

/** The same records as the indexes the list routes query: their parsed instants and orders are shared. */
export interface TenantIndexes {
  tickets: RecordIndex<Ticket>;
  timeEntries: RecordIndex<TimeEntry>;
  surveys: RecordIndex<CsatSurvey>;
  alerts: RecordIndex<SecurityAlert>;
}

export type Records = TenantRecords | TenantIndexes;

/** The records as the indexes the list routes share: the very objects when the services handed them. */
export function indexesOf(records: Records): TenantIndexes {
  const of = <T>(held: readonly T[] | RecordIndex<T>, def: Parameters<typeof indexOf<T>>[1]) =>
    held instanceof RecordIndex ? held : indexOf(held, def);
  return {
    tickets: of(records.tickets, TICKET_QUERY),
    timeEntries: of(records.timeEntries, TIME_ENTRY_QUERY),
    surveys: of(records.surveys, CSAT_QUERY),
    alerts: of(records.alerts, SECURITY_ALERT_QUERY),
  };
}

/** The newest instant among the records (a day worked counts to its last ms), or null with none: the last of each sorted order. */
export function newestInstant(records: Records): number | null {
  const { tickets, timeEntries, surveys, alerts } = indexesOf(records);
  const candidates = [
    tickets.columns.newest('created_at_remote'),
    tickets.columns.newest('updated_at_remote'),
    tickets.columns.newest('closed_at_remote'),
    timeEntries.columns.newest('date_worked') + DAY_MS - 1,
    surveys.columns.newest('submitted_at'),
    alerts.columns.newest('detected_at'),
    alerts.columns.newest('resolved_at'),
  ];
  let newest = -Infinity;
  for (const ms of candidates) if (ms > newest) newest = ms;
  return newest === -Infinity ? null : newest;
}
