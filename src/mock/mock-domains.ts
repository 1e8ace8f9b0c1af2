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

/** URL of the module exporting the folder's domains as `DOMAINS`: they sit above mock, so the application names it and the load (or its worker) imports it. */
export type DomainsModule = string;

/** The folder's domains, imported from their module. */
export async function importDomains(module: DomainsModule): Promise<readonly MockDomain[]> {
  const { DOMAINS } = (await import(module)) as { DOMAINS: readonly MockDomain[] };
  return DOMAINS;
}
