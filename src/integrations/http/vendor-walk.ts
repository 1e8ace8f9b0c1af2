import { createHash } from 'node:crypto';
import { RECORD_ID_PATTERN } from '../../common/validation/formats.js';
import { VendorDataError, VendorError, VendorUnavailableError, VendorWalkTimeoutError } from './vendor-errors.js';

/** The bounds of one paged walk of a vendor list (VENDOR_WALK_MAX_RECORDS, VENDOR_WALK_TIMEOUT_MS). */
export interface WalkLimits {
  /** Records one walk may receive, every page counted (duplicates too, an empty page as one), before it is refused. */
  maxRecords: number;
  /** Bytes of answers (after decompression) one walk may read, every page counted (VENDOR_WALK_MAX_MB). */
  maxBytes: number;
  /** How long one walk may take, every page, retry and wait included. */
  timeoutMs: number;
}

export const DEFAULT_WALK_LIMITS: Readonly<WalkLimits> = { maxRecords: 200_000, maxBytes: 256 * 1024 * 1024, timeoutMs: 120_000 };

/** What is left of a walk's byte budget: every answer read is taken from it (VendorHttp). */
export interface WalkBytes {
  left: number;
  readonly limit: number;
}

/** What each request of a walk carries (VendorRequest `signal`, `deadlineAt` and `walkBytes`). */
export interface WalkRequest {
  signal: AbortSignal;
  deadlineAt: number;
  walkBytes: WalkBytes;
  retryAfter: RetryAfterPolicy;
}

/** On a 429, `wait` for Retry-After and retry (a one-off call such as the admin test's ping); `raise` it at once (a sync run reschedules itself). */
export type RetryAfterPolicy = 'wait' | 'raise';

/** How a vendor's list item is told apart: its id and its last update (e.g. CW `_info.lastUpdated`). */
export interface WalkItemShape<T> {
  id(item: T): unknown;
  updated(item: T): unknown;
}

/**
 * One paged walk: checks every item before anyone maps it (an object with a usable id), keeps each id
 * once (the copy updated last, else the later page's), refuses a walk past its record budget or its
 * deadline, a next link or cursor that repeats one already followed, and stops when its caller does.
 */
export class VendorWalk<T extends object> {
  readonly deadlineAt: number;
  readonly signal: AbortSignal;
  private readonly deadline = new AbortController();
  private readonly timer: NodeJS.Timeout;
  private kept: T[] = [];
  private readonly indexById = new Map<string, number>();
  private readonly followed = new Set<string>();
  private received = 0;
  private pages = 0;
  private readonly bytes: WalkBytes;

  constructor(
    private readonly vendor: string,
    private readonly limits: Readonly<WalkLimits>,
    private readonly shape: WalkItemShape<T>,
    stop?: AbortSignal,
    private readonly retryAfter: RetryAfterPolicy = 'wait',
  ) {
    this.deadlineAt = Date.now() + limits.timeoutMs;
    this.bytes = { left: limits.maxBytes, limit: limits.maxBytes };
    this.timer = setTimeout(() => this.deadline.abort(new VendorWalkTimeoutError(vendor, limits.timeoutMs)), limits.timeoutMs);
    this.signal = stop ? AbortSignal.any([this.deadline.signal, stop]) : this.deadline.signal;
  }

  get request(): WalkRequest {
    return { signal: this.signal, deadlineAt: this.deadlineAt, walkBytes: this.bytes, retryAfter: this.retryAfter };
  }

  /** Throws the walk's stop (deadline, or its caller gone) if it came; called before each page. */
  checkStopped(): void {
    if (!this.signal.aborted) return;
    const reason: unknown = this.signal.reason;
    throw reason instanceof VendorError ? reason : new VendorUnavailableError(this.vendor, 'the walk was stopped by its caller');
  }

  /** Takes one page's items (`target` names the request, e.g. `GET /web/api/v2.1/threats`). */
  add(rows: readonly unknown[], target: string): void {
    const page = this.count(rows, target);
    for (let index = 0; index < rows.length; index++) {
      const item = this.checked(rows[index], index, page, target);
      const id = String(this.shape.id(item));
      const at = this.indexById.get(id);
      if (at === undefined) {
        this.indexById.set(id, this.kept.length);
        this.kept.push(item);
      } else if (updatedMs(this.shape.updated(item)) >= updatedMs(this.shape.updated(this.kept[at]))) {
        this.kept[at] = item;
      }
    }
  }

  /** Checks and counts one page's items as `add` does, but hands them back: a stream's run keeps no run-long list. */
  take(rows: readonly unknown[], target: string): T[] {
    const page = this.count(rows, target);
    return rows.map((row, index) => this.checked(row, index, page, target));
  }

  /** Each id of a page once, where it first stood: the copy updated last, else the later one (as `add` keeps them over a walk). */
  onceEach(rows: readonly T[]): T[] {
    const kept: T[] = [];
    const indexById = new Map<string, number>();
    for (const item of rows) {
      const id = String(this.shape.id(item));
      const at = indexById.get(id);
      if (at === undefined) {
        indexById.set(id, kept.length);
        kept.push(item);
      } else if (updatedMs(this.shape.updated(item)) >= updatedMs(this.shape.updated(kept[at]))) {
        kept[at] = item;
      }
    }
    return kept;
  }

  private count(rows: readonly unknown[], target: string): number {
    const page = ++this.pages;
    // An empty page counts as one record, so a vendor paging emptiness for ever meets the budget too.
    const counted = Math.max(1, rows.length);
    if (this.received + counted > this.limits.maxRecords) {
      this.kept = [];
      throw new VendorDataError(
        this.vendor,
        undefined,
        `the walk of ${target}`,
        `passed VENDOR_WALK_MAX_RECORDS (${this.limits.maxRecords} records) at page ${page}`,
      );
    }
    this.received += counted;
    return page;
  }

  /** Refuses a next link or cursor (`field`) that this walk has already followed or been given. */
  follow(field: string, next: string): void {
    // A digest, not the link: a walk may follow many long links (Defender's carry their $filter).
    const seen = createHash('sha256').update(next).digest('base64');
    if (this.followed.has(seen)) {
      this.kept = [];
      throw new VendorDataError(this.vendor, undefined, field, `repeats one already followed (page ${this.pages})`);
    }
    this.followed.add(seen);
  }

  /** The records, each id once. */
  records(): T[] {
    return this.kept;
  }

  end(): void {
    clearTimeout(this.timer);
  }

  private checked(item: unknown, index: number, page: number, target: string): T {
    const where = `item ${index} on page ${page} of ${target}`;
    if (item === null || typeof item !== 'object' || Array.isArray(item)) {
      this.kept = [];
      const what = item === null ? 'null' : Array.isArray(item) ? 'an array' : `a ${typeof item}`;
      throw new VendorDataError(this.vendor, undefined, where, `is ${what}, not an object`);
    }
    if (!usableId(this.shape.id(item as T))) {
      this.kept = [];
      throw new VendorDataError(this.vendor, undefined, where, 'has no usable id');
    }
    return item as T;
  }
}

/** Runs `walk` over a fresh VendorWalk and answers its records; the walk's timer is released either way. */
export async function walkAll<T extends object>(
  vendor: string,
  limits: Readonly<WalkLimits>,
  shape: WalkItemShape<T>,
  stop: AbortSignal | undefined,
  body: (walk: VendorWalk<T>) => Promise<void>,
): Promise<T[]> {
  const walk = new VendorWalk<T>(vendor, limits, shape, stop);
  try {
    await body(walk);
    walk.checkStopped();
    return walk.records();
  } catch (error) {
    // A page cut by the deadline or the caller fails as that stop, not as whatever the cut caused.
    if (walk.signal.aborted && !(error instanceof VendorError)) walk.checkStopped();
    throw error;
  } finally {
    walk.end();
  }
}

/** How errors name a walk's request: `GET /path`, never the query (it may carry a credential). */
export function walkTarget(url: string): string {
  try {
    return `GET ${new URL(url).pathname}`;
  } catch {
    return 'GET (not a valid URL)';
  }
}

function usableId(id: unknown): boolean {
  if (typeof id === 'number') return Number.isSafeInteger(id) && id >= 0;
  return typeof id === 'string' && RECORD_ID_PATTERN.test(id);
}

function updatedMs(value: unknown): number {
  const ms = typeof value === 'string' ? Date.parse(value) : Number.NaN;
  return Number.isNaN(ms) ? Number.NEGATIVE_INFINITY : ms;
}

/**
 * Runs `body`'s pages over one VendorWalk (one record and byte budget, one deadline, repeated cursors
 * refused) and hands each page on as it comes; the walk's timer is released however the caller leaves.
 * A stream run's walk: a 429 is raised at once with its Retry-After (the run is rescheduled after it).
 */
export async function* walkPages<T extends object, P>(
  vendor: string,
  limits: Readonly<WalkLimits>,
  shape: WalkItemShape<T>,
  stop: AbortSignal | undefined,
  body: (walk: VendorWalk<T>) => AsyncIterable<P>,
): AsyncGenerator<P> {
  const walk = new VendorWalk<T>(vendor, limits, shape, stop, 'raise');
  try {
    for await (const page of body(walk)) {
      walk.checkStopped();
      yield page;
    }
    walk.checkStopped();
  } catch (error) {
    if (walk.signal.aborted && !(error instanceof VendorError)) walk.checkStopped();
    throw error;
  } finally {
    walk.end();
  }
}
