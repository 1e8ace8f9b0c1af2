import type { ConfigType } from '@nestjs/config';
import { DOMAIN_NAMES, type DomainName } from './domains-and-vendors.js';
import type { mockConfig } from './mock.config.js';

export type SourceKind = 'mock' | 'live';

/** What serves what: `tenants` is the tenant list (tenants.json or the platform store). */
export type Served = DomainName | 'tenants';

export interface SourceModes {
  /** `mock`: everything from the folder; `live`: everything from the store and vendors; `mixed`: MOCK_DOMAINS from the folder. */
  mode: 'mock' | 'live' | 'mixed';
  tenants: SourceKind;
  domains: Record<DomainName, SourceKind>;
}

/** The one SourceModes of this boot, derived from the validated config when the root module is built. */
export const SOURCE_MODES = Symbol('SOURCE_MODES');

/** A configuration no binding can honour: a bug or a bypassed validation, never something to paper over. */
export class SourceBindingError extends Error {
  constructor(message: string) {
    super(`Cannot bind the data sources: ${message}`);
    this.name = 'SourceBindingError';
  }
}

/** Derived once from the validated config; the one answer to "where does this domain's data come from". */
export function sourceModes(config: ConfigType<typeof mockConfig>): SourceModes {
  const unknown = config.domains.filter((d) => !(DOMAIN_NAMES as readonly string[]).includes(d));
  if (unknown.length > 0) throw new SourceBindingError(`unknown mocked domain(s) ${unknown.join(', ')}`);
  const repeated = config.domains.filter((d, i) => config.domains.indexOf(d) !== i);
  if (repeated.length > 0) throw new SourceBindingError(`mocked domain(s) listed twice: ${[...new Set(repeated)].join(', ')}`);
  const unmocked = DOMAIN_NAMES.filter((d) => !config.domains.includes(d));
  if (config.enabled && unmocked.length > 0) {
    throw new SourceBindingError(`MOCK_MODE=true must mock every domain, but ${unmocked.join(', ')} would be live`);
  }
  const domains = Object.fromEntries(
    DOMAIN_NAMES.map((d) => [d, config.domains.includes(d) ? 'mock' : 'live']),
  ) as Record<DomainName, SourceKind>;
  const mode = config.enabled ? 'mock' : config.domains.length > 0 ? 'mixed' : 'live';
  return { mode, tenants: config.enabled ? 'mock' : 'live', domains };
}

/** Whether `served` reads the mock folder; throws on a name it does not know. */
export function kindOf(modes: SourceModes, served: Served): SourceKind {
  if (served === 'tenants') return modes.tenants;
  const kind = modes.domains[served];
  if (kind === undefined) throw new SourceBindingError(`'${String(served)}' is not a domain`);
  return kind;
}

/** The domains read from `kind`'s side, in DOMAIN_NAMES order. */
export function domainsServed(modes: SourceModes, kind: SourceKind): DomainName[] {
  return DOMAIN_NAMES.filter((d) => modes.domains[d] === kind);
}

/** Whether anything, a domain or the tenant list, is read from `kind`'s side: whether that side is built at all. */
export function servesAny(modes: SourceModes, kind: SourceKind): boolean {
  return modes.tenants === kind || domainsServed(modes, kind).length > 0;
}
