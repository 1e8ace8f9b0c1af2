import type { ConsoleLogger, INestApplication } from '@nestjs/common';
import type { StreamName } from '../../src/sync/stream.js';
import { SyncRunner, type RunOutcome } from '../../src/sync/sync-runner.js';
import { SyncRunsRepository, type SyncRun } from '../../src/sync/sync-runs.repository.js';
import type { TestApp } from './app.js';
import { bootVendorReplicaApp, type StreamStatus } from './vendor-replica-app.js';
import { call, LIVE_ENV } from './live-fixtures.js';

/** Live mode reading from the replica: one run per stream an hour (tests run the streams themselves), no backfill owed. */
export const REPLICA_ENV: Record<string, string | undefined> = { ...LIVE_ENV, SYNC_INTERVAL_SECONDS: '3600', SYNC_HISTORY_DAYS: '90', FIRST_SYNC_WAIT_MS: '10000' };

/** The app with live reads from the replica and the production stream fetchers (VENDOR_* settings, address guard and logger as in production). */
export function bootSyncedApp(env: Record<string, string | undefined>, logger: ConsoleLogger | false = false): Promise<TestApp> {
  return bootVendorReplicaApp(env, undefined, logger);
}

export type { StreamStatus };

/** The stream's entry in the admin sync status (fails the test when the tenant has no such stream). */
export async function streamStatus(app: INestApplication, tenantId: string, stream: StreamName): Promise<StreamStatus> {
  const res = await call(app).get(`/api/admin/tenants/${tenantId}/sync`);
  if (res.status !== 200) throw new Error(`GET sync of ${tenantId}: ${res.status} ${res.text}`);
  const found = (res.body.streams as StreamStatus[]).find((s) => s.stream === stream);
  if (!found) throw new Error(`${tenantId} has no stream ${stream}`);
  return found;
}

/**
 * One run of the stream now, as its scheduled job would run it: the outcome, or the error it failed
 * with. Run after the stream's first sync was asked for (a read), whose job holds the stream's next
 * timer, so the scheduler's planner never runs it beside this one.
 */
export async function runStream(app: INestApplication, tenantId: string, stream: StreamName): Promise<RunOutcome | Error> {
  return app
    .get(SyncRunner)
    .run(tenantId, stream, 'incremental')
    .catch((error: Error) => error);
}

/** The stream's run history, newest first (with each run's note and error). */
export function runHistory(app: INestApplication, tenantId: string, stream: StreamName): Promise<SyncRun[]> {
  return app.get(SyncRunsRepository).recent(tenantId, stream, 100);
}
