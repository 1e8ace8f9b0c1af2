import type { Vendor } from '../../platform/integration-bodies.dto.js';
import type { DomainName } from '../mock-domains.js';

/** The vendor calls behind each domain in live mode: who a simulated failure or stale copy names. */
export const DOMAIN_VENDOR_CALLS: Record<DomainName, readonly { vendor: Vendor; target: string }[]> = {
  tickets: [{ vendor: 'connectwise', target: 'GET /service/tickets' }],
  time_entries: [{ vendor: 'connectwise', target: 'GET /time/entries' }],
  csat: [{ vendor: 'smileback', target: 'GET /api/v3/reviews/' }],
  security_alerts: [
    { vendor: 'sentinelone', target: 'GET /web/api/v2.1/threats' },
    { vendor: 'defender', target: 'GET /v1.0/security/alerts_v2' },
  ],
};
