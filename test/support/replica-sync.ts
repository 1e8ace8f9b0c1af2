import type { ConsoleLogger, INestApplication } from '@nestjs/common';
import type { TestingModuleBuilder } from '@nestjs/testing';
import { STREAM_FETCHERS } from '../../src/sync/stream-fetchers.js';
import { VendorStreamFetchers } from '../../src/sync/vendor-stream-fetchers.js';
import { bootApp, type TestApp } from './app.js';
import { call } from './live-fixtures.js';

/** One stream as `GET /api/admin/tenants/{id}/sync` reports it. */
export interface StreamStatus {
  stream: string;
  vendor: string;
  domain: string | null;
  state: string;
  last_success_at: string | null;
  history_from: string | null;
  records: number;
  last_error: string | null;
}

/**
 * The app with live reads from the replica and the production stream binding (VendorStreamFetchers):
 * the streams are the registered integrations' (minus mocked domains'), each run's client is built from
 * the stored secrets over the app's own VendorHttp (its metrics, its logs). Tenants need only
 * `registerTenant`.
 */
export function bootVendorReplicaApp(
  env: Record<string, string | undefined>,
  customize: (builder: TestingModuleBuilder) => TestingModuleBuilder = (b) => b,
  logger: ConsoleLogger | false = false,
): Promise<TestApp> {
  return bootApp(env, customize, logger, { streamFetchers: { provide: STREAM_FETCHERS, useClass: VendorStreamFetchers } });
}

export async function syncStatus(app: INestApplication, tenantId: string): Promise<StreamStatus[]> {
  const res = await call(app).get(`/api/admin/tenants/${tenantId}/sync`);
  if (res.status !== 200) throw new Error(`GET sync of ${tenantId}: ${res.status} ${res.text}`);
  return res.body.streams as StreamStatus[];
}

/**
 * Queues a sync of each of the tenant's streams (a first sync for a stream never synced) and waits until
 * every one is idle after a success: its first sync and the backfill it owed (SYNC_HISTORY_DAYS) done.
 * A stream that fails stops the wait with its error; `only` waits for those streams alone (the others may fail).
 */
export async function untilHistorySynced(app: INestApplication, tenantId: string, options: { only?: string[]; timeoutMs?: number } = {}): Promise<StreamStatus[]> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const queued = await call(app).post(`/api/admin/tenants/${tenantId}/sync`);
  if (queued.status !== 202) throw new Error(`POST sync of ${tenantId}: ${queued.status} ${queued.text}`);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const streams = (await syncStatus(app, tenantId)).filter((s) => !options.only || options.only.includes(s.stream));
    const failed = streams.find((s) => s.state === 'failed');
    if (failed) throw new Error(`${tenantId} ${failed.stream} failed: ${failed.last_error}`);
    if (streams.length > 0 && streams.every((s) => s.state === 'idle' && s.last_success_at !== null && s.history_from !== null)) return streams;
    if (Date.now() > deadline) throw new Error(`${tenantId} not synced in ${timeoutMs} ms: ${JSON.stringify(streams.map((s) => [s.stream, s.state]))}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
