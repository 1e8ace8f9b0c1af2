import { CACHE_MANAGER } from '@nestjs/cache-manager';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import type { Cache } from 'cache-manager';
import { LRUCache } from 'lru-cache';
import { liveConfig } from '../config/live.config.js';
import { VendorError } from '../integrations/http/vendor-errors.js';
import { markStale } from './request-context.js';

interface Entry<T> {
  fetchedAt: number;
  value: T;
}

/** Parsed entries kept in this process, so a cache hit costs no deserialisation (5 000 tickets ≈ 20 ms). */
const LOCAL_ENTRIES = 50_000;

/**
 * Vendor data per key (tenant and domain): fresh for CACHE_TTL_SECONDS; concurrent misses share one
 * fetch (single flight, per process); when a fetch fails, a copy up to CACHE_STALE_SECONDS old is
 * served instead and the response says so. Two levels: parsed entries in this process (LRU), and the
 * shared store — in memory, or Redis (REDIS_URL) so app copies share what any of them fetched.
 */
@Injectable()
export class LiveCache {
  private readonly logger = new Logger(LiveCache.name);
  private readonly inFlight = new Map<string, Promise<Entry<unknown>>>();
  private readonly local: LRUCache<string, Entry<unknown>>;

  constructor(
    @Inject(CACHE_MANAGER) private readonly cache: Cache,
    @Inject(liveConfig.KEY) private readonly config: ConfigType<typeof liveConfig>,
  ) {
    this.local = new LRUCache({ max: LOCAL_ENTRIES, ttl: config.cacheTtlMs + config.staleForMs });
  }

  async get<T>(key: string, vendor: string, fetch: () => Promise<T>): Promise<T> {
    const cached = await this.read<T>(key);
    if (cached && Date.now() - cached.fetchedAt < this.config.cacheTtlMs) return cached.value;
    try {
      return (await this.fetchOnce(key, fetch)).value as T;
    } catch (error) {
      if (!cached || !(error instanceof VendorError)) throw error;
      this.logger.warn(`${vendor} failed (${error.message}); serving ${key} as fetched at ${new Date(cached.fetchedAt).toISOString()}`);
      markStale(vendor);
      return cached.value;
    }
  }

  private fetchOnce<T>(key: string, fetch: () => Promise<T>): Promise<Entry<unknown>> {
    let flight = this.inFlight.get(key);
    if (!flight) {
      flight = (async () => {
        const entry: Entry<T> = { fetchedAt: Date.now(), value: await fetch() };
        await this.write(key, entry);
        return entry;
      })().finally(() => this.inFlight.delete(key));
      this.inFlight.set(key, flight);
    }
    return flight;
  }

  private async read<T>(key: string): Promise<Entry<T> | undefined> {
    const local = this.local.get(key) as Entry<T> | undefined;
    if (local && Date.now() - local.fetchedAt < this.config.cacheTtlMs) return local;
    try {
      const shared = (await this.cache.get<Entry<T>>(key)) ?? undefined;
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
      await this.cache.set(key, entry, this.config.cacheTtlMs + this.config.staleForMs);
    } catch (error) {
      this.logger.warn(`cache write failed for ${key}: ${(error as Error).message}`);
    }
  }
}
