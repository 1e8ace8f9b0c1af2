import type { DomainName } from '../config/domains-and-vendors.js';

export type { DomainName } from '../config/domains-and-vendors.js';

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

/**
 * The URL of the ES module that exports the folder's domains as `DOMAINS` (src/domains.ts, tickets
 * first): the domains sit above this layer, so the application names it and the load imports it, in
 * this thread or in its worker.
 */
export type DomainsModule = string;

/** The folder's domains, from their module (a built copy's when this runs from the TypeScript sources and the module is built). */
export async function importDomains(module: DomainsModule): Promise<readonly MockDomain[]> {
  const { DOMAINS } = (await import(module)) as { DOMAINS: readonly MockDomain[] };
  return DOMAINS;
}
