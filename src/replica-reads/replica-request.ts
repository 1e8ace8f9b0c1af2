import type { FastifyReply } from 'fastify';
import { AsyncLocalStorage } from 'node:async_hooks';

/** A live request's bookkeeping: the replica streams it read (what its headers and ETag name). */
export interface LiveRequest {
  /** Replica streams this response read, by stream name. */
  replica?: Map<string, ReplicaRead>;
  /** What `oncePerRequest` answered in this request, by key. */
  once?: Map<string, Promise<unknown>>;
}

/** One replica stream as a response read it: what its headers and ETag say. */
export interface ReplicaRead {
  vendor: string;
  lastSuccessAt: string;
  dataVersion: number;
  /** Last success older than 3 × SYNC_INTERVAL_SECONDS, or the last run failed. */
  stale: boolean;
}

const storage = new AsyncLocalStorage<LiveRequest>();

/** Called by the replica reads for every stream a response reads. */
export function noteReplicaRead(stream: string, read: ReplicaRead): void {
  const state = storage.getStore();
  if (state) (state.replica ??= new Map()).set(stream, read);
}

/** `work()`'s answer, asked once per live request (every later call with `key` gets the same promise); outside one, `work()` each time. */
export function oncePerRequest<T>(key: string, work: () => Promise<T>): Promise<T> {
  const state = storage.getStore();
  if (!state) return work();
  const once = (state.once ??= new Map());
  let answer = once.get(key) as Promise<T> | undefined;
  if (!answer) once.set(key, (answer = work()));
  return answer;
}

/** The replica streams this request has read so far; undefined outside a live request. */
export function replicaReads(): ReadonlyMap<string, ReplicaRead> | undefined {
  const state = storage.getStore();
  return state ? (state.replica ?? new Map()) : undefined;
}

/** Opened by the perimeter for a route that reads live data: `work` (the whole request) runs inside it. */
export function inLiveRequest<T>(work: (state: LiveRequest) => Promise<T>): Promise<T> {
  const state: LiveRequest = {};
  return storage.run(state, () => work(state));
}

/** `X-Data-As-Of` (the oldest last success read) and, per stale vendor, `Warning: 110` naming its last sync and `X-Stale-Vendors`. */
export function warnIfStale(reply: FastifyReply, state: LiveRequest): void {
  if (!state.replica || state.replica.size === 0) return;
  const all = [...state.replica.values()];
  void reply.header('x-data-as-of', all.map((r) => r.lastSuccessAt).sort()[0]);
  const stale = new Map<string, string>();
  for (const read of all.filter((r) => r.stale)) {
    const known = stale.get(read.vendor);
    if (known === undefined || read.lastSuccessAt < known) stale.set(read.vendor, read.lastSuccessAt);
  }
  if (stale.size === 0) return;
  const vendors = [...stale.keys()].sort();
  void reply.header('warning', vendors.map((vendor) => `110 - "stale: ${vendor} last synced ${stale.get(vendor)}"`).join(', '));
  void reply.header('x-stale-vendors', vendors.join(','));
}
