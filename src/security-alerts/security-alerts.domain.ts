import { defineDomain } from '../common/domain/domain-descriptor.js';
import { DOMAIN_VENDOR_CALLS } from '../config/domains-and-vendors.js';
import { SecurityAlert } from './security-alert.record.js';

export const SECURITY_ALERTS = defineDomain({
  name: 'security_alerts',
  folder: 'security_alerts',
  recordClass: SecurityAlert,
  // The data contract makes `alert_id` unique per tenant *and source*: the source is the outer part
  // of the id, as in `mock:validate`'s `defender/DEF-001`, so ties sort by source, then alert id.
  idFields: ['source', 'alert_id'],
  defaultSort: '-detected_at',
  vendorCalls: DOMAIN_VENDOR_CALLS.security_alerts,
});
