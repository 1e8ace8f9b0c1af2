import type { StreamKey } from './replica.types.js';
import type { StreamFetcher, StreamName } from './stream.js';
import type { VendorMeter } from './sync-runs.repository.js';

/** Where the engine gets its streams and their fetchers: the per-vendor fetchers plug in here. */
export interface StreamFetchers {
  /** Every tenant×stream to keep in sync now: configured integrations, domains not mocked. */
  streams(): Promise<StreamKey[]>;
  /** The fetcher of one tenant's stream for one run, counting its vendor calls into `meter`; undefined when the stream no longer exists. */
  fetcherFor(tenantId: string, stream: StreamName, meter: VendorMeter): Promise<StreamFetcher | undefined>;
}

export const STREAM_FETCHERS = Symbol('STREAM_FETCHERS');
