import { VendorDataError } from './vendor-errors.js';

// encodeURIComponent, not URLSearchParams: ConnectWise needs `+` (offsets, emails) as %2B and reads a bare `+` as a space.
export function vendorUrl(base: string, path: string, query: Record<string, string | number | undefined> = {}): string {
  const pairs = Object.entries(query)
    .filter((entry): entry is [string, string | number] => entry[1] !== undefined)
    .map(([name, value]) => `${encodeQueryName(name)}=${encodeURIComponent(String(value))}`);
  return `${base.replace(/\/+$/, '')}${path}${pairs.length ? `?${pairs.join('&')}` : ''}`;
}

function encodeQueryName(name: string): string {
  // OData names ($filter, $top) keep their `$`, which is legal in a query.
  return encodeURIComponent(name).replace(/%24/g, '$');
}

// Paging links are absolute; following one to another origin would hand it our credentials.
export function sameOriginLink(link: string, base: string, vendor: string, field: string): string {
  let resolved: URL;
  try {
    resolved = new URL(link, base);
  } catch {
    throw new VendorDataError(vendor, undefined, field, 'is not a URL');
  }
  if (resolved.origin !== new URL(base).origin) throw new VendorDataError(vendor, undefined, field, 'points to another origin');
  return resolved.toString();
}

/** `METHOD /path` of an http(s) URL, as errors name it (never the query, which may carry credentials). */
export function describeTarget(method: string, url: string): string | undefined {
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return undefined;
    return `${method} ${parsed.pathname}`;
  } catch {
    return undefined;
  }
}
