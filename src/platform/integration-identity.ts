import type { Vendor } from './integration-bodies.dto.js';

/**
 * The settings that name WHICH data an integration reads (the vendor's address and its account, company or
 * tenant), as opposed to how it authenticates or presents it (secrets, client ids, time zone, login URL).
 */
export const IDENTITY_FIELDS: Record<Vendor, readonly string[]> = {
  connectwise: ['base_url', 'company_id'],
  smileback: ['base_url', 'username'],
  sentinelone: ['base_url', 'account_ids', 'site_ids'],
  defender: ['api', 'azure_tenant_id', 'base_url', 'service_sources'],
};

/** True when the stored settings and the new ones point at different data (absent before: a first PUT, nothing to replace). */
export function sourceChanged(vendor: Vendor, before: Record<string, unknown> | undefined, after: Record<string, unknown>): boolean {
  if (!before) return false;
  return IDENTITY_FIELDS[vendor].some((field) => identityValue(before[field]) !== identityValue(after[field]));
}

// A trailing slash, letter case of a host, or the order of ids does not change which data is read.
function identityValue(value: unknown): string {
  if (Array.isArray(value)) return JSON.stringify(value.map(String).sort());
  if (typeof value !== 'string') return JSON.stringify(value ?? null);
  try {
    const url = new URL(value);
    if (url.protocol === 'http:' || url.protocol === 'https:') return `${url.origin}${url.pathname.replace(/\/+$/, '')}${url.search}`;
  } catch {
    // not a URL: compared as given
  }
  return value.trim();
}
