import { ProblemError } from '../common/problem/problem.error.js';

export class TenantExistsError extends ProblemError {
  constructor(tenantId: string) {
    super(409, '/problems/tenant-exists', `tenant '${tenantId}' already exists`);
  }
}

export class ReadOnlyTenantsError extends ProblemError {
  constructor() {
    super(403, '/problems/read-only', 'tenants are read-only in mock mode: they come from tenants.json (MOCK_DATA_PATH)');
  }
}

export class IntegrationNotConfiguredError extends ProblemError {
  constructor(tenantId: string, vendor: string) {
    super(404, '/problems/integration-not-configured', `tenant '${tenantId}' has no ${vendor} integration`);
  }
}

export class VendorNotFoundError extends ProblemError {
  constructor(vendor: string) {
    super(
      404,
      '/problems/vendor-not-found',
      `unknown vendor ${JSON.stringify(vendor.slice(0, 40))}: use connectwise, smileback, sentinelone or defender`,
    );
  }
}

export class ApiKeyNotFoundError extends ProblemError {
  constructor(id: string) {
    super(404, '/problems/api-key-not-found', `API key '${id.slice(0, 40)}' does not exist`);
  }
}

export class EncryptionUnavailableError extends ProblemError {
  constructor() {
    super(
      503,
      '/problems/encryption-key-missing',
      'ENCRYPTION_KEY is not set on this server, so vendor secrets cannot be stored; ask the operator to set it',
    );
  }
}
