import { StoreUnavailableError } from './platform.errors.js';

interface Entry<V> {
  value: V;
  freshUntil: number;
  staleUntil: number;
}

export interface ReadCacheOptions {
  /** How long a read is reused, counted from when it started (so a copy is never older than this). 0: never. */
  ttlMs: number;
  /** How long past `ttlMs` the last read may still be served while the database is unavailable. 0: never. */
  staleOnUnavailableMs?: number;
  /** Entries kept at most (oldest dropped first). */
  max?: number;
}

/**
 * A read-through cache in front of the platform store: concurrent misses share one read, a change
 * made by this copy invalidates at once (a read that started before the change is not kept), and
 * other copies see a change once `ttlMs` has passed.
 */
export class ReadCache<V> {
  private readonly entries = new Map<string, Entry<V>>();
  private readonly pending = new Map<string, Promise<V>>();
  private generation = 0;

  constructor(private readonly options: ReadCacheOptions) {}

  get(key: string, load: () => Promise<V>): Promise<V> {
    if (this.options.ttlMs <= 0) return load();
    const now = Date.now();
    const hit = this.entries.get(key);
    if (hit && hit.freshUntil > now) return Promise.resolve(hit.value);
    const inflight = this.pending.get(key);
    if (inflight) return inflight;
    const generation = this.generation;
    const promise = load().then(
      (value) => {
        if (this.generation === generation) this.store(key, value, now);
        return value;
      },
      (error: unknown) => {
        const last = this.entries.get(key);
        if (error instanceof StoreUnavailableError && last && last.staleUntil > Date.now() && this.generation === generation) return last.value;
        throw error;
      },
    );
    const tracked = promise.finally(() => {
      if (this.pending.get(key) === tracked) this.pending.delete(key);
    });
    this.pending.set(key, tracked);
    return tracked;
  }

  /** Drops one key (or everything); reads already under way are not cached. */
  invalidate(key?: string): void {
    this.generation += 1;
    if (key === undefined) {
      this.entries.clear();
      this.pending.clear();
    } else {
      this.entries.delete(key);
      this.pending.delete(key);
    }
  }

  private store(key: string, value: V, startedAt: number): void {
    this.entries.delete(key);
    const freshUntil = startedAt + this.options.ttlMs;
    this.entries.set(key, { value, freshUntil, staleUntil: freshUntil + (this.options.staleOnUnavailableMs ?? 0) });
    const max = this.options.max ?? 10_000;
    if (this.entries.size > max) this.entries.delete(this.entries.keys().next().value as string);
  }
}
