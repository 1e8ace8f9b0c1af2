import { ProblemError } from '../common/problem/problem.error.js';
import { VENDORS } from './integration-bodies.dto.js';

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
      `unknown vendor ${JSON.stringify(vendor.slice(0, 40))}: use ${VENDORS.slice(0, -1).join(', ')} or ${VENDORS.at(-1)}`,
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

/** Seconds a client is told to wait when the platform database cannot be reached. */
export const STORE_RETRY_AFTER_SECONDS = 2;

/**
 * The platform database is unreachable or timed out. The cause is kept for the log; the client
 * sees neither it nor the database's address.
 */
export class StoreUnavailableError extends ProblemError {
  constructor(readonly reason?: unknown) {
    super(
      503,
      '/problems/store-unavailable',
      'the platform database is unavailable; retry shortly',
      {},
      { 'retry-after': String(STORE_RETRY_AFTER_SECONDS) },
    );
  }

  /** The cause in a few words, for logs and the boot error (pg's messages name neither the password nor the URL). */
  get causeMessage(): string {
    return connectionFailureCause(this.reason);
  }

  override get logDetail(): string {
    return this.causeMessage;
  }
}

/** What failed, naming the database, the address or the user: a person can act on it. */
export function connectionFailureCause(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0) return [...new Set(error.errors.map(connectionFailureCause))].join('; ');
  if (!(error instanceof Error)) return 'unknown cause';
  const { code, address, port } = error as NodeJS.ErrnoException & { address?: string; port?: number };
  switch (code) {
    case 'ECONNREFUSED':
      return `connection refused at ${address?.includes(':') ? `[${address}]` : (address ?? 'the host')}${port ? `:${port}` : ''} (nothing listens there)`;
    case '3D000': // invalid_catalog_name
      return `${error.message} (create it first, e.g. createdb)`;
    case '28P01': // invalid_password
    case '28000': // invalid_authorization_specification
      return `${error.message} (check the user and password in DATABASE_URL)`;
    default:
      return error.message || code || 'unknown cause';
  }
}

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'ECONNABORTED']);
// SQLSTATE classes: 08 connection exception, 53 insufficient resources, 57 operator intervention (incl. 57014 statement timeout), 58 system error.
const UNAVAILABLE_SQLSTATE = /^(08|53|57|58)/;
const PG_CONNECTION_MESSAGE = /connection terminated|connection timeout|timeout exceeded when trying to connect|query read timeout|not queryable|connection ended|ended by the server|cannot use a pool after calling end/i;

/** A failure of the connection to PostgreSQL rather than of the statement. */
export function isConnectionFailure(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && NETWORK_CODES.has(code)) return true;
  if ('severity' in error) return typeof code === 'string' && UNAVAILABLE_SQLSTATE.test(code);
  return PG_CONNECTION_MESSAGE.test(error.message);
}

/** A unique or primary-key violation, on PostgreSQL (23505) or SQLite. */
export function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === 'SQLITE_CONSTRAINT_UNIQUE';
}
