import type { RecordFields } from '../query/field-kinds.js';
import type { RecordQueryDefinition } from '../query/query-engine.js';
import type { VendorCall } from '../../config/domains-and-vendors.js';

export type { VendorCall } from '../../config/domains-and-vendors.js';

/**
 * Everything the service knows about one kind of per-tenant record, in one place: the mock loader,
 * the query engine, health, the generator's writer and the mock scenarios all read it from here.
 */
export interface DomainDescriptor<T = unknown, N extends string = string> {
  /** The domain's name in MOCK_DOMAINS, scenarios.json `domain`, health `sources` and `not_configured`. */
  readonly name: N;
  /** The mock-data sub-folder: `<folder>/<tenant_id>.json`, an array of `recordClass`. */
  readonly folder: string;
  readonly recordClass: new () => T;
  /**
   * What identifies a record within its tenant, most significant first: the sort tie-break (ascending,
   * by code point), `mock:validate`'s `id` (`/`-joined) and its duplicate-id check.
   */
  readonly idFields: readonly (keyof T & string)[];
  /** The list route's `sort` when none is given, e.g. `-updated_at_remote`. */
  readonly defaultSort: string;
  /** A field that must name a ticket of the same tenant when it is not null. */
  readonly ticketRef?: keyof T & string;
  /** The vendor calls that serve this domain in live mode (each vendor's integration serves it). */
  readonly vendorCalls: readonly VendorCall[];
}

/** Keeps `name` as its literal type, so the list of domains gives the `DomainName` union. */
export function defineDomain<T, const N extends string>(descriptor: DomainDescriptor<T, N>): DomainDescriptor<T, N> {
  return Object.freeze(descriptor);
}

/** The query engine's definition of a domain's list route: its id fields and default sort come from the descriptor. */
export function queryDefinition<T>(
  domain: DomainDescriptor<T>,
  fields: RecordFields<T>,
  queryClass: abstract new () => unknown,
): RecordQueryDefinition<T> {
  return { fields, idFields: domain.idFields, defaultSort: domain.defaultSort, queryClass };
}
