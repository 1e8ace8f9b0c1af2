import {
  BrokenCircuitError,
  BulkheadPolicy,
  BulkheadRejectedError,
  CircuitBreakerPolicy,
  CircuitState,
  ConsecutiveBreaker,
  ExponentialBackoff,
  IBackoff,
  IBackoffFactory,
  IRetryBackoffContext,
  RetryPolicy,
  bulkhead,
  circuitBreaker,
  handleWhen,
  retry,
} from 'cockatiel';
import { Agent, fetch as undiciFetch } from 'undici';
import { PrivateAddressError, isPrivateAddress, literalAddress, publicOnlyLookup } from './address-guard.js';
import { bodyExcerpt, requestSecrets } from './vendor-text.js';
import {
  VendorAddressRefusedError,
  VendorAuthError,
  VendorDataError,
  VendorError,
  VendorHttpError,
  VendorTimeoutError,
  VendorUnavailableError,
} from './vendor-errors.js';

export interface VendorHttpOptions {
  timeoutMs: number;
  // cockatiel's meaning: retries after the first try, so 5 means up to 6 requests.
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  maxRetryAfterMs: number;
  concurrencyPerVendor: number;
  breakerThreshold: number;
  halfOpenAfterMs: number;
  /** Plain http and private, loopback or link-local addresses (local fakes, tests). Off: https to public addresses only. */
  allowPrivateNetworks: boolean;
}

export const DEFAULT_VENDOR_HTTP_OPTIONS: Readonly<VendorHttpOptions> = {
  timeoutMs: 30_000,
  maxAttempts: 5,
  baseDelayMs: 250,
  maxDelayMs: 30_000,
  maxRetryAfterMs: 30_000,
  concurrencyPerVendor: 4,
  breakerThreshold: 5,
  halfOpenAfterMs: 30_000,
  allowPrivateNetworks: false,
};

export interface VendorRequest {
  vendor: string;
  breakerKey: string;
  method?: string;
  url: string;
  headers?: Record<string, string>;
  body?: string | URLSearchParams;
  timeoutMs?: number;
  /** Values to scrub from any vendor text that reaches an error (besides what headers, body and query carry). */
  secrets?: readonly string[];
  /** The caller's stop: its walk's deadline passed or its client went away. A VendorError reason is thrown as is. */
  signal?: AbortSignal;
  /** Epoch ms by which the caller's walk must end: no retry or Retry-After wait goes past it. */
  deadlineAt?: number;
}

export interface VendorResponse<T> {
  status: number;
  headers: Headers;
  body: T;
}

export type BreakerState = 'closed' | 'open' | 'half-open' | 'isolated';

interface RawResponse {
  status: number;
  headers: Headers;
  text: string;
}

/** An attempt cut by its caller (walk deadline, client gone): says nothing about the vendor's health. */
class StoppedByCaller extends Error {}

class TransientFailure extends Error {
  constructor(
    readonly response: RawResponse | undefined,
    readonly retryAfterMs: number | undefined,
    readonly networkCode?: string,
  ) {
    super(response ? `status ${response.status}` : `network error${networkCode ? ` (${networkCode})` : ''}`);
  }
}

class RetryAfterBackoff implements IBackoffFactory<IRetryBackoffContext<unknown>> {
  constructor(
    private readonly exponential: IBackoffFactory<unknown>,
    private readonly capMs: number,
  ) {}

  next(context: IRetryBackoffContext<unknown>): IBackoff<IRetryBackoffContext<unknown>> {
    const step = this.exponential.next(context);
    const failure = 'error' in context.result ? context.result.error : undefined;
    const hinted = failure instanceof TransientFailure ? failure.retryAfterMs : undefined;
    return {
      duration: hinted === undefined ? step.duration : Math.min(hinted, this.capMs),
      next: (ctx) => new RetryAfterBackoff(step, this.capMs).next(ctx),
    };
  }
}

const STATE_NAMES: Record<CircuitState, BreakerState> = {
  [CircuitState.Closed]: 'closed',
  [CircuitState.Open]: 'open',
  [CircuitState.HalfOpen]: 'half-open',
  [CircuitState.Isolated]: 'isolated',
};

const BULKHEAD_QUEUE = 10_000;

// Health reads every live client's circuits; weak so that short-lived instances (tests) do not pile up.
const liveInstances = new Set<WeakRef<VendorHttp>>();

/** Shutdown's deadline: every vendor call still running is aborted (and answered 503). */
export function abortVendorCalls(): void {
  for (const ref of liveInstances) ref.deref()?.abortAll();
}

export function breakerStates(): Record<string, BreakerState> {
  const states: Record<string, BreakerState> = {};
  for (const ref of liveInstances) {
    const http = ref.deref();
    if (!http) liveInstances.delete(ref);
    else Object.assign(states, http.breakerStates());
  }
  return states;
}

export class VendorHttp {
  readonly options: Readonly<VendorHttpOptions>;
  private readonly retryPolicy: RetryPolicy;
  private readonly breakers = new Map<string, CircuitBreakerPolicy>();
  private readonly bulkheads = new Map<string, BulkheadPolicy>();
  private readonly shutdown = new AbortController();
  private readonly dispatcher: Agent;
  /** The integration's own secrets, scrubbed from vendor text (see withSecrets). */
  protected readonly secrets: readonly string[] = [];

  constructor(options: Partial<VendorHttpOptions> = {}) {
    this.options = { ...DEFAULT_VENDOR_HTTP_OPTIONS, ...options };
    this.dispatcher = new Agent(this.options.allowPrivateNetworks ? {} : { connect: { lookup: publicOnlyLookup } });
    this.retryPolicy = retry(
      handleWhen((error) => error instanceof TransientFailure),
      {
        maxAttempts: this.options.maxAttempts,
        backoff: new RetryAfterBackoff(
          new ExponentialBackoff({ initialDelay: this.options.baseDelayMs, maxDelay: this.options.maxDelayMs }),
          this.options.maxRetryAfterMs,
        ),
      },
    );
    liveInstances.add(new WeakRef(this));
  }

  /**
   * The same client (policies, breakers, connections shared) that also scrubs these values, in every
   * encoding, from whatever vendor text reaches an error: one per integration, built with its secrets.
   */
  withSecrets(secrets: readonly string[], identities: readonly string[] = []): VendorHttp {
    // A vendor may echo Basic credentials built from an identity (client id, user name) and a secret.
    const basic = identities.flatMap((id) => secrets.map((secret) => `${id}:${secret}`));
    return Object.create(this, { secrets: { value: [...this.secrets, ...secrets, ...basic] } }) as VendorHttp;
  }

  abortAll(): void {
    this.shutdown.abort();
  }

  breakerStates(): Record<string, BreakerState> {
    return Object.fromEntries([...this.breakers].map(([key, breaker]) => [key, STATE_NAMES[breaker.state]]));
  }

  async request<T>(req: VendorRequest): Promise<VendorResponse<T>> {
    const method = (req.method ?? 'GET').toUpperCase();
    const target = describeTarget(method, req.url);
    if (!target) throw new VendorUnavailableError(req.vendor, 'the configured URL is not a valid http(s) URL');
    this.refuseUnsafeTarget(req);
    const breaker = this.breakerFor(req.breakerKey);
    const gate = this.bulkheadFor(req.vendor);

    const stop = req.signal ? AbortSignal.any([this.shutdown.signal, req.signal]) : this.shutdown.signal;
    let raw: RawResponse;
    try {
      raw = await this.retryPolicy.execute(async () => {
        const response = await gate.execute(() => breaker.execute(() => this.attempt(req, method, target, stop)));
        if (response.status === 429) throw new TransientFailure(response, retryAfterMs(response.headers));
        return response;
      }, stop);
    } catch (error) {
      throw this.translate(error, req, target);
    }

    if (raw.status >= 300) {
      const excerpt = bodyExcerpt(raw.text, this.secretsOf(req));
      if (raw.status === 401 || raw.status === 403) throw new VendorAuthError(req.vendor, raw.status, target, excerpt);
      throw new VendorHttpError(req.vendor, raw.status, target, excerpt);
    }
    return { status: raw.status, headers: raw.headers, body: parseJson<T>(raw.text, req.vendor, target) };
  }

  private refuseUnsafeTarget(req: VendorRequest): void {
    if (this.options.allowPrivateNetworks) return;
    const url = new URL(req.url);
    if (url.protocol !== 'https:') throw new VendorAddressRefusedError(req.vendor, `${url.origin} is plain http`);
    const literal = literalAddress(url.hostname);
    if (literal && isPrivateAddress(literal)) {
      throw new VendorAddressRefusedError(req.vendor, `${url.hostname} is a private, loopback or link-local address`);
    }
  }

  private async attempt(req: VendorRequest, method: string, target: string, stop: AbortSignal): Promise<RawResponse> {
    const timeoutMs = req.timeoutMs ?? this.options.timeoutMs;
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, timeoutMs);
    try {
      const response = await undiciFetch(req.url, {
        method,
        headers: req.headers,
        body: req.body,
        signal: AbortSignal.any([controller.signal, stop]),
        // Never replay credentials to wherever a redirect points.
        redirect: 'manual',
        dispatcher: this.dispatcher,
      });
      const raw = { status: response.status, headers: response.headers, text: await response.text() };
      if (raw.status >= 500 && raw.status !== 501) throw new TransientFailure(raw, retryAfterMs(raw.headers));
      return raw;
    } catch (error) {
      if (error instanceof TransientFailure) throw error;
      if (this.shutdown.signal.aborted) throw new VendorUnavailableError(req.vendor, 'the service is shutting down');
      if (req.signal?.aborted) throw new StoppedByCaller();
      if (timedOut) throw new VendorTimeoutError(req.vendor, target, timeoutMs);
      const refused = privateAddressCause(error);
      if (refused) throw new VendorAddressRefusedError(req.vendor, refused.message);
      throw new TransientFailure(undefined, undefined, networkCode(error));
    } finally {
      clearTimeout(timer);
    }
  }

  private translate(error: unknown, req: VendorRequest, target: string): VendorError {
    if (error instanceof VendorError) return error;
    if (this.shutdown.signal.aborted) return new VendorUnavailableError(req.vendor, 'the service is shutting down');
    if (req.signal?.aborted) return stoppedBy(req);
    if (error instanceof TransientFailure) {
      if (!error.response) return new VendorUnavailableError(req.vendor, `${error.message} on ${target}`);
      return new VendorHttpError(req.vendor, error.response.status, target, bodyExcerpt(error.response.text, this.secretsOf(req)));
    }
    if (error instanceof BrokenCircuitError) {
      return new VendorUnavailableError(
        req.vendor,
        `circuit ${req.breakerKey} is open after repeated failures`,
        Math.ceil(this.options.halfOpenAfterMs / 1000),
      );
    }
    if (error instanceof BulkheadRejectedError) return new VendorUnavailableError(req.vendor, 'too many requests queued');
    return new VendorUnavailableError(req.vendor, `unexpected failure on ${target}`);
  }

  private secretsOf(req: VendorRequest): string[] {
    return [...this.secrets, ...requestSecrets(req.headers, req.body, req.url, req.secrets)];
  }

  private breakerFor(key: string): CircuitBreakerPolicy {
    let breaker = this.breakers.get(key);
    if (!breaker) {
      breaker = circuitBreaker(handleWhen((error) => !(error instanceof StoppedByCaller)), {
        halfOpenAfter: this.options.halfOpenAfterMs,
        breaker: new ConsecutiveBreaker(this.options.breakerThreshold),
      });
      this.breakers.set(key, breaker);
    }
    return breaker;
  }

  private bulkheadFor(vendor: string): BulkheadPolicy {
    let gate = this.bulkheads.get(vendor);
    if (!gate) {
      gate = bulkhead(this.options.concurrencyPerVendor, BULKHEAD_QUEUE);
      this.bulkheads.set(vendor, gate);
    }
    return gate;
  }
}

function stoppedBy(req: VendorRequest): VendorError {
  const reason: unknown = req.signal?.reason;
  return reason instanceof VendorError ? reason : new VendorUnavailableError(req.vendor, 'the call was stopped by its caller');
}

function describeTarget(method: string, url: string): string | undefined {
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return undefined;
    return `${method} ${parsed.pathname}`;
  } catch {
    return undefined;
  }
}

export function retryAfterMs(headers: Headers, now = Date.now()): number | undefined {
  const value = headers.get('retry-after')?.trim();
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return Math.round(Number(value) * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function networkCode(error: unknown): string | undefined {
  const cause = (error as { cause?: { code?: unknown } } | null)?.cause;
  const code = cause?.code;
  return typeof code === 'string' && /^[A-Z_]{2,40}$/.test(code) ? code : undefined;
}

function parseJson<T>(text: string, vendor: string, target: string): T {
  if (text.trim() === '') return null as T;
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new VendorDataError(vendor, undefined, 'body', `of ${target} is not valid JSON`);
  }
}

function privateAddressCause(error: unknown): PrivateAddressError | undefined {
  for (let cause = error; cause instanceof Error; cause = (cause as { cause?: unknown }).cause) {
    if (cause instanceof PrivateAddressError) return cause;
  }
  return undefined;
}

// encodeURIComponent, not URLSearchParams: ConnectWise needs `+` (offsets, emails) as %2B and reads a bare `+` as a space.
export function vendorUrl(base: string, path: string, query: Record<string, string | number | undefined> = {}): string {
  const pairs = Object.entries(query)
    .filter((entry): entry is [string, string | number] => entry[1] !== undefined)
    .map(([name, value]) => `${encodeQueryName(name)}=${encodeURIComponent(String(value))}`);
  return `${base.replace(/\/+$/, '')}${path}${pairs.length ? `?${pairs.join('&')}` : ''}`;
}

function encodeQueryName(name: string): string {
  // OData names ($filter, $top) keep their `$`, which is legal in a query.
  return encodeURIComponent(name).replace(/%24/g, '$');
}

// Paging links are absolute; following one to another origin would hand it our credentials.
export function sameOriginLink(link: string, base: string, vendor: string, field: string): string {
  let resolved: URL;
  try {
    resolved = new URL(link, base);
  } catch {
    throw new VendorDataError(vendor, undefined, field, 'is not a URL');
  }
  if (resolved.origin !== new URL(base).origin) throw new VendorDataError(vendor, undefined, field, 'points to another origin');
  return resolved.toString();
}

export interface BearerToken {
  header: string;
  refreshAt: number;
}

export class OAuthTokenCache {
  private readonly tokens = new Map<string, BearerToken>();
  private readonly pending = new Map<string, Promise<BearerToken>>();

  get(key: string, fetchToken: () => Promise<BearerToken>): Promise<BearerToken> {
    const cached = this.tokens.get(key);
    if (cached && Date.now() < cached.refreshAt) return Promise.resolve(cached);
    let pending = this.pending.get(key);
    if (!pending) {
      pending = fetchToken()
        .then((token) => {
          this.tokens.set(key, token);
          return token;
        })
        .finally(() => this.pending.delete(key));
      this.pending.set(key, pending);
    }
    return pending;
  }

  drop(key: string, token: BearerToken): void {
    if (this.tokens.get(key) === token) this.tokens.delete(key);
  }
}

const DEFAULT_TOKEN_LIFETIME_S = 3600;

// Refresh a minute early (halfway for short-lived tokens) so that no call starts with a token about to die.
export function bearerToken(body: unknown, vendor: string, now = Date.now()): BearerToken {
  const fields = (body ?? {}) as { access_token?: unknown; expires_in?: unknown };
  if (typeof fields.access_token !== 'string' || fields.access_token === '') {
    throw new VendorDataError(vendor, undefined, 'access_token');
  }
  const seconds = Number(fields.expires_in);
  const lifetimeMs = (Number.isFinite(seconds) && seconds > 0 ? seconds : DEFAULT_TOKEN_LIFETIME_S) * 1000;
  return { header: `Bearer ${fields.access_token}`, refreshAt: now + lifetimeMs - Math.min(60_000, lifetimeMs / 2) };
}
