// Names config validates (MOCK_DOMAINS) and every layer above shares; the descriptors (src/domains.ts) follow this order.

/** Tickets first: the other domains' ticket references are checked against them. */
export const DOMAIN_NAMES = ['tickets', 'time_entries', 'csat', 'security_alerts'] as const;
export type DomainName = (typeof DOMAIN_NAMES)[number];

export const VENDORS = ['connectwise', 'smileback', 'sentinelone', 'defender'] as const;
export type Vendor = (typeof VENDORS)[number];

/** One vendor call behind a domain in live mode: what a failure or a stale copy of it names. */
export interface VendorCall {
  vendor: Vendor;
  /** `METHOD /path`, as live mode's vendor errors name it. */
  target: string;
}

/** The vendor calls that serve each domain in live mode (each vendor's integration serves it). */
export const DOMAIN_VENDOR_CALLS: Readonly<Record<DomainName, readonly VendorCall[]>> = {
  tickets: [{ vendor: 'connectwise', target: 'GET /service/tickets' }],
  time_entries: [{ vendor: 'connectwise', target: 'GET /time/entries' }],
  csat: [{ vendor: 'smileback', target: 'GET /api/v3/reviews/' }],
  security_alerts: [
    { vendor: 'sentinelone', target: 'GET /web/api/v2.1/threats' },
    { vendor: 'defender', target: 'GET /v1.0/security/alerts_v2' },
  ],
};

/** The domains each vendor's integration serves. */
export function domainsOfVendor(vendor: Vendor | string): DomainName[] {
  return DOMAIN_NAMES.filter((d) => DOMAIN_VENDOR_CALLS[d].some((c) => c.vendor === vendor));
}

/** The domains each vendor's integration serves (from the domains' vendor calls). */
export const DOMAINS_BY_VENDOR: Readonly<Record<string, DomainName[]>> = Object.fromEntries(VENDORS.map((vendor) => [vendor, domainsOfVendor(vendor)]));
