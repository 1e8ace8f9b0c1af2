import type { Vendor } from './platform/integration-bodies.dto.js';
import { CSAT } from './csat/csat.domain.js';
import { SECURITY_ALERTS } from './security-alerts/security-alerts.domain.js';
import { TICKETS } from './tickets/tickets.domain.js';
import { TIME_ENTRIES } from './time-entries/time-entries.domain.js';

/**
 * Every per-tenant domain, once. Tickets first: the other domains' ticket references are checked
 * against them, and this order is the order of health's `sources`, `not_configured` and the generator's files.
 */
export const DOMAINS = [TICKETS, TIME_ENTRIES, CSAT, SECURITY_ALERTS] as const;

export type Domain = (typeof DOMAINS)[number];
export type DomainName = Domain['name'];

export const DOMAIN_NAMES: readonly DomainName[] = DOMAINS.map((d) => d.name);

/** The descriptor of a domain name; throws on a name that is not one (a bug, not input). */
export function domainNamed(name: DomainName): Domain {
  const domain = DOMAINS.find((d) => d.name === name);
  if (!domain) throw new TypeError(`'${String(name)}' is not a domain`);
  return domain;
}

/** The domains each vendor's integration serves in live mode. */
export function domainsOfVendor(vendor: Vendor | string): DomainName[] {
  return DOMAINS.filter((d) => d.vendorCalls.some((c) => c.vendor === vendor)).map((d) => d.name);
}
