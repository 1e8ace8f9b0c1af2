import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Kysely } from 'kysely';
import { VendorHttp } from '../../src/integrations/http/vendor-http.js';
import type { PlatformDatabase } from '../../src/platform/platform.schema.js';
import type { StreamKey } from '../../src/sync/replica.types.js';
import type { StreamFetchers } from '../../src/sync/stream-fetchers.js';
import type { ChangesRequest, StreamFetcher, StreamName, StreamPage } from '../../src/sync/stream.js';
import type { VendorMeter } from '../../src/sync/sync-runs.repository.js';

/** One record as the loopback vendor holds it. */
export interface SourceRecord {
  id: string;
  updatedAt: string;
  body: Record<string, unknown>;
  /** Listed as a tombstone by the change feed, absent from the id list. */
  deleted?: boolean;
}

export const streamId = (tenantId: string, stream: string) => `${tenantId}|${stream}`;

/**
 * A vendor on loopback with an incremental change feed (updated at or after `since`, oldest first,
 * offset-paged), an id list, and a switchable 429 with Retry-After per tenant×stream.
 */
export class LoopbackVendor {
  readonly data = new Map<string, Map<string, SourceRecord>>();
  /** Tenant×stream → Retry-After seconds answered to its every call. */
  readonly rateLimited = new Map<string, number>();
  /** Tenant×stream → an error status answered to its every call. */
  readonly failing = new Map<string, number>();
  /** An error status for the calls it names (e.g. a backfill's, which carry `until`). */
  failWhen: ((query: URLSearchParams) => number | undefined) | undefined;
  readonly requests: { key: string; path: string; query: URLSearchParams }[] = [];
  baseUrl = '';
  private readonly server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const key = url.searchParams.get('key') ?? '';
    this.requests.push({ key, path: url.pathname, query: url.searchParams });
    const wait = this.rateLimited.get(key);
    if (wait !== undefined) {
      res.writeHead(429, { 'content-type': 'application/json', 'retry-after': String(wait) }).end('{"message":"slow down"}');
      return;
    }
    const status = this.failing.get(key) ?? this.failWhen?.(url.searchParams);
    if (status !== undefined) {
      res.writeHead(status, { 'content-type': 'application/json' }).end('{"message":"down"}');
      return;
    }
    const records = [...(this.data.get(key)?.values() ?? [])];
    if (url.pathname === '/ids') {
      const from = url.searchParams.get('from');
      const ids = records.filter((r) => !r.deleted && (!from || r.updatedAt >= from)).map((r) => r.id);
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ids }));
      return;
    }
    const since = url.searchParams.get('since');
    const from = url.searchParams.get('from');
    const until = url.searchParams.get('until');
    const offset = Number(url.searchParams.get('offset') ?? 0);
    const limit = Number(url.searchParams.get('limit') ?? 100);
    const matching = records
      .filter((r) => (!since || r.updatedAt >= since) && (!from || r.updatedAt >= from) && (!until || r.updatedAt < until))
      .filter((r) => !r.deleted || since)
      .sort((a, b) => (a.updatedAt === b.updatedAt ? a.id.localeCompare(b.id) : a.updatedAt.localeCompare(b.updatedAt)));
    const items = matching.slice(offset, offset + limit);
    const next = offset + limit < matching.length ? offset + limit : null;
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ items, next }));
  });

  async start(): Promise<void> {
    await new Promise<void>((done) => this.server.listen(0, '127.0.0.1', done));
    this.baseUrl = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((done) => this.server.close(() => done()));
  }

  put(tenantId: string, stream: string, ...records: SourceRecord[]): void {
    const key = streamId(tenantId, stream);
    const map = this.data.get(key) ?? new Map<string, SourceRecord>();
    for (const record of records) map.set(record.id, record);
    this.data.set(key, map);
  }

  remove(tenantId: string, stream: string, ...ids: string[]): void {
    for (const id of ids) this.data.get(streamId(tenantId, stream))?.delete(id);
  }

  live(tenantId: string, stream: string): SourceRecord[] {
    return [...(this.data.get(streamId(tenantId, stream))?.values() ?? [])].filter((r) => !r.deleted);
  }
}

export interface FetcherHooks {
  /** Called after each page is handed to the engine (0-based), e.g. to stop the run there. */
  afterPage?: (key: string, index: number) => void;
  /** Extra time each page takes, to make overlapping runs visible. */
  pageDelayMs?: number;
  /** Awaited before each page is asked for (0-based): a test holds a run here, as if its copy hung. */
  gate?: (key: string, index: number) => Promise<void>;
  /** A record id the mapper cannot read (it throws, as a mapper meeting a malformed payload). */
  unreadable?: (id: string) => boolean;
}

/** A stream fetcher over the loopback vendor, through the project's real VendorHttp (retries, Retry-After, errors). */
export class LoopbackFetcher implements StreamFetcher {
  readonly vendor = 'connectwise';
  readonly domain = 'tickets' as const;
  readonly orderedByChange = true;
  readonly ids?: StreamFetcher['ids'];
  active = 0;

  constructor(
    private readonly source: LoopbackVendor,
    private readonly http: VendorHttp,
    private readonly tenantId: string,
    readonly stream: StreamName,
    private readonly meter: VendorMeter,
    private readonly pageSize: number,
    private readonly hooks: FetcherHooks & { onActive?: (delta: number) => void },
    withIds: boolean,
  ) {
    if (withIds) this.ids = (scope, stop) => this.listIds(scope, stop);
  }

  async *changes(request: ChangesRequest): AsyncIterable<StreamPage> {
    const key = streamId(this.tenantId, this.stream);
    this.hooks.onActive?.(1);
    try {
      let offset = request.resume === null ? 0 : Number(request.resume);
      for (let index = 0; ; index++) {
        await this.hooks.gate?.(key, index);
        const query = new URLSearchParams({ key, offset: String(offset), limit: String(this.pageSize) });
        if (request.since) query.set('since', request.since);
        if (request.from) query.set('from', request.from);
        if (request.until) query.set('until', request.until);
        const body = await this.get<{ items: SourceRecord[]; next: number | null }>(`/changes?${query}`, request.stop);
        if (this.hooks.pageDelayMs) await new Promise((r) => setTimeout(r, this.hooks.pageDelayMs));
        yield {
          changes: body.items.map((r) => ({ vendorId: r.id, raw: { id: r.id, updatedAt: r.updatedAt, ...r.body }, vendorUpdatedAt: r.updatedAt, deleted: r.deleted })),
          resume: body.next === null ? null : String(body.next),
        };
        this.hooks.afterPage?.(key, index);
        if (body.next === null) return;
        offset = body.next;
      }
    } finally {
      this.hooks.onActive?.(-1);
    }
  }

  map(raw: unknown, tenantId: string): unknown {
    const { updatedAt: _dropped, ...rest } = raw as Record<string, unknown>;
    if (this.hooks.unreadable?.(String(rest.id))) throw new TypeError(`record ${String(rest.id)} is malformed`);
    return { ...rest, tenant_id: tenantId };
  }

  private async listIds(scope: { open: boolean; from?: string }, stop: AbortSignal): Promise<string[]> {
    const query = new URLSearchParams({ key: streamId(this.tenantId, this.stream) });
    if (scope.from) query.set('from', scope.from);
    return (await this.get<{ ids: string[] }>(`/ids?${query}`, stop)).ids;
  }

  private async get<T>(path: string, stop: AbortSignal): Promise<T> {
    this.meter.calls += 1;
    const response = await this.http.request<T>({
      vendor: this.vendor,
      breakerKey: `${this.vendor}:${this.tenantId}`,
      url: `${this.source.baseUrl}${path}`,
      signal: stop,
      deadlineAt: Date.now() + 2_000,
      // As a stream walk's calls: a 429 is the engine's to reschedule, never waited for here.
      retryAfter: 'raise',
    });
    return response.body;
  }
}

/** The engine's view of the streams: which exist, and a loopback fetcher for each, with hooks to observe runs. */
export class TestStreams implements StreamFetchers {
  readonly keys: StreamKey[] = [];
  readonly reconcilable = new Set<string>();
  /** Runs in flight per tenant×stream, and the most ever seen at once. */
  readonly active = new Map<string, number>();
  readonly maxActive = new Map<string, number>();
  readonly runs = new Map<string, number>();
  hooks: FetcherHooks = {};
  pageSize = 50;

  constructor(
    private readonly source: LoopbackVendor,
    private readonly http = new VendorHttp({ allowPrivateNetworks: true, maxAttempts: 2, baseDelayMs: 10 }),
  ) {}

  add(tenantId: string, stream: StreamName, options: { ids?: boolean } = {}): void {
    this.keys.push({ tenantId, stream, vendor: 'connectwise' });
    if (options.ids) this.reconcilable.add(streamId(tenantId, stream));
  }

  streams(): Promise<StreamKey[]> {
    return Promise.resolve([...this.keys]);
  }

  fetcherFor(tenantId: string, stream: StreamName, meter: VendorMeter): Promise<StreamFetcher | undefined> {
    const key = streamId(tenantId, stream);
    if (!this.keys.some((k) => k.tenantId === tenantId && k.stream === stream)) return Promise.resolve(undefined);
    const onActive = (delta: number) => {
      const now = (this.active.get(key) ?? 0) + delta;
      this.active.set(key, now);
      this.maxActive.set(key, Math.max(this.maxActive.get(key) ?? 0, now));
      if (delta > 0) this.runs.set(key, (this.runs.get(key) ?? 0) + 1);
    };
    const fetcher = new LoopbackFetcher(this.source, this.http, tenantId, stream, meter, this.pageSize, { ...this.hooks, onActive }, this.reconcilable.has(key));
    return Promise.resolve(fetcher);
  }

  close(): Promise<void> {
    return this.http.onApplicationShutdown();
  }
}

/** A tenant and a ConnectWise integration row (no secrets): what the replica's rows hang from. */
export async function seedTenant(db: Kysely<PlatformDatabase>, tenantId: string, vendors: string[] = ['connectwise']): Promise<void> {
  const at = new Date().toISOString();
  await db.insertInto('tenants').values({ id: tenantId, name: tenantId, is_active: 1, llm_enabled: 0, created_at: at, updated_at: at }).execute();
  for (const vendor of vendors) {
    await db.insertInto('integrations').values({ tenant_id: tenantId, vendor, settings: '{}', secrets: '{}', updated_at: at }).execute();
  }
}

/** An instant `days` (fractional allowed) before now, ISO 8601. */
export const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString();
