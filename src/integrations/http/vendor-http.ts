import type { OnApplicationShutdown } from '@nestjs/common';
import { BrokenCircuitError, BulkheadRejectedError, CircuitState, ExponentialBackoff, IBackoff } from 'cockatiel';
import { setTimeout as sleep } from 'node:timers/promises';
import { Agent, fetch as undiciFetch } from 'undici';
import { isPrivateAddress, literalAddress, publicOnlyLookup } from './address-guard.js';
import { spendBudget, VendorBudgetRef, VendorBudgets } from './vendor-budgets.js';
import { bodyExcerpt, requestSecrets } from './vendor-text.js';
import type { RetryAfterPolicy, WalkBytes } from './vendor-walk.js';
import {
  VendorAddressRefusedError,
  VendorAuthError,
  VendorDataError,
  VendorDeadlineError,
  VendorError,
  VendorHttpError,
  VendorResponseTooLargeError,
  VendorTimeoutError,
  VendorRateLimitedError,
  VendorUnavailableError,
  VendorWalkTooLargeError,
} from './vendor-errors.js';
import { BreakerState, Lane, untilStopped, VendorLanes } from './vendor-lanes.js';
import { bothMetrics, outcomeOfStatus, VendorCallMetrics, VendorCallOutcome } from './vendor-call-metrics.js';
import { decodeUtf8, networkCode, parseJson, privateAddressCause, readAtMost, retryAfterMs } from './vendor-response.js';
import { describeTarget } from './vendor-url.js';

export type { BreakerState } from './vendor-lanes.js';

export interface VendorHttpOptions {
  timeoutMs: number;
  // Retries after the first try, so 5 means up to 6 requests.
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  maxRetryAfterMs: number;
  /** Calls in flight per tenant and vendor host (per breaker key and URL host). */
  concurrencyPerVendor: number;
  breakerThreshold: number;
  halfOpenAfterMs: number;
  /** Largest answer read, counted after decompression; a larger one fails with VendorResponseTooLargeError. */
  maxResponseBytes: number;
  /** Plain http and private, loopback or link-local addresses (local fakes, tests). Off: https to public addresses only. */
  allowPrivateNetworks: boolean;
  /** A spent request budget is waited for up to this long (within the walk's deadline); a longer wait raises VendorBudgetSpentError. */
  maxBudgetWaitMs: number;
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
  maxResponseBytes: 64 * 1024 * 1024,
  allowPrivateNetworks: false,
  maxBudgetWaitMs: 2_000,
};

export interface VendorRequest {
  vendor: string;
  /**
   * The circuit and the bulkhead this call belongs to: `vendor:tenantId`, optionally `@version` (the
   * integration's `updated_at`): a new version starts with a closed circuit and drops the old one.
   */
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
  /** What is left of the caller's walk's byte budget: this answer is taken from it. */
  walkBytes?: WalkBytes;
  /** `raise`: a 429 fails at once (VendorUnavailableError with the vendor's Retry-After, else a 429 VendorHttpError); default `wait`. */
  retryAfter?: RetryAfterPolicy;
  /** The vendor's documented request budget this call is taken from (every try counts); none: concurrency alone bounds it. */
  budget?: VendorBudgetRef;
}

export interface VendorResponse<T> {
  status: number;
  headers: Headers;
  body: T;
}

interface RawResponse {
  status: number;
  headers: Headers;
  text: string;
  /** Only the start of the body was read (error bodies). */
  truncated: boolean;
}

interface Call {
  req: VendorRequest;
  method: string;
  target: string;
  /** Shutdown, the caller's signal and the walk's deadline, whichever comes first. */
  stop: AbortSignal;
  deadline?: AbortSignal;
  /** What was left of the walk's time when the call began. */
  budgetMs?: number;
}

/** A call stopped from our side, carried through the circuit as such so that it never counts against the vendor. */
class Stopped extends Error {
  constructor(readonly reason: VendorError) {
    super(reason.message);
  }
}

class StoppedTrial extends Stopped {}

class TransientFailure extends Error {
  constructor(
    readonly response: RawResponse | undefined,
    readonly retryAfterMs: number | undefined,
    readonly networkCode?: string,
  ) {
    super(response ? `status ${response.status}` : `network error${networkCode ? ` (${networkCode})` : ''}`);
  }
}

/** An error body is read only this far: the excerpt needs its start, never the rest. */
const ERROR_BODY_BYTES = 16 * 1024;

/**
 * The one HTTP client of every vendor integration: retries, a circuit per vendor and tenant, bulkheads
 * per tenant and vendor host, a byte cap, deadlines, and secrets scrubbed from whatever reaches an error.
 * Shutdown aborts the calls still running (the server's drain deadline, or the application's close).
 */
export class VendorHttp implements OnApplicationShutdown {
  readonly options: Readonly<VendorHttpOptions>;
  private readonly backoff: ExponentialBackoff<unknown>;
  private readonly lanes: VendorLanes;
  private readonly shutdown = new AbortController();
  private readonly dispatcher: Agent;
  /** The integration's own secrets, scrubbed from vendor text (see withSecrets). */
  protected readonly secrets: readonly string[] = [];

  /** `metrics` hears of every request sent (retries included) and how it ended; without `budgets`, no request budget applies. */
  constructor(
    options: Partial<VendorHttpOptions> = {},
    private readonly metrics?: VendorCallMetrics,
    private readonly budgets?: VendorBudgets,
  ) {
    this.options = { ...DEFAULT_VENDOR_HTTP_OPTIONS, ...options };
    this.dispatcher = new Agent(this.options.allowPrivateNetworks ? {} : { connect: { lookup: publicOnlyLookup } });
    this.backoff = new ExponentialBackoff({ initialDelay: this.options.baseDelayMs, maxDelay: this.options.maxDelayMs });
    this.lanes = new VendorLanes({
      concurrency: this.options.concurrencyPerVendor,
      breakerThreshold: this.options.breakerThreshold,
      halfOpenAfterMs: this.options.halfOpenAfterMs,
      // Only the vendor's own failures count: not a refused address, nor a stop from our side (caller, deadline, shutdown).
      isVendorFailure,
    });
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

  /** The same client, whose every request (retries included) `observer` also hears: a sync run counts its vendor calls so. */
  withCallObserver(observer: VendorCallMetrics): VendorHttp {
    return Object.create(this, { metrics: { value: bothMetrics(this.metrics, observer) } }) as VendorHttp;
  }

  /** Every call still running fails at once with 503 ("the service is shutting down"), and so does every later one. */
  abortAll(): void {
    this.shutdown.abort();
  }

  async onApplicationShutdown(): Promise<void> {
    this.abortAll();
    await this.dispatcher.destroy();
  }

  /** Per vendor and tenant (the breaker key without its version), the circuit's state. */
  breakerStates(): Record<string, BreakerState> {
    return this.lanes.states();
  }

  async request<T>(req: VendorRequest): Promise<VendorResponse<T>> {
    const method = (req.method ?? 'GET').toUpperCase();
    const target = describeTarget(method, req.url);
    if (!target) throw new VendorUnavailableError(req.vendor, 'the configured URL is not a valid http(s) URL');
    this.refuseUnsafeTarget(req);
    const lane = this.lanes.laneFor(req.breakerKey);
    const gate = this.lanes.gateFor(lane, new URL(req.url).host);

    const budgetMs = req.deadlineAt === undefined ? undefined : req.deadlineAt - Date.now();
    if (budgetMs !== undefined && budgetMs <= 0) throw new VendorDeadlineError(req.vendor, target, 0);
    const deadline = budgetMs === undefined ? undefined : AbortSignal.timeout(budgetMs);
    const signals = [this.shutdown.signal, req.signal, deadline].filter((s): s is AbortSignal => s !== undefined);
    const call: Call = { req, method, target, stop: AbortSignal.any(signals), deadline, budgetMs };
    let raw: RawResponse;
    try {
      raw = await this.withRetries(call, async () => {
        if (req.budget && this.budgets) await spendBudget(this.budgets, req, lane.name, this.options.maxBudgetWaitMs, call.stop, this.metrics);
        return untilStopped(gate.execute(() => lane.breaker.execute(() => this.attemptIn(lane, call)), call.stop), call.stop);
      });
    } catch (error) {
      throw this.translate(error, call, lane.name);
    }

    if (raw.status >= 300) {
      const excerpt = bodyExcerpt(raw.text, this.secretsOf(req), raw.truncated);
      if (raw.status === 401 || raw.status === 403) throw new VendorAuthError(req.vendor, raw.status, target, excerpt);
      throw new VendorHttpError(req.vendor, raw.status, target, excerpt);
    }
    return { status: raw.status, headers: raw.headers, body: parseJson<T>(raw.text, req.vendor, target) };
  }

  /**
   * Retries 429, 5xx and network errors with exponential backoff and jitter, or the vendor's
   * Retry-After (capped); a wait that would end past the walk's deadline is not started.
   */
  private async withRetries(call: Call, once: () => Promise<RawResponse>): Promise<RawResponse> {
    let backoff: IBackoff<unknown> | undefined;
    for (let retries = 0; ; retries++) {
      try {
        const response = await once();
        if (response.status === 429) throw new TransientFailure(response, retryAfterMs(response.headers));
        return response;
      } catch (error) {
        if (!(error instanceof TransientFailure) || retries >= this.options.maxAttempts || call.stop.aborted) throw error;
        if (call.req.retryAfter === 'raise' && error.response?.status === 429) {
          if (error.retryAfterMs === undefined) throw error;
          throw new VendorRateLimitedError(call.req.vendor, Math.ceil(error.retryAfterMs / 1000));
        }
        backoff = backoff ? backoff.next(undefined) : this.backoff.next();
        const hinted = error.retryAfterMs;
        const waitMs = hinted === undefined ? backoff.duration : Math.min(hinted, this.options.maxRetryAfterMs);
        if (call.req.deadlineAt !== undefined && Date.now() + waitMs > call.req.deadlineAt) {
          if (hinted === undefined) throw error;
          const seconds = Math.ceil(hinted / 1000);
          throw new VendorUnavailableError(call.req.vendor, `asked to retry after ${seconds} s, past the walk's deadline`, seconds);
        }
        const slept = performance.now();
        await sleep(waitMs, undefined, { signal: call.stop }).finally(() => this.metrics?.waited?.(call.req.vendor, performance.now() - slept));
      }
    }
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

  /** A half-open circuit's trial that we stopped told nothing good: it counts as a failure, so the circuit stays open. */
  private async attemptIn(lane: Lane, call: Call): Promise<RawResponse> {
    const trial = lane.breaker.state === CircuitState.HalfOpen;
    try {
      return await this.attempt(call);
    } catch (error) {
      throw trial && error instanceof Stopped ? new StoppedTrial(error.reason) : error;
    }
  }

  private async attempt(call: Call): Promise<RawResponse> {
    const { req, target } = call;
    const timeoutMs = req.timeoutMs ?? this.options.timeoutMs;
    const controller = new AbortController();
    let timedOut = false;
    let answered = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, timeoutMs);
    try {
      const response = await undiciFetch(req.url, {
        method: call.method,
        headers: req.headers,
        body: req.body,
        signal: AbortSignal.any([controller.signal, call.stop]),
        // Never replay credentials to wherever a redirect points.
        redirect: 'manual',
        dispatcher: this.dispatcher,
      });
      answered = true;
      this.metrics?.vendorCall(req.vendor, outcomeOfStatus(response.status));
      const failed = response.status >= 300;
      const walkLeft = req.walkBytes?.left ?? Number.POSITIVE_INFINITY;
      const limit = failed ? ERROR_BODY_BYTES : Math.min(this.options.maxResponseBytes, walkLeft);
      const tooLarge = () =>
        walkLeft < this.options.maxResponseBytes
          ? new VendorWalkTooLargeError(req.vendor, target, req.walkBytes!.limit)
          : new VendorResponseTooLargeError(req.vendor, target, limit);
      const declared = Number(response.headers.get('content-length') ?? Number.NaN);
      if (!failed && declared > limit) throw tooLarge();
      const body = await readAtMost(response.body, limit);
      if (!failed && !body.complete) throw tooLarge();
      if (!failed && req.walkBytes) req.walkBytes.left -= body.size;
      const text = decodeUtf8(body.chunks, req.vendor, target);
      const raw = { status: response.status, headers: response.headers, text, truncated: !body.complete };
      if (raw.status >= 500 && raw.status !== 501) throw new TransientFailure(raw, retryAfterMs(raw.headers));
      return raw;
    } catch (error) {
      if (error instanceof TransientFailure || error instanceof VendorDataError) throw error;
      const failure = this.failureOf(call, error, timedOut, timeoutMs);
      if (!answered) this.metrics?.vendorCall(req.vendor, unansweredOutcome(failure));
      throw failure;
    } finally {
      clearTimeout(timer);
      // Whatever was left unread (a cut body, an error's tail) is not waited for: the connection goes.
      controller.abort();
    }
  }

  /** What an attempt's failure becomes: a stop from our side, a timeout, a refused address, or a network error to retry. */
  private failureOf(call: Call, error: unknown, timedOut: boolean, timeoutMs: number): Error {
    const stopped = this.stopped(call);
    if (stopped) return new Stopped(stopped);
    if (timedOut) return new VendorTimeoutError(call.req.vendor, call.target, timeoutMs);
    const refused = privateAddressCause(error);
    if (refused) return new VendorAddressRefusedError(call.req.vendor, refused.message);
    return new TransientFailure(undefined, undefined, networkCode(error));
  }

  /** Why the call was stopped from our side (shutdown, the caller, the walk's deadline), if it was. */
  private stopped(call: Call): VendorError | undefined {
    const { req, target } = call;
    if (this.shutdown.signal.aborted) return new VendorUnavailableError(req.vendor, 'the service is shutting down');
    if (req.signal?.aborted) return stoppedBy(req);
    if (call.deadline?.aborted) return new VendorDeadlineError(req.vendor, target, call.budgetMs ?? 0);
    return undefined;
  }

  private translate(error: unknown, call: Call, lane: string): VendorError {
    const { req, target } = call;
    if (error instanceof VendorError) return error;
    if (error instanceof Stopped) return error.reason;
    const stopped = this.stopped(call);
    if (stopped) return stopped;
    if (error instanceof TransientFailure) {
      if (!error.response) return new VendorUnavailableError(req.vendor, `${error.message} on ${target}`);
      const { status, text, truncated } = error.response;
      return new VendorHttpError(req.vendor, status, target, bodyExcerpt(text, this.secretsOf(req), truncated));
    }
    if (error instanceof BrokenCircuitError) {
      return new VendorUnavailableError(
        req.vendor,
        `circuit ${lane} is open after repeated failures`,
        Math.ceil(this.options.halfOpenAfterMs / 1000),
      );
    }
    if (error instanceof BulkheadRejectedError) return new VendorUnavailableError(req.vendor, 'too many requests queued');
    return new VendorUnavailableError(req.vendor, `unexpected failure on ${target}`);
  }

  private secretsOf(req: VendorRequest): string[] {
    return [...this.secrets, ...requestSecrets(req.headers, req.body, req.url, req.secrets)];
  }
}

function unansweredOutcome(failure: Error): VendorCallOutcome {
  if (failure instanceof Stopped) return 'cancelled';
  if (failure instanceof VendorTimeoutError) return 'timeout';
  return failure instanceof VendorAddressRefusedError ? 'refused' : 'network_error';
}

function isVendorFailure(error: unknown): boolean {
  return error instanceof StoppedTrial || error instanceof TransientFailure || error instanceof VendorTimeoutError || error instanceof VendorResponseTooLargeError;
}

function stoppedBy(req: VendorRequest): VendorError {
  const reason: unknown = req.signal?.reason;
  return reason instanceof VendorError ? reason : new VendorUnavailableError(req.vendor, 'the call was stopped by its caller');
}
