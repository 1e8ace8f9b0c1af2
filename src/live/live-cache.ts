import { withTimeout } from '../common/async/with-timeout.js';
import { CACHE_MANAGER } from '@nestjs/cache-manager';
import { Inject, Injectable, Logger, OnApplicationShutdown, Optional } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import type { Cache } from 'cache-manager';
import { LRUCache } from 'lru-cache';
import { liveConfig } from '../config/live.config.js';
import { VendorError } from '../integrations/http/vendor-errors.js';
import { CrossCopyFlight } from './cross-copy-flight.js';
import { markStale, noteFill } from './request-context.js';

interface Entry<T> {
  fetchedAt: number;
  value: T;
}

/** Parsed entries kept in this process, so a cache hit costs no deserialisation (5 000 tickets ≈ 20 ms). */
const LOCAL_ENTRIES = 50_000;
/** A shared store (Redis) slower than this counts as failed: requests go on to the vendor, never hang. */
export const CACHE_TIMEOUT_MS = 1_000;


/**
 * Vendor data per key (tenant and domain): fresh for CACHE_TTL_SECONDS; concurrent misses share one
 * fetch (single flight, per process); when a fetch fails, a copy up to CACHE_STALE_SECONDS old is
 * served instead and the response says so. Two levels: parsed entries in this process (LRU), and the
 * shared store — in memory, or Redis (REDIS_URL) so app copies share what any of them fetched.
 */
@Injectable()
export class LiveCache implements OnApplicationShutdown {
  private readonly logger = new Logger(LiveCache.name);
  private readonly inFlight = new Map<string, Promise<Entry<unknown>>>();
  private readonly local: LRUCache<string, Entry<unknown>>;

  constructor(
    @Inject(CACHE_MANAGER) private readonly cache: Cache,
    @Inject(liveConfig.KEY) private readonly config: ConfigType<typeof liveConfig>,
    /** Absent where a LiveCache is built by hand (one process, no Redis): a walk is then per process. */
    @Optional() private readonly crossCopy?: CrossCopyFlight,
  ) {
    this.local = new LRUCache({ max: LOCAL_ENTRIES, ttl: config.cacheTtlMs + config.staleForMs });
  }

  /** Closes the shared store's connection (Redis), so shutdown does not wait on its reconnect loop. */
  async onApplicationShutdown(): Promise<void> {
    // A Redis client that never connected is not "open", so disconnect() alone leaves it reconnecting.
    const adapter = this.cache.stores[0]?.store as { client?: { destroy?: () => void } } | undefined;
    try {
      adapter?.client?.destroy?.();
    } catch {
      // already closed
    }
    await withTimeout(this.cache.disconnect(), CACHE_TIMEOUT_MS, 'the cache').catch(() => undefined);
  }

  async get<T>(key: string, vendor: string, fetch: () => Promise<T>): Promise<T> {
    const cached = await this.read<T>(key);
    if (cached && Date.now() - cached.fetchedAt < this.config.cacheTtlMs) return noteFill(key, cached.fetchedAt, cached.value);
    try {
      const entry = await this.fetchOnce(key, fetch);
      return noteFill(key, entry.fetchedAt, entry.value as T);
    } catch (error) {
      if (!cached || !(error instanceof VendorError)) throw error;
      this.logger.warn(`${vendor} failed (${error.message}); serving ${key} as fetched at ${new Date(cached.fetchedAt).toISOString()}`);
      markStale(vendor);
      return noteFill(key, cached.fetchedAt, cached.value);
    }
  }

  /** When the entry for `key` was fetched, if it is fresh (no fetch, no stale copy): what ETags are derived from. */
  async freshFetchedAt(key: string): Promise<number | undefined> {
    const cached = await this.read(key);
    return cached && Date.now() - cached.fetchedAt < this.config.cacheTtlMs ? cached.fetchedAt : undefined;
  }

  private fetchOnce<T>(key: string, fetch: () => Promise<T>): Promise<Entry<unknown>> {
    let flight = this.inFlight.get(key);
    if (!flight) {
      // One walk per key in this process; with Redis, one across copies (cross-copy-flight.ts).
      const walk = async () => {
        const entry: Entry<T> = { fetchedAt: Date.now(), value: await fetch() };
        await this.write(key, entry);
        return entry as Entry<unknown>;
      };
      flight = (this.crossCopy ? this.crossCopy.run<Entry<unknown>>(key, () => this.freshShared(key), walk) : walk())
        .then((entry) => {
          this.local.set(key, entry);
          return entry;
        })
        .finally(() => this.inFlight.delete(key));
      this.inFlight.set(key, flight);
    }
    return flight;
  }

  /** A fresh entry in the shared store (another copy's walk), or undefined. */
  private async freshShared(key: string): Promise<Entry<unknown> | undefined> {
    try {
      const shared = await withTimeout(this.cache.get<Entry<unknown>>(key), CACHE_TIMEOUT_MS, 'the cache');
      return shared && Date.now() - shared.fetchedAt < this.config.cacheTtlMs ? shared : undefined;
    } catch {
      return undefined;
    }
  }

  private async read<T>(key: string): Promise<Entry<T> | undefined> {
    const local = this.local.get(key) as Entry<T> | undefined;
    if (local && Date.now() - local.fetchedAt < this.config.cacheTtlMs) return local;
    try {
      const shared = (await withTimeout(this.cache.get<Entry<T>>(key), CACHE_TIMEOUT_MS, 'the cache')) ?? undefined;
      const newest = shared && (!local || shared.fetchedAt > local.fetchedAt) ? shared : local;
      if (newest) this.local.set(key, newest);
      return newest;
    } catch (error) {
      this.logger.warn(`cache read failed for ${key}: ${(error as Error).message}`);
      return local;
    }
  }

  private async write(key: string, entry: Entry<unknown>): Promise<void> {
    this.local.set(key, entry);
    try {
      await withTimeout(this.cache.set(key, entry, this.config.cacheTtlMs + this.config.staleForMs), CACHE_TIMEOUT_MS, 'the cache');
    } catch (error) {
      this.logger.warn(`cache write failed for ${key}: ${(error as Error).message}`);
    }
  }
}
