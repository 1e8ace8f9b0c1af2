import { CACHE_MANAGER } from '@nestjs/cache-manager';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import type { Cache } from 'cache-manager';
import { LRUCache } from 'lru-cache';
import { indexBytes } from '../common/record-index/index-cache.js';
import { liveConfig } from '../config/live.config.js';
import { VendorError, VendorUnavailableError } from '../integrations/http/vendor-errors.js';
import { REDIS_CLIENT, SharedRedis } from '../redis/redis.module.js';
import { CrossCopyFlight } from './cross-copy-flight.js';
import { estimateBytes } from './entry-bytes.js';
import { markStale, noteFill, requestGone } from './request-context.js';

interface Entry<T> {
  fetchedAt: number;
  value: T;
}

/** A walk in progress and who waits on it: it is abandoned when every reader that can leave has left. */
interface Flight {
  entry: Promise<Entry<unknown>>;
  stop: AbortController;
  /** Readers waiting that may go away (a request whose client hangs up). */
  leavable: number;
  /** A reader that never leaves (no request behind it: a CLI, a background fill) joined. */
  held: boolean;
}

/** Why a walk stopped: nobody is left to answer (nothing is reported, the next reader walks again). */
export class WalkAbandonedError extends VendorUnavailableError {
  constructor(vendor: string) {
    super(vendor, 'the walk was abandoned: every client waiting on it went away');
  }
}

/** What a live source's fill is given: aborted (with a VendorError reason) when the walk must stop. */
export type Fill<T> = (stop: AbortSignal) => Promise<T>;

/** A shared store (Redis) slower than this counts as failed: requests go on to the vendor, never hang. */
export const CACHE_TIMEOUT_MS = 1_000;

/** What an entry costs besides its value: the key, the entry object and the LRU's bookkeeping. */
const ENTRY_OVERHEAD_BYTES = 256;

/**
 * Vendor data per key (tenant and domain): fresh for CACHE_TTL_SECONDS; concurrent misses share one
 * fetch (single flight, per process); when a fetch fails, a copy up to CACHE_STALE_SECONDS old is
 * served instead and the response says so. Parsed entries are kept in this process (LRU), within
 * SNAPSHOT_CACHE_MAX_MB: an entry counts its records and what its record index has built (indexes, JSON)
 * (re-measured after each use, as they grow lazily); the least recently used go first, and are
 * fetched again when next asked for. With REDIS_URL, a shared store behind it lets app copies share
 * what any of them fetched (and still holds, as JSON, what this process evicted). Without Redis
 * there is no second level: an in-memory store in the same process could only hold what the LRU
 * let go, a second (JSON) copy of exactly the memory the budget bounds.
 */
@Injectable()
export class LiveCache {
  private readonly logger = new Logger(LiveCache.name);
  private readonly inFlight = new Map<string, Flight>();
  private readonly local: LRUCache<string, Entry<unknown>>;
  /** Bytes of each entry's value (an object: record lists, pairs), estimated once when it arrives. */
  private readonly valueBytes = new WeakMap<object, number>();
  /** Keys returned since the last re-measure: their indexes may have grown since. */
  private readonly touched = new Set<string>();
  private remeasureScheduled = false;
  private readonly hasSharedStore: boolean;

  constructor(
    @Inject(CACHE_MANAGER) private readonly cache: Cache,
    @Inject(liveConfig.KEY) private readonly config: ConfigType<typeof liveConfig>,
    /** Absent where a LiveCache is built by hand (one process, no Redis): a walk is then per process. */
    private readonly crossCopy?: CrossCopyFlight,
    /** The connection behind the shared store: while it is down, the store is not asked at all. */
    @Inject(REDIS_CLIENT) private readonly redis?: SharedRedis,
  ) {
    this.hasSharedStore = Boolean(config.redisUrl);
    this.local = new LRUCache({
      maxSize: config.localMaxBytes,
      ttl: config.cacheTtlMs + config.staleForMs,
      sizeCalculation: (entry, key) => this.bytesOf(key, entry),
      dispose: (entry, key, reason) => {
        if (reason === 'evict') this.logger.debug(`evicted ${key} (least recently used) to stay within SNAPSHOT_CACHE_MAX_MB`);
      },
    });
  }

  /** What the cache in this process holds, as estimated, against its budget. */
  usage(): { entries: number; bytes: number; maxBytes: number } {
    return { entries: this.local.size, bytes: this.local.calculatedSize, maxBytes: this.config.localMaxBytes };
  }

  /** An entry's estimated bytes: its value (estimated once) and the index built over it so far. */
  private bytesOf(key: string, entry: Entry<unknown>): number {
    const held = entry.value;
    let value = typeof held === 'object' && held !== null ? this.valueBytes.get(held) : undefined;
    if (value === undefined) {
      value = estimateBytes(held);
      if (typeof held === 'object' && held !== null) this.valueBytes.set(held, value);
    }
    const index = Array.isArray(entry.value) ? indexBytes(entry.value) : 0;
    return Math.ceil(ENTRY_OVERHEAD_BYTES + 2 * key.length + value + index);
  }

  /**
   * Marks `key` as just used: once the current requests have run their queries (the next turn of the
   * event loop), its size is measured again, so indexes built since count against the budget.
   */
  private touch(key: string): void {
    this.touched.add(key);
    if (this.remeasureScheduled) return;
    this.remeasureScheduled = true;
    setImmediate(() => this.remeasure());
  }

  private remeasure(): void {
    this.remeasureScheduled = false;
    for (const key of this.touched) {
      const entry = this.local.peek(key);
      const before = this.local.info(key)?.size;
      if (!entry || before === undefined) continue;
      const size = this.bytesOf(key, entry);
      // A copy of the entry, as the LRU keeps the size of a value set again unchanged; it evicts
      // others if this one grew, and keeps its TTL.
      if (size !== before) this.local.set(key, { ...entry }, { size, noUpdateTTL: true });
    }
    this.touched.clear();
  }

  /** Whether to ask the shared store: there is one, and its connection is not known to be down. */
  private get sharedUp(): boolean {
    return this.hasSharedStore && (this.redis ? this.redis.isReady : true);
  }

  /**
   * The entry for `key`, fetched by `fetch` when missing or old. `reader` aborts when whoever waits
   * has gone (by default the current request's client): a walk nobody waits on any more is stopped.
   */
  async get<T>(key: string, vendor: string, fetch: Fill<T>, reader: AbortSignal | undefined = requestGone()): Promise<T> {
    const cached = await this.read<T>(key);
    if (cached && Date.now() - cached.fetchedAt < this.config.cacheTtlMs) {
      this.touch(key);
      return noteFill(key, cached.fetchedAt, cached.value);
    }
    try {
      const entry = await this.fetchOnce(key, vendor, fetch, reader);
      this.touch(key);
      return noteFill(key, entry.fetchedAt, entry.value as T);
    } catch (error) {
      if (!cached || !(error instanceof VendorError)) throw error;
      this.logger.warn(`${vendor} failed (${error.message}); serving ${key} as fetched at ${new Date(cached.fetchedAt).toISOString()}`);
      markStale(vendor);
      this.touch(key);
      return noteFill(key, cached.fetchedAt, cached.value);
    }
  }

  /** When the entry for `key` was fetched, if it is fresh (no fetch, no stale copy): what ETags are derived from. */
  async freshFetchedAt(key: string): Promise<number | undefined> {
    const cached = await this.read(key);
    return cached && Date.now() - cached.fetchedAt < this.config.cacheTtlMs ? cached.fetchedAt : undefined;
  }

  private fetchOnce<T>(key: string, vendor: string, fetch: Fill<T>, reader: AbortSignal | undefined): Promise<Entry<unknown>> {
    let flight = this.inFlight.get(key);
    if (!flight) {
      const stop = new AbortController();
      // One walk per key in this process; with Redis, one across copies (cross-copy-flight.ts).
      const walk = async () => {
        const entry: Entry<T> = { fetchedAt: Date.now(), value: await fetch(stop.signal) };
        await this.write(key, entry);
        return entry as Entry<unknown>;
      };
      const entry = (this.crossCopy ? this.crossCopy.run<Entry<unknown>>(key, () => this.freshShared(key), walk, stop.signal) : walk())
        .then((entry) => {
          this.local.set(key, entry);
          if (!this.local.has(key)) this.logger.warn(`${key} alone is larger than SNAPSHOT_CACHE_MAX_MB: served, not kept (each request fetches it)`);
          return entry;
        })
        .finally(() => {
          if (this.inFlight.get(key) === created) this.inFlight.delete(key);
        });
      const created: Flight = { entry, stop, leavable: 0, held: false };
      flight = created;
      this.inFlight.set(key, flight);
    }
    this.join(key, vendor, flight, reader);
    return flight.entry;
  }

  /** Counts `reader` among the flight's; when the last that can leave has left (and none stays), the walk stops. */
  private join(key: string, vendor: string, flight: Flight, reader: AbortSignal | undefined): void {
    if (!reader) {
      flight.held = true;
      return;
    }
    const leave = () => {
      if (--flight.leavable > 0 || flight.held || flight.stop.signal.aborted) return;
      // Whoever asks next starts a fresh walk rather than joining the one being stopped.
      if (this.inFlight.get(key) === flight) this.inFlight.delete(key);
      this.logger.debug(`walk for ${key} abandoned: every client waiting on it went away`);
      flight.stop.abort(new WalkAbandonedError(vendor));
    };
    flight.leavable++;
    if (reader.aborted) return leave();
    reader.addEventListener('abort', leave, { once: true });
    void flight.entry.catch(() => undefined).finally(() => reader.removeEventListener('abort', leave));
  }

  /** A fresh entry in the shared store (another copy's walk), or undefined. */
  private async freshShared(key: string): Promise<Entry<unknown> | undefined> {
    if (!this.sharedUp) return undefined;
    try {
      const shared = await this.cache.get<Entry<unknown>>(key);
      return shared && Date.now() - shared.fetchedAt < this.config.cacheTtlMs ? shared : undefined;
    } catch {
      return undefined;
    }
  }

  private async read<T>(key: string): Promise<Entry<T> | undefined> {
    const local = this.local.get(key) as Entry<T> | undefined;
    if (!this.sharedUp || (local && Date.now() - local.fetchedAt < this.config.cacheTtlMs)) return local;
    try {
      const shared = (await this.cache.get<Entry<T>>(key)) ?? undefined;
      if (shared && (!local || shared.fetchedAt > local.fetchedAt)) {
        this.local.set(key, shared);
        return shared;
      }
      return local;
    } catch (error) {
      this.logger.warn(`cache read failed for ${key}: ${(error as Error).message}`);
      return local;
    }
  }

  private async write(key: string, entry: Entry<unknown>): Promise<void> {
    if (!this.sharedUp) return;
    try {
      await this.cache.set(key, entry, this.config.cacheTtlMs + this.config.staleForMs);
    } catch (error) {
      this.logger.warn(`cache write failed for ${key}: ${(error as Error).message}`);
    }
  }
}
