import { RECORD_ID_PATTERN } from '../../common/validation/formats.js';
import type { ProblemSource, SourcedProblem } from '../../common/problem/problem-source.js';

export type VendorProblemType =
  | '/problems/vendor-error'
  | '/problems/vendor-unavailable'
  | '/problems/vendor-timeout'
  | '/problems/vendor-data'
  | '/problems/vendor-address-refused';

// Messages name the vendor, method and path only: a query string, header or body may carry a credential.
export abstract class VendorError extends Error implements ProblemSource {
  abstract readonly httpStatus: number;
  abstract readonly problemType: VendorProblemType;

  protected constructor(
    readonly vendor: string,
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = new.target.name;
  }

  /** Vendor errors are written secret-free (vendor, method, path, status, a scrubbed excerpt). */
  toProblem(forAdmin: boolean): SourcedProblem {
    return { type: this.problemType, status: this.httpStatus, detail: this.detailFor(forAdmin), headers: {} };
  }

  protected detailFor(_forAdmin: boolean): string {
    return this.message;
  }
}

export class VendorHttpError extends VendorError {
  readonly httpStatus: number = 502;
  readonly problemType: VendorProblemType = '/problems/vendor-error';

  constructor(
    vendor: string,
    status: number,
    readonly target: string,
    readonly bodyExcerpt: string,
  ) {
    super(vendor, `${vendor} answered ${status} to ${target}${bodyExcerpt ? `: ${bodyExcerpt}` : ''}`, status);
  }

  /** The same without the vendor's own words: what a tenant key is shown. */
  get withoutVendorText(): string {
    return `${this.vendor} answered ${this.status} to ${this.target}`;
  }

  protected override detailFor(forAdmin: boolean): string {
    return forAdmin ? this.message : this.withoutVendorText;
  }
}

export class VendorAuthError extends VendorHttpError {}

export class VendorTimeoutError extends VendorError {
  readonly httpStatus = 504;
  readonly problemType: VendorProblemType = '/problems/vendor-timeout';

  constructor(
    vendor: string,
    readonly target: string,
    readonly timeoutMs: number,
  ) {
    super(vendor, `${vendor} did not answer ${target} within ${timeoutMs} ms`);
  }
}

/** A paged walk still running at its deadline (VENDOR_WALK_TIMEOUT_MS): whatever it had gathered is dropped. */
export class VendorWalkTimeoutError extends VendorError {
  readonly httpStatus = 504;
  readonly problemType: VendorProblemType = '/problems/vendor-timeout';

  constructor(
    vendor: string,
    readonly timeoutMs: number,
  ) {
    super(vendor, `${vendor} walk did not end within its deadline, VENDOR_WALK_TIMEOUT_MS (${timeoutMs} ms)`);
  }
}

export class VendorUnavailableError extends VendorError {
  readonly httpStatus = 503;
  readonly problemType: VendorProblemType = '/problems/vendor-unavailable';

  constructor(
    vendor: string,
    reason: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(vendor, `${vendor} is unavailable: ${reason}`);
  }

  override toProblem(forAdmin: boolean): SourcedProblem {
    const problem = super.toProblem(forAdmin);
    if (this.retryAfterSeconds !== undefined) problem.headers = { 'retry-after': String(Math.max(1, Math.ceil(this.retryAfterSeconds))) };
    return problem;
  }
}

/** The vendor answered 429 with a Retry-After to a call that raises rather than waits (a sync run's walk). */
export class VendorRateLimitedError extends VendorUnavailableError {
  constructor(vendor: string, retryAfterSeconds: number) {
    super(vendor, `rate limited (429): asked to retry after ${retryAfterSeconds} s`, retryAfterSeconds);
  }
}

/** Our own request budget for this credential (the vendor's documented limit) is spent: nothing was sent. */
export class VendorBudgetSpentError extends VendorRateLimitedError {
  constructor(vendor: string, budget: string, retryAfterSeconds: number) {
    super(vendor, retryAfterSeconds);
    this.message = `${vendor} is unavailable: its request budget for this credential (${budget}) is spent: retry after ${retryAfterSeconds} s`;
  }
}

/**
 * The integration's URL is plain http, or names (or resolves to) a private, loopback or link-local
 * address, and VENDOR_ALLOW_PRIVATE_NETWORKS is off: nothing was sent.
 */
export class VendorAddressRefusedError extends VendorError {
  readonly httpStatus = 502;
  readonly problemType: VendorProblemType = '/problems/vendor-address-refused';

  constructor(vendor: string, reason: string) {
    super(vendor, `${vendor} was not called: ${reason} (allowed only with VENDOR_ALLOW_PRIVATE_NETWORKS=true)`);
  }
}

// Names the vendor, item and field but never the value, which may be personal data.
export class VendorDataError extends VendorError {
  readonly httpStatus = 502;
  readonly problemType: VendorProblemType = '/problems/vendor-data';

  constructor(
    vendor: string,
    readonly itemId: string | undefined,
    readonly field: string,
    problem = 'is missing or invalid',
  ) {
    super(vendor, `${vendor} ${itemId === undefined ? 'response' : `item ${itemId}`}: ${field} ${problem}`);
  }
}

/** The vendor's answer, once decompressed, is larger than VENDOR_MAX_RESPONSE_MB: the connection was cut there. */
export class VendorResponseTooLargeError extends VendorDataError {
  constructor(
    vendor: string,
    target: string,
    readonly limitBytes: number,
  ) {
    super(vendor, undefined, 'body', `of ${target} is over the ${formatBytes(limitBytes)} limit (VENDOR_MAX_RESPONSE_MB)`);
  }
}

/** A paged walk read more than VENDOR_WALK_MAX_MB of answers: the page that passed it was cut there. */
export class VendorWalkTooLargeError extends VendorDataError {
  constructor(vendor: string, target: string, limitBytes: number) {
    super(vendor, undefined, `the walk of ${target}`, `read more than ${formatBytes(limitBytes)} of answers (VENDOR_WALK_MAX_MB)`);
  }
}

/** The caller's walk deadline (VendorRequest.deadlineAt) came before the vendor's answer. */
export class VendorDeadlineError extends VendorTimeoutError {
  constructor(vendor: string, target: string, budgetMs: number) {
    super(vendor, target, budgetMs);
    this.message = `${vendor} did not answer ${target} before the walk's deadline (VENDOR_WALK_TIMEOUT_MS)`;
  }
}

function formatBytes(bytes: number): string {
  const mib = bytes / (1024 * 1024);
  return Number.isInteger(mib) ? `${mib} MB` : `${bytes} bytes`;
}

const ZONED_DATETIME = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:?\d{2})$/i;

// Mappers read through this so that every bad field fails the same way: a VendorDataError, never a half-filled record.
export class VendorPayload {
  constructor(
    readonly vendor: string,
    readonly itemId: string | undefined,
    private readonly raw: unknown,
  ) {}

  /** A list item to map: a VendorDataError at once when it is not an object (null, a number, a string). */
  static item(vendor: string, raw: unknown): VendorPayload {
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
      throw new VendorDataError(vendor, undefined, 'item', `is ${raw === null ? 'null' : Array.isArray(raw) ? 'an array' : `a ${typeof raw}`}, not an object`);
    }
    const id = (raw as { id?: unknown }).id;
    return new VendorPayload(vendor, typeof id === 'number' || typeof id === 'string' ? String(id) : '(no id)', raw);
  }

  fail(field: string, problem?: string): never {
    throw new VendorDataError(this.vendor, this.itemId, field, problem);
  }

  get(path: string): unknown {
    let node: unknown = this.raw;
    for (const key of path.split('.')) {
      if (node === null || typeof node !== 'object' || Array.isArray(node)) return undefined;
      node = (node as Record<string, unknown>)[key];
    }
    return node;
  }

  has(path: string): boolean {
    const value = this.get(path);
    return value !== undefined && value !== null;
  }

  string(path: string): string {
    const value = this.get(path);
    if (typeof value !== 'string' || value.trim() === '') this.fail(path, 'is missing or not a non-empty string');
    return value;
  }

  optionalString(path: string): string | undefined {
    const value = this.get(path);
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'string') this.fail(path, 'is not a string');
    return value;
  }

  number(path: string): number {
    const value = this.get(path);
    if (typeof value !== 'number' || !Number.isFinite(value)) this.fail(path, 'is missing or not a number');
    return value;
  }

  optionalNumber(path: string): number | undefined {
    const value = this.get(path);
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'number' || !Number.isFinite(value)) this.fail(path, 'is not a number');
    return value;
  }

  integerId(path: string): number {
    const value = this.get(path);
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) this.fail(path, 'is missing or not an integer id');
    return value;
  }

  id(path: string): string {
    const value = this.get(path);
    if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return String(value);
    if (typeof value === 'string' && RECORD_ID_PATTERN.test(value)) return value;
    this.fail(path, 'is missing or not an id');
  }

  instant(path: string): string {
    const value = this.get(path);
    if (typeof value !== 'string') this.fail(path, 'is missing or not a date-time');
    return toInstant(value) ?? this.fail(path, 'is not an ISO 8601 date-time with a zone');
  }

  optionalInstant(path: string): string | undefined {
    const value = this.get(path);
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'string') this.fail(path, 'is not a date-time');
    return toInstant(value) ?? this.fail(path, 'is not an ISO 8601 date-time with a zone');
  }
}

export function toInstant(value: string): string | null {
  const m = ZONED_DATETIME.exec(value);
  if (!m) return null;
  const offsetMs = m[3].toUpperCase() === 'Z' ? 0 : offsetToMs(m[3]);
  const wallClock = Date.parse(`${m[1]}Z`);
  if (Number.isNaN(wallClock) || new Date(wallClock).toISOString().slice(0, 19) !== m[1]) return null;
  // One canonical UTC form whatever the vendor sent (7-digit fractions, offsets): whole seconds as
  // `…:SSZ` (what mock files hold), otherwise milliseconds `…:SS.mmmZ`. Sub-millisecond digits are dropped.
  const millis = Number((m[2] ?? '').slice(0, 3).padEnd(3, '0'));
  return new Date(wallClock + millis - offsetMs).toISOString().replace('.000Z', 'Z');
}

function offsetToMs(offset: string): number {
  const digits = offset.replace(':', '');
  const sign = digits.startsWith('-') ? -1 : 1;
  return sign * (Number(digits.slice(1, 3)) * 60 + Number(digits.slice(3, 5))) * 60_000;
}
