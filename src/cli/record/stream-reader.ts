import type { Vendor } from '../../platform/integration-bodies.dto.js';
import { LiveClients } from '../../platform/live-clients.js';
import { streamFetchers } from '../../sync/fetchers/stream-fetchers.js';
import { ReplicaRepository } from '../../sync/replica.repository.js';
import type { StreamChange, StreamFetcher, StreamName } from '../../sync/stream.js';
import { STREAMS } from '../../sync/vendor-stream-fetchers.js';

/** Where a stream's records came from: the synced replica (no vendor call) or a walk of the vendor. */
export type StreamOrigin = 'replica' | 'vendor';

export interface StreamRead {
  origin: StreamOrigin;
  /** The records in vendor id order (as the replica reads them), none deleted. */
  records: unknown[];
  /** Records the mapper could not read: skipped, as the sync skips them. */
  unreadable: number;
}

/**
 * One tenant×stream's records for a recording: copied from the replica when the sync has completed
 * the stream (its `last_success_at`), so nothing asks the vendor; otherwise walked through the sync's
 * own fetcher (a first sync's request: no checkpoint, the last `windowDays`, open records too) and
 * mapped by it, so the recording is what the replica would serve.
 */
export class StreamReader {
  constructor(
    private readonly replica: ReplicaRepository,
    private readonly clients: LiveClients,
    private readonly windowDays: number,
  ) {}

  /** The mapped records, as live mode serves them from the replica. */
  async mapped(tenantId: string, stream: StreamName, onProgress: (origin: StreamOrigin, records: number) => void): Promise<StreamRead> {
    if (await this.synced(tenantId, stream)) {
      onProgress('replica', 0);
      return { origin: 'replica', records: await this.copy(tenantId, stream, 'mapped'), unreadable: 0 };
    }
    onProgress('vendor', 0);
    const { fetcher, changes } = await this.walk(tenantId, stream, { from: this.windowStart() }, (n) => onProgress('vendor', n));
    let unreadable = 0;
    const records: unknown[] = [];
    for (const change of changes) {
      try {
        const record = fetcher.map(change.raw, tenantId);
        // A null mapping is kept by the replica and never served (SmileBack's unrated reviews).
        if (record !== null) records.push(record);
      } catch {
        unreadable += 1;
      }
    }
    return { origin: 'vendor', records, unreadable };
  }

  /** The payloads as fetched (ConnectWise members: their names are in no mapped record), from the replica when synced. */
  async raw(tenantId: string, stream: StreamName): Promise<unknown[]> {
    if (await this.synced(tenantId, stream)) return this.copy(tenantId, stream, 'raw');
    // Every one the vendor lists, whenever it last changed: a name in free text may be an old colleague's.
    return (await this.walk(tenantId, stream, {}, () => undefined)).changes.map((c) => c.raw);
  }

  private windowStart(): string {
    return new Date(Date.now() - this.windowDays * 86_400_000).toISOString();
  }

  private async synced(tenantId: string, stream: StreamName): Promise<boolean> {
    return Boolean((await this.replica.getState(tenantId, stream))?.lastSuccessAt);
  }

  /** The live rows of one data version (one snapshot of the replica, whatever a sync writes meanwhile). */
  private async copy(tenantId: string, stream: StreamName, column: 'mapped' | 'raw'): Promise<unknown[]> {
    return (await this.replica.readSnapshot(tenantId, stream, column)).records;
  }

  /** Every change of one walk, one per vendor id as the replica would keep it (the newest change wins, tombstones drop), in id order. */
  private async walk(
    tenantId: string,
    stream: StreamName,
    window: { from?: string },
    onPage: (records: number) => void,
  ): Promise<{ fetcher: StreamFetcher; changes: StreamChange[] }> {
    const vendor = STREAMS[stream].vendor as Vendor;
    // Not counted anywhere: a recording is no sync run.
    const client = await this.clients.fresh(tenantId, vendor, { vendorCall: () => undefined });
    const fetcher = client && streamFetchers({ [vendor]: client }).find((f) => f.stream === stream);
    if (!fetcher) throw new Error(`tenant '${tenantId}' has no ${vendor} integration any more`);
    const byId = new Map<string, StreamChange>();
    for await (const page of fetcher.changes({ since: null, ...window, resume: null, stop: new AbortController().signal })) {
      for (const change of page.changes) {
        const held = byId.get(change.vendorId);
        // As the replica's upsert: a change older than the one held leaves it alone.
        if (held?.vendorUpdatedAt && change.vendorUpdatedAt && held.vendorUpdatedAt > change.vendorUpdatedAt) continue;
        byId.set(change.vendorId, change);
      }
      onPage(byId.size);
    }
    // Code-unit order, as the replica reads its rows (SQLite's binary collation of `vendor_id`).
    const ids = [...byId.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    return { fetcher, changes: ids.map((id) => byId.get(id)!).filter((c) => c.deleted !== true) };
  }
}
