// The tenant record is what the platform store keeps; the tenants domain serves it under this name.
export { Tenant } from '../platform/tenant.record.js';
