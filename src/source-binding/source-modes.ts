import type { ConfigType } from '@nestjs/config';
import { MOCKABLE_DOMAINS, type MockableDomain } from '../config/env.validation.js';
import type { mockConfig } from '../config/mock.config.js';

export type SourceKind = 'mock' | 'live';

/** What serves what: `tenants` is the tenant list (tenants.json or the platform store). */
export type Served = MockableDomain | 'tenants';

export interface SourceModes {
  /** `mock`: everything from the folder; `live`: everything from the store and vendors; `mixed`: MOCK_DOMAINS from the folder. */
  mode: 'mock' | 'live' | 'mixed';
  tenants: SourceKind;
  domains: Record<MockableDomain, SourceKind>;
}

/** A configuration no binding can honour: a bug or a bypassed validation, never something to paper over. */
export class SourceBindingError extends Error {
  constructor(message: string) {
    super(`Cannot bind the data sources: ${message}`);
    this.name = 'SourceBindingError';
  }
}

/** Derived once from the validated config; the one answer to "where does this domain's data come from". */
export function sourceModes(config: ConfigType<typeof mockConfig>): SourceModes {
  const unknown = config.domains.filter((d) => !(MOCKABLE_DOMAINS as readonly string[]).includes(d));
  if (unknown.length > 0) throw new SourceBindingError(`unknown mocked domain(s) ${unknown.join(', ')}`);
  if (config.enabled && config.domains.length !== MOCKABLE_DOMAINS.length) {
    throw new SourceBindingError(`MOCK_MODE=true must mock every domain, but only ${config.domains.join(', ') || 'none'} are`);
  }
  const domains = Object.fromEntries(
    MOCKABLE_DOMAINS.map((d) => [d, config.domains.includes(d) ? 'mock' : 'live']),
  ) as Record<MockableDomain, SourceKind>;
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
