import { Logger } from '@nestjs/common';
import { createHash } from 'node:crypto';
import pg from 'pg';
import { setTimeout as sleep } from 'node:timers/promises';
import { RateLimiterAbstract, RateLimiterMemory, RateLimiterPostgres, RateLimiterRes, RateLimiterUnion } from 'rate-limiter-flexible';
import type { VendorCallMetrics } from './vendor-call-metrics.js';
import { VendorBudgetSpentError } from './vendor-errors.js';

/** The vendors' documented request limits: one budget per API, counted per credential. */
export type VendorBudgetName = 'smileback' | 'defender-endpoint' | 'defender-graph';

/** At most `requests` in `seconds` (a fixed window from the window's first request). */
export interface BudgetWindow {
  requests: number;
  seconds: number;
}

export type VendorBudgetLimits = Readonly<Partial<Record<VendorBudgetName, readonly BudgetWindow[]>>>;

/**
 * The documented limits (docs/live-replica.md#vendor-request-budgets): SmileBack API v3 "30 requests/minute
 * per customer"; Defender for Endpoint "100 calls per minute and 1500 calls per hour"; Graph security
 * `alerts_v2` "150 requests per minute per app per tenant". ConnectWise and SentinelOne publish none:
 * VENDOR_CONCURRENCY alone bounds them.
 */
export const VENDOR_BUDGETS: VendorBudgetLimits = {
  smileback: [{ requests: 30, seconds: 60 }],
  'defender-endpoint': [
    { requests: 100, seconds: 60 },
    { requests: 1_500, seconds: 3_600 },
  ],
  'defender-graph': [{ requests: 150, seconds: 60 }],
};

/** The injection token of the budget table (tests bind small ones). */
export const VENDOR_BUDGET_LIMITS = Symbol('VENDOR_BUDGET_LIMITS');

/** Which budget a request is taken from, and whose: `key` defaults to the integration (the breaker key without its version). */
export interface VendorBudgetRef {
  name: VendorBudgetName;
  key?: string;
}

/** A request may go (`waitMs` 0), or the window named by `spent` ends in `waitMs`. */
export interface BudgetAnswer {
  waitMs: number;
  spent?: BudgetWindow;
}

/** The table shared by every app copy on one PostgreSQL (created by rate-limiter-flexible, IF NOT EXISTS). */
export const VENDOR_BUDGET_TABLE = 'vendor_budgets';

const logger = new Logger('VendorBudgets');

interface Budget {
  union: RateLimiterUnion;
  windows: ReadonlyMap<string, BudgetWindow>;
  limiters: ReadonlyMap<string, RateLimiterAbstract>;
}

/**
 * Request budgets per vendor credential (rate-limiter-flexible): in PostgreSQL when the platform is,
 * so every app copy takes from one budget, else in this process. A store that fails falls back to
 * this process's own count (the library's insurance limiter) rather than stopping vendor calls.
 */
export class VendorBudgets {
  private constructor(
    private readonly budgets: ReadonlyMap<VendorBudgetName, Budget>,
    private readonly pool?: pg.Pool,
  ) {}

  static inMemory(limits: VendorBudgetLimits = VENDOR_BUDGETS): VendorBudgets {
    return new VendorBudgets(build(limits, (window, keyPrefix) => memoryLimiter(window, keyPrefix)));
  }

  /** Budgets in `url`'s database; the table is created at once (IF NOT EXISTS), so the first request finds it. */
  static async onPostgres(url: string, timeouts: { connectTimeoutMs: number; queryTimeoutMs: number }, limits: VendorBudgetLimits = VENDOR_BUDGETS): Promise<VendorBudgets> {
    const pool = new pg.Pool({
      connectionString: url,
      max: 4,
      connectionTimeoutMillis: timeouts.connectTimeoutMs,
      query_timeout: timeouts.queryTimeoutMs,
      statement_timeout: timeouts.queryTimeoutMs,
      idleTimeoutMillis: 30_000,
    });
    // An idle client's reset connection emits 'error'; unheard, that event ends the process.
    pool.on('error', (error) => logger.warn(`PostgreSQL connection of the vendor budgets lost: ${error.message}`));
    const options = (window: BudgetWindow, keyPrefix: string, tableCreated: boolean) => ({
      storeClient: pool,
      storeType: 'pool',
      tableName: VENDOR_BUDGET_TABLE,
      tableCreated,
      keyPrefix,
      points: window.requests,
      duration: window.seconds,
      insuranceLimiter: memoryLimiter(window, keyPrefix),
    });
    // One limiter runs the library's own CREATE TABLE IF NOT EXISTS before the others use the table.
    const create = () => new Promise<void>((resolve, reject) => new RateLimiterPostgres(options({ requests: 1, seconds: 1 }, 'created', false), (e) => (e ? reject(e) : resolve())));
    try {
      await create().catch((error: unknown) => {
        // Copies booting together race on IF NOT EXISTS (PostgreSQL raises 23505, 42P07 or 42710): the winner committed, so once more finds it.
        if (!isCreateRace(error)) throw error;
        return create();
      });
    } catch (error) {
      await pool.end();
      throw error;
    }
    return new VendorBudgets(
      build(limits, (window, keyPrefix) => new RateLimiterPostgres(options(window, keyPrefix, true))),
      pool,
    );
  }

  /** Takes one request from `name`'s budget for `key`: at once, or how long until its spent window ends. */
  async take(name: VendorBudgetName, key: string): Promise<BudgetAnswer> {
    const budget = this.budgets.get(name);
    if (!budget) return { waitMs: 0 };
    const stored = storeKey(key);
    try {
      await budget.union.consume(stored);
      return { waitMs: 0 };
    } catch (rejected) {
      const spent = rejected as Record<string, unknown>;
      // The union took the request from every window: the windows that had room get it back, nothing was sent.
      await Promise.all([...budget.limiters].filter(([prefix]) => !(prefix in spent)).map(([, limiter]) => limiter.reward(stored).catch(() => undefined)));
      let answer: BudgetAnswer = { waitMs: 0 };
      for (const [prefix, res] of Object.entries(spent)) {
        if (!(res instanceof RateLimiterRes)) {
          // A store error the insurance limiter could not answer: the vendor's own 429 still guards.
          logger.warn(`budget ${prefix} could not be read: ${res instanceof Error ? res.message : String(res)}`);
          continue;
        }
        if (res.msBeforeNext > answer.waitMs) answer = { waitMs: Math.max(1, res.msBeforeNext), spent: budget.windows.get(prefix) };
      }
      return answer;
    }
  }

  /** `30 requests per 60 s`: the windows of a budget, as error messages name them. */
  describe(name: VendorBudgetName): string {
    return [...(this.budgets.get(name)?.windows.values() ?? [])].map(describeWindow).join(' and ');
  }

  async close(): Promise<void> {
    await this.pool?.end();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.close();
  }
}

/**
 * Takes one request from the credential's budget (the integration's, unless the request names a key): a
 * short wait (≤ `maxWaitMs`, within the walk's deadline) is waited out, a longer one raises
 * VendorBudgetSpentError with the wait as its Retry-After (a sync run is rescheduled after it).
 */
export async function spendBudget(
  budgets: VendorBudgets,
  req: { vendor: string; budget?: VendorBudgetRef; deadlineAt?: number },
  integration: string,
  maxWaitMs: number,
  stop: AbortSignal,
  metrics?: VendorCallMetrics,
): Promise<void> {
  const ref = req.budget;
  if (!ref) return;
  for (;;) {
    const { waitMs, spent } = await budgets.take(ref.name, ref.key ?? integration);
    if (waitMs === 0) return;
    if (waitMs > maxWaitMs || (req.deadlineAt !== undefined && Date.now() + waitMs >= req.deadlineAt)) {
      metrics?.vendorBudgetWait?.(req.vendor, waitMs, 'deferred');
      throw new VendorBudgetSpentError(req.vendor, spent ? describeWindow(spent) : budgets.describe(ref.name), Math.ceil(waitMs / 1000));
    }
    metrics?.vendorBudgetWait?.(req.vendor, waitMs, 'waited');
    await sleep(waitMs, undefined, { signal: stop });
  }
}

export function describeWindow(window: BudgetWindow): string {
  return `${window.requests} requests per ${window.seconds} s`;
}

function build(limits: VendorBudgetLimits, limiter: (window: BudgetWindow, keyPrefix: string) => RateLimiterAbstract): Map<VendorBudgetName, Budget> {
  const budgets = new Map<VendorBudgetName, Budget>();
  for (const [name, windows] of Object.entries(limits) as [VendorBudgetName, readonly BudgetWindow[]][]) {
    if (!windows?.length) continue;
    const byPrefix = new Map(windows.map((w, i) => [`${name}.${i}.${w.seconds}s`, w]));
    const limiters = new Map([...byPrefix].map(([prefix, window]) => [prefix, limiter(window, prefix)]));
    budgets.set(name, { union: new RateLimiterUnion(...limiters.values()), windows: byPrefix, limiters });
  }
  return budgets;
}

function memoryLimiter(window: BudgetWindow, keyPrefix: string): RateLimiterMemory {
  return new RateLimiterMemory({ keyPrefix, points: window.requests, duration: window.seconds });
}

function isCreateRace(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === '23505' || code === '42P07' || code === '42710';
}

// The store's key column holds 255 characters: a long credential key goes in as its digest.
function storeKey(key: string): string {
  return key.length <= 160 ? key : createHash('sha256').update(key).digest('base64url');
}
