import type { INestApplication } from '@nestjs/common';
import { ConnectWiseClient } from '../../src/integrations/connectwise/connectwise.client.js';
import { DefenderClient } from '../../src/integrations/defender/defender.client.js';
import type { VendorHttp } from '../../src/integrations/http/vendor-http.js';
import { SentinelOneClient } from '../../src/integrations/sentinelone/sentinelone.client.js';
import { SmileBackClient } from '../../src/integrations/smileback/smileback.client.js';
import type { DomainName } from '../../src/domains.js';
import { streamFetchers, type TenantClients } from '../../src/sync/fetchers/stream-fetchers.js';
import { ReplicaRepository } from '../../src/sync/replica.repository.js';
import type { SyncState } from '../../src/sync/replica.types.js';
import { STREAM_FETCHERS, type StreamFetchers } from '../../src/sync/stream-fetchers.js';
import type { StreamFetcher, StreamName } from '../../src/sync/stream.js';
import type { StreamKey } from '../../src/sync/replica.types.js';
import { SyncRunner } from '../../src/sync/sync-runner.js';
import { meterObserver, type VendorMeter } from '../../src/sync/sync-runs.repository.js';
import { bootApp, type TestApp } from './app.js';
import { registerTenant, type Fakes } from './live-fixtures.js';
import { loopbackHttp } from './stream-runs.js';

/**
 * The engine's view of the tenants a test registered: the real fetchers over their loopback fakes,
 * leaving out the streams of mocked domains (as the production binding does).
 */
export class FakeTenantStreams implements StreamFetchers {
  /** Each tenant's clients over a given http. */
  readonly tenants = new Map<string, (http: VendorHttp) => TenantClients>();
  /** Per tenant×stream, fetchers built once (their tokens kept across runs) whose calls go to the meter of the stream's current run. */
  private readonly built = new Map<string, { fetchers: StreamFetcher[]; meter: { current?: VendorMeter } }>();
  readonly http: VendorHttp;
  /** ConnectWise page size for tenants added from now on (the client's maximum when unset). */
  connectwisePageSize: number | undefined;

  /** `timeoutMs`: per vendor call; the benches' fake filters 100 000 tickets per page, slower than 5 s on a loaded machine. */
  constructor(
    private readonly mocked: readonly DomainName[] = [],
    { timeoutMs = 5_000 }: { timeoutMs?: number } = {},
  ) {
    this.http = loopbackHttp({ timeoutMs });
  }

  add(tenantId: string, fakes: Partial<Fakes>): void {
    const pageSize = this.connectwisePageSize;
    for (const id of [...this.built.keys()]) if (id.startsWith(`${tenantId}|`)) this.built.delete(id);
    this.tenants.set(tenantId, (http) => ({
      connectwise: fakes.connectwise && new ConnectWiseClient(fakes.connectwise.integration(), http, `connectwise:${tenantId}`, { pageSize }),
      smileback: fakes.smileback && new SmileBackClient(fakes.smileback.integration(), http, `smileback:${tenantId}`),
      sentinelone: fakes.sentinelone && new SentinelOneClient(fakes.sentinelone.integration(), http, `sentinelone:${tenantId}`),
      defender: fakes.defender && new DefenderClient(fakes.defender.integration(), http, `defender:${tenantId}`),
    }));
  }

  private fetchersOf(tenantId: string): StreamFetcher[] {
    const clients = this.tenants.get(tenantId)?.(this.http);
    return clients ? streamFetchers(clients).filter((f) => f.domain === null || !this.mocked.includes(f.domain)) : [];
  }

  streams(): Promise<StreamKey[]> {
    return Promise.resolve([...this.tenants.keys()].flatMap((tenantId) => this.fetchersOf(tenantId).map((f) => ({ tenantId, stream: f.stream, vendor: f.vendor }))));
  }

  fetcherFor(tenantId: string, stream: StreamName, meter?: VendorMeter): Promise<StreamFetcher | undefined> {
    const id = `${tenantId}|${stream}`;
    const make = this.tenants.get(tenantId);
    if (!make) return Promise.resolve(undefined);
    let entry = this.built.get(id);
    if (!entry) {
      const forward: { current?: VendorMeter } = {};
      const observed = this.http.withCallObserver({
        vendorCall: (vendor, outcome) => forward.current && meterObserver(forward.current).vendorCall(vendor, outcome),
        waited: (vendor, ms) => forward.current && meterObserver(forward.current).waited?.(vendor, ms),
      });
      entry = { fetchers: streamFetchers(make(observed)).filter((f) => f.domain === null || !this.mocked.includes(f.domain)), meter: forward };
      this.built.set(id, entry);
    }
    entry.meter.current = meter;
    return Promise.resolve(entry.fetchers.find((f) => f.stream === stream));
  }
}

/** The app with the sync engine on and live reads from the replica, its streams over `streams`. */
export function bootReplicaApp(env: Record<string, string | undefined>, streams: FakeTenantStreams): Promise<TestApp> {
  return bootApp(env, (b) => b, false, { streamFetchers: { provide: STREAM_FETCHERS, useValue: streams } });
}

/** Registers the tenant through the admin API and gives the engine its fakes. */
export async function registerReplicaTenant(app: INestApplication, streams: FakeTenantStreams, tenantId: string, fakes: Partial<Fakes>): Promise<void> {
  await registerTenant(app, tenantId, fakes);
  streams.add(tenantId, fakes);
}

/** Runs every stream of the tenant once, now (as a scheduled incremental would). */
export async function syncTenant(app: INestApplication, streams: FakeTenantStreams, tenantId: string): Promise<void> {
  const runner = app.get(SyncRunner);
  for (const key of await streams.streams()) if (key.tenantId === tenantId) await runner.run(tenantId, key.stream, 'incremental').catch(() => undefined);
}

export function stateOf(app: INestApplication, tenantId: string, stream: StreamName): Promise<SyncState | undefined> {
  return app.get(ReplicaRepository).getState(tenantId, stream);
}
