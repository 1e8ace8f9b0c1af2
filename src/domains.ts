import type { DomainName } from './config/domains-and-vendors.js';
import { CSAT } from './csat/csat.domain.js';
import { SECURITY_ALERTS } from './security-alerts/security-alerts.domain.js';
import { TICKETS } from './tickets/tickets.domain.js';
import { TIME_ENTRIES } from './time-entries/time-entries.domain.js';

/**
 * Every per-tenant domain, once. Tickets first: the other domains' ticket references are checked
 * against them, and this order is the order of health's `sources`, `not_configured` and the generator's files.
 */
export const DOMAINS = [TICKETS, TIME_ENTRIES, CSAT, SECURITY_ALERTS] as const satisfies readonly { name: DomainName }[];

export type Domain = (typeof DOMAINS)[number];

/** This module, which the mock folder's load imports for `DOMAINS` (in its worker too): the mock layer sits below the domains. */
export const DOMAINS_MODULE = import.meta.url;

export { DOMAIN_NAMES, domainsOfVendor, type DomainName } from './config/domains-and-vendors.js';

