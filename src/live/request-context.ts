import type { FastifyReply } from 'fastify';
import { AsyncLocalStorage } from 'node:async_hooks';

/** A live request's bookkeeping: the fills it read, the vendors served stale, whether its client is gone. */
export interface LiveRequest {
  /** Vendors whose data in this response is a cached copy served because the vendor failed. */
  staleVendors: Set<string>;
  /** Cache key → when the entry this response read was fetched (the fill served: what its ETag names). */
  fills?: Map<string, number>;
  /** Aborted when the client of this request went away before its answer was sent. */
  gone?: AbortSignal;
}

const storage = new AsyncLocalStorage<LiveRequest>();

/** Called by the live cache when it answers with a stale copy. */
export function markStale(vendor: string): void {
  storage.getStore()?.staleVendors.add(vendor);
}

/** Called by the live cache for every entry it answers with; returns `value`. */
export function noteFill<T>(key: string, fetchedAt: number, value: T): T {
  const state = storage.getStore();
  if (state) (state.fills ??= new Map()).set(key, fetchedAt);
  return value;
}

/** The fills this request has read so far and the vendors served stale; undefined outside a live request. */
export function servedFills(): { fills: ReadonlyMap<string, number>; staleVendors: ReadonlySet<string> } | undefined {
  const state = storage.getStore();
  return state ? { fills: state.fills ?? new Map(), staleVendors: state.staleVendors } : undefined;
}

/** Aborted when the client of the current request has gone away; undefined outside a request. */
export function requestGone(): AbortSignal | undefined {
  return storage.getStore()?.gone;
}

/**
 * Runs `work` outside the current request's context: a stale copy it is served is not this response's
 * (the tickets' reference lookups read other domains, whose own routes report their staleness).
 * `gone`, when given, stands for the request: the walks `work` waits on may stop when it aborts.
 */
export function outsideRequest<T>(work: () => T, gone?: AbortSignal): T {
  return gone ? storage.run({ staleVendors: new Set(), gone }, work) : storage.exit(work);
}

/** Opened by the perimeter for a route that reads live data: `work` (the whole request) runs inside it. */
export function inLiveRequest<T>(reply: FastifyReply, work: (state: LiveRequest) => Promise<T>): Promise<T> {
  const gone = new AbortController();
  // 'close' before the answer is finished: the client hung up (or the request timed out).
  reply.raw.once('close', () => {
    if (!reply.raw.writableFinished) gone.abort();
  });
  const state: LiveRequest = { staleVendors: new Set(), gone: gone.signal };
  return storage.run(state, () => work(state));
}

/** `Warning: 110 - "stale"` (RFC 7234) and `X-Stale-Vendors` when a vendor's data in this answer is a stale copy. */
export function warnIfStale(reply: FastifyReply, state: LiveRequest): void {
  if (state.staleVendors.size === 0) return;
  void reply.header('warning', `110 - "stale"`);
  void reply.header('x-stale-vendors', [...state.staleVendors].sort().join(','));
}
