import { DOMAINS, type DomainName } from '../domains.js';

export type { DomainName } from '../domains.js';
export { CSAT } from '../csat/csat.domain.js';
export { SECURITY_ALERTS } from '../security-alerts/security-alerts.domain.js';
export { TICKETS } from '../tickets/tickets.domain.js';
export { TIME_ENTRIES } from '../time-entries/time-entries.domain.js';

/** What the mock folder reads of a domain's descriptor (src/domains.ts): `<folder>/<tenant_id>.json`, an array of `recordClass`. */
export interface MockDomain<T = unknown> {
  readonly name: DomainName;
  readonly folder: string;
  readonly recordClass: new () => T;
  /** What identifies a record within its tenant (alerts: source + alert_id). */
  readonly idFields: readonly string[];
  /** A field that must name a ticket of the same tenant when it is not null. */
  readonly ticketRef?: string;
}

/** Every domain, tickets first: the other domains' references are checked against them. */
export const MOCK_DOMAINS: readonly MockDomain[] = DOMAINS;
