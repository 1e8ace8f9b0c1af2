import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiHeader } from '@nestjs/swagger';
import type { DomainName } from '../../config/domains-and-vendors.js';

export const VENDOR_DATA_DOMAIN = Symbol('VENDOR_DATA_DOMAIN');

/**
 * A route serving vendor data of these domains (insights read all four): while all of them are mocked its
 * answers follow `Prefer` and scenarios.json, which its documentation describes (the answers are ApiDataRoute's).
 */
export function VendorData(...domains: [DomainName, ...DomainName[]]): MethodDecorator {
  return applyDecorators(
    SetMetadata(VENDOR_DATA_DOMAIN, domains),
    ApiHeader({
      name: 'Prefer',
      required: false,
      description:
        'Mock mode only (RFC 7240; in mixed mode, on routes whose domains are all mocked), ignored in live mode: `code=502`, `code=503` or `code=504` answers that vendor failure as ' +
        'live mode would; `delay=MS` (0–30000) holds the answer; `stale` answers with `Warning: 110` and `X-Stale-Vendors`. ' +
        'Combine with commas, e.g. `delay=800, stale`.',
      schema: { type: 'string' },
    }),
  );
}
