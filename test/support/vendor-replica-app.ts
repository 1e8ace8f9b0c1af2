import type { ConsoleLogger, INestApplication } from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import { ReplicaRepository } from '../../src/sync/replica.repository.js';
import { STREAM_FETCHERS, type StreamFetchers } from '../../src/sync/stream-fetchers.js';
import { SyncScheduler } from '../../src/sync/sync-scheduler.js';
import { VendorStreamFetchers } from '../../src/sync/vendor-stream-fetchers.js';
import type { TestingModuleBuilder } from '@nestjs/testing';
import { bootApp, type TestApp } from './app.js';
import { call } from './live-fixtures.js';

/** Live mode on the replica with the production stream binding: tenants' integrations as stored (decrypted, time zone and all). */
export function bootVendorReplicaApp(
  env: Record<string, string | undefined>,
  customize: (b: TestingModuleBuilder) => TestingModuleBuilder = (b) => b,
  logger: ConsoleLogger | false = false,
): Promise<TestApp> {
  return bootApp(env, customize, logger, { streamFetchers: { provide: STREAM_FETCHERS, useClass: VendorStreamFetchers } });
}

/** One stream as `GET /api/admin/tenants/{id}/sync` reports it. */
export interface StreamStatus {
  stream: string;
  vendor: string;
  state: string;
  last_success_at: string | null;
  records: number;
  last_error: string | null;
  last_run: {
    kind: string;
    started_at: string;
    finished_at: string | null;
    vendor_calls: number;
    http_429: number;
    seen: number;
    inserted: number;
    changed: number;
    deleted: number;
  } | null;
}

export async function syncStatus(app: INestApplication, tenantId: string): Promise<StreamStatus[]> {
  const res = await call(app).get(`/api/admin/tenants/${tenantId}/sync`);
  if (res.status !== 200) throw new Error(`sync status of ${tenantId}: ${res.status} ${res.text}`);
  return res.body.streams as StreamStatus[];
}

/**
 * Waits until every stream of the tenant has synced and none is running; with `startUnsynced`, first
 * starts the streams no read starts (never run, e.g. members), as the minute's planning would.
 * A first sync is a full one, which owes no reconcile: once settled, nothing runs before the interval.
 */
export async function settled(app: INestApplication, tenantId: string, options: { startUnsynced?: boolean; streams?: number; timeoutMs?: number } = {}): Promise<StreamStatus[]> {
  if (options.startUnsynced) {
    const replica = app.get(ReplicaRepository);
    for (const key of await app.get<StreamFetchers>(STREAM_FETCHERS).streams()) {
      if (key.tenantId === tenantId && (await replica.getState(tenantId, key.stream)) === undefined) await app.get(SyncScheduler).trigger(tenantId, key.stream);
    }
  }
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  for (;;) {
    const streams = await syncStatus(app, tenantId);
    const done = streams.every((s) => s.last_success_at !== null && (s.state === 'idle' || s.state === 'failed'));
    if (done && (options.streams === undefined || streams.length === options.streams)) return streams;
    if (Date.now() > deadline) throw new Error(`the streams of ${tenantId} never settled: ${JSON.stringify(streams)}`);
    await sleep(100);
  }
}
