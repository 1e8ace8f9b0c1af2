import { Inject, Injectable, Logger } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { liveConfig } from '../config/live.config.js';
import { VendorError, VendorHttpError, VendorProblemType, VendorUnavailableError } from '../integrations/http/vendor-errors.js';
import { REDIS_CLIENT, SharedRedis, redisAnswers } from '../redis/redis.module.js';

/** How the walk lock is timed; tests inject shorter ones through WALK_LOCK_TIMING. */
export interface WalkLockTiming {
  /** The lock's lifetime: how long a copy that died mid-walk, or lost Redis, keeps the others waiting. */
  lockMs: number;
  /** How often a walking copy extends its lock, so a walk longer than lockMs keeps it (a renewal answered later than lockMs - renewMs loses it). */
  renewMs: number;
  /** How often a waiting copy looks for the walker's result (or failure). */
  pollMs: number;
  /** How long a copy waits on another's walk at most before walking itself. */
  maxWaitMs: number;
  /** How long a walker's failure stays readable for the copies that waited on it (they poll every pollMs). */
  failureMs: number;
}

export const WALK_LOCK_TIMING = Symbol('WALK_LOCK_TIMING');

export const DEFAULT_WALK_LOCK_TIMING: WalkLockTiming = {
  lockMs: 2_000,
  renewMs: 500,
  pollMs: 100,
  maxWaitMs: 120_000,
  failureMs: 5_000,
};

/** Takes the lock when it is free; answers whoever holds it afterwards (our token when we took it). */
const ACQUIRE = `local holder = redis.call('GET', KEYS[1])
if holder then return holder end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return ARGV[1]`;
/** Deletes the lock only if it is still ours (it may have expired and been taken by another copy). */
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end`;
/** Extends the lock only if it is still ours. */
const RENEW = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) else return 0 end`;

/** What a failed walk leaves for the copies waiting on it: enough to answer as the walker did, nothing secret. */
interface WalkFailure {
  /** The lock token of the walk that failed: only the copies that saw it hold the lock take its failure. */
  walk: string;
  vendor: string;
  httpStatus: number;
  problemType: VendorProblemType;
  message: string;
  retryAfterSeconds?: number;
}

/** The vendor failure another copy's walk ended in, answered here as it was there (a stale copy is served if there is one). */
export class WalkFailedElsewhereError extends VendorError {
  readonly httpStatus: number;
  readonly problemType: VendorProblemType;

  constructor(failure: WalkFailure) {
    super(failure.vendor, failure.message);
    this.httpStatus = failure.httpStatus;
    this.problemType = failure.problemType;
  }
}

/** An unavailable vendor stays one here too (its Retry-After is answered); any other failure as it was. */
function rebuilt(failure: WalkFailure): VendorError {
  if (failure.problemType === '/problems/vendor-unavailable') {
    return new VendorUnavailableError(failure.vendor, failure.message.replace(`${failure.vendor} is unavailable: `, ''), failure.retryAfterSeconds);
  }
  return new WalkFailedElsewhereError(failure);
}

/**
 * Single flight across app copies (REDIS_URL): for one cache key (tenant, domain, integration version)
 * one copy takes a Redis lock, renews it while it walks the vendor, and releases it; the others poll the
 * shared cache until the walker's entry appears. When the walk fails with a vendor error, the walker
 * leaves that failure for failureMs, and the copies that were waiting answer with it at once rather
 * than each walking into the same failure in turn. When the lock is gone with neither (the walker
 * died, or lost Redis and could not renew), a waiter takes it. A walker whose renewal fails stops
 * relying on the lock. Without Redis, or while its connection is down, each copy just walks at once
 * (per-process single flight still applies).
 */
@Injectable()
export class CrossCopyFlight {
  private readonly logger = new Logger('LiveCache');

  constructor(
    @Inject(REDIS_CLIENT) private readonly redis: SharedRedis,
    @Inject(liveConfig.KEY) private readonly config: ConfigType<typeof liveConfig>,
    @Inject(WALK_LOCK_TIMING) private readonly timing: WalkLockTiming,
  ) {}

  /**
   * `walk()` in one copy at a time for `key`; elsewhere `shared()` (a fresh shared-cache entry, or
   * undefined) until it answers, or the walker's failure is thrown. `stop` ends the wait (its reason is
   * thrown); a walk ended by `stop` leaves no failure for the others, who walk again.
   */
  async run<T>(key: string, shared: () => Promise<T | undefined>, walk: () => Promise<T>, stop?: AbortSignal): Promise<T> {
    const redis = this.redis;
    if (!redisAnswers(redis)) return walk();
    const lock = `${this.config.redisKeyPrefix}walk-lock:${key}`;
    const failed = `${this.config.redisKeyPrefix}walk-failed:${key}`;
    const token = randomUUID();
    const waitingSince = Date.now();
    // The walks this copy has waited on (lock holders seen): a failure of one of them is this request's answer.
    const waitedOn = new Set<string>();
    while (Date.now() - waitingSince < this.timing.maxWaitMs) {
      stop?.throwIfAborted();
      let holder: string;
      try {
        // Bounded by the client's command timeout; refused at once when the connection dropped meanwhile.
        holder = String(await redis.eval(ACQUIRE, { keys: [lock], arguments: [token, String(this.timing.lockMs)] }));
      } catch (error) {
        this.logger.warn(`walk lock unavailable for ${key} (${(error as Error).message}): walking without it`);
        return walk();
      }
      if (holder === token) return this.walkHoldingLock(redis, key, lock, failed, token, shared, walk, stop);
      waitedOn.add(holder);
      await sleep(this.timing.pollMs);
      const found = await shared();
      if (found !== undefined) return found;
      const failure = await this.failureOf(failed, waitedOn);
      if (failure) throw rebuilt(failure);
    }
    return walk();
  }

  private async walkHoldingLock<T>(
    redis: NonNullable<SharedRedis>,
    key: string,
    lock: string,
    failed: string,
    token: string,
    shared: () => Promise<T | undefined>,
    walk: () => Promise<T>,
    stop: AbortSignal | undefined,
  ): Promise<T> {
    let held = true;
    let renewal: NodeJS.Timeout | undefined;
    const lost = (why: string) => {
      held = false;
      this.logger.warn(`walk lock for ${key} lost during the walk (${why}): another copy may walk too`);
    };
    // One renewal at a time: the next is scheduled when the last one answered.
    const renewSoon = () => {
      renewal = setTimeout(() => {
        redis
          .eval(RENEW, { keys: [lock], arguments: [token, String(this.timing.lockMs)] })
          .then(
            (kept) => {
              if (!held) return;
              if (kept === 1) renewSoon();
              else lost('it expired');
            },
            (error: Error) => held && lost(error.message),
          );
      }, this.timing.renewMs);
      renewal.unref();
    };
    renewSoon();
    try {
      // Another copy may have finished between our cache read and the lock.
      return (await shared()) ?? (await walk());
    } catch (error) {
      if (error instanceof VendorError && !stop?.aborted && redisAnswers(redis)) {
        await redis.set(failed, JSON.stringify(failureOf(error, token)), { expiration: { type: 'PX', value: this.timing.failureMs } }).catch(() => undefined);
      }
      throw error;
    } finally {
      clearTimeout(renewal);
      const release = held && redisAnswers(redis);
      held = false;
      if (release) await redis.eval(RELEASE, { keys: [lock], arguments: [token] }).catch(() => undefined);
    }
  }

  /** The failure of one of the walks this copy waited on, if one failed. */
  private async failureOf(failed: string, waitedOn: ReadonlySet<string>): Promise<WalkFailure | undefined> {
    if (!redisAnswers(this.redis)) return undefined;
    try {
      const text = await this.redis.get(failed);
      const failure = text ? (JSON.parse(text) as WalkFailure) : undefined;
      return failure && waitedOn.has(failure.walk) ? failure : undefined;
    } catch {
      return undefined;
    }
  }
}

function failureOf(error: VendorError, walk: string): WalkFailure {
  return {
    walk,
    vendor: error.vendor,
    httpStatus: error.httpStatus,
    problemType: error.problemType,
    // The vendor's own words stay with the copy that heard them (they reach admins only there).
    message: error instanceof VendorHttpError ? error.withoutVendorText : error.message,
    retryAfterSeconds: (error as { retryAfterSeconds?: number }).retryAfterSeconds,
  };
}
