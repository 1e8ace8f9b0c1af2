import { BlockList, isIP } from 'node:net';
import { lookup as dnsLookup, LookupAddress, LookupOptions } from 'node:dns';

// Where a vendor never lives: private, loopback, link-local (cloud metadata at 169.254.169.254),
// carrier-grade NAT, unspecified, multicast and reserved ranges.
const BLOCKED = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  BLOCKED.addSubnet(net, prefix, 'ipv4');
}
for (const [net, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['64:ff9b::', 96],
  ['100::', 64],
  ['2001:db8::', 32],
  ['fc00::', 7],
  ['fe80::', 10],
  ['fec0::', 10],
  ['ff00::', 8],
] as const) {
  BLOCKED.addSubnet(net, prefix, 'ipv6');
}

/** True for an address no vendor API can have (IPv4-mapped IPv6 is judged by its IPv4 address). */
export function isPrivateAddress(address: string): boolean {
  const bare = address.replace(/^\[|\]$/g, '');
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(bare);
  if (mapped) return BLOCKED.check(mapped[1], 'ipv4');
  const family = isIP(bare);
  if (family === 0) return false;
  return BLOCKED.check(bare, family === 4 ? 'ipv4' : 'ipv6');
}

/** The host of a URL when it is an IP literal (which connects without any DNS lookup). */
export function literalAddress(hostname: string): string | undefined {
  const bare = hostname.replace(/^\[|\]$/g, '');
  return isIP(bare) ? bare : undefined;
}

export class PrivateAddressError extends Error {
  readonly code = 'ERR_VENDOR_PRIVATE_ADDRESS';

  constructor(
    readonly hostname: string,
    readonly address: string,
  ) {
    super(`${hostname} resolves to ${address}, a private, loopback or link-local address`);
  }
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * A `dns.lookup` for outgoing connections that refuses private addresses. Checking at connect time
 * (not before the request) means a name that is re-pointed between check and use cannot slip through.
 */
export function publicOnlyLookup(hostname: string, options: LookupOptions, callback: LookupCallback): void {
  dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
    if (error) return callback(error, []);
    const blocked = addresses.find((a) => isPrivateAddress(a.address));
    if (blocked) return callback(new PrivateAddressError(hostname, blocked.address) as unknown as NodeJS.ErrnoException, []);
    if (options.all) return callback(null, addresses);
    const [first] = addresses;
    return callback(null, first.address, first.family);
  });
}

/**
 * Why a configured vendor URL is refused before anything is stored (plain http, or a private IP
 * literal), or undefined. Host names are checked again when connecting, after DNS resolution.
 */
export function unsafeVendorUrl(url: string, allowPrivateNetworks: boolean): string | undefined {
  if (allowPrivateNetworks) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined; // the DTO's URL check names this one
  }
  if (parsed.protocol !== 'https:') return 'must be an https URL (plain http only with VENDOR_ALLOW_PRIVATE_NETWORKS=true)';
  const literal = literalAddress(parsed.hostname);
  if (literal && isPrivateAddress(literal)) {
    return 'must not point to a private, loopback or link-local address (only with VENDOR_ALLOW_PRIVATE_NETWORKS=true)';
  }
  return undefined;
}
