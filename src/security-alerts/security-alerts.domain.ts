import { defineDomain } from '../common/domain/domain-descriptor.js';
import { SecurityAlert } from './security-alert.record.js';

export const SECURITY_ALERTS = defineDomain({
  name: 'security_alerts',
  folder: 'security_alerts',
  recordClass: SecurityAlert,
  // The data contract makes `alert_id` unique per tenant *and source*: the source is the outer part
  // of the id, as in `mock:validate`'s `defender/DEF-001`, so ties sort by source, then alert id.
  idFields: ['source', 'alert_id'],
  defaultSort: '-detected_at',
  vendorCalls: [
    { vendor: 'sentinelone', target: 'GET /web/api/v2.1/threats' },
    { vendor: 'defender', target: 'GET /v1.0/security/alerts_v2' },
  ],
});
