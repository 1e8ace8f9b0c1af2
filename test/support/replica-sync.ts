import type { INestApplication } from '@nestjs/common';
import { call } from './live-fixtures.js';
import { syncStatus, type StreamStatus } from './vendor-replica-app.js';

/** A stream as the admin sync route reports it, with where its synced history starts. */
export type HistoryStatus = StreamStatus & { history_from: string | null };

/**
 * Queues a sync of each of the tenant's streams (a first sync for a stream never synced) and waits until
 * every one is idle after a success: its first sync and the backfill it owed (SYNC_HISTORY_DAYS) done.
 * A stream that fails stops the wait with its error; `only` waits for those streams alone (the others may fail).
 */
export async function untilHistorySynced(app: INestApplication, tenantId: string, options: { only?: string[]; timeoutMs?: number } = {}): Promise<HistoryStatus[]> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const queued = await call(app).post(`/api/admin/tenants/${tenantId}/sync`);
  if (queued.status !== 202) throw new Error(`POST sync of ${tenantId}: ${queued.status} ${queued.text}`);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const streams = ((await syncStatus(app, tenantId)) as HistoryStatus[]).filter((s) => !options.only || options.only.includes(s.stream));
    const failed = streams.find((s) => s.state === 'failed');
    if (failed) throw new Error(`${tenantId} ${failed.stream} failed: ${failed.last_error}`);
    if (streams.length > 0 && streams.every((s) => s.state === 'idle' && s.last_success_at !== null && s.history_from !== null)) return streams;
    if (Date.now() > deadline) throw new Error(`${tenantId} not synced in ${timeoutMs} ms: ${JSON.stringify(streams.map((s) => [s.stream, s.state]))}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
