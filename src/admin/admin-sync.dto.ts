import { ApiProperty } from '@nestjs/swagger';
import { IsBoolean, IsOptional } from 'class-validator';
import { DOMAIN_NAMES } from '../domains.js';
import { RUN_KINDS } from '../sync/replica.types.js';
import { STREAM_NAMES } from '../sync/stream.js';

const INSTANT = { type: 'string', format: 'date-time' } as const;
const STATES = ['idle', 'running', 'backfilling', 'failed'] as const;

/** The stream's latest run, finished or not. */
export class SyncRunInfo {
  /** @example "incremental" */
  @ApiProperty({ enum: RUN_KINDS })
  kind: string;
  /** @example "2026-11-27T05:00:00.000Z" */
  @ApiProperty(INSTANT)
  started_at: string;
  /** Null while the run is going on. */
  @ApiProperty(INSTANT)
  finished_at: string | null;
  /** @example 3 */
  vendor_calls: number;
  /** @example 0 */
  http_429: number;
  /**
   * Milliseconds the run waited on the vendor: its sleeps before retries (backoff, a honoured Retry-After) and, for a run a 429 ended, the Retry-After its stream waits before the next run.
   * @example 0
   */
  waited_ms: number;
  /** @example 120 */
  seen: number;
  /** @example 2 */
  inserted: number;
  /** @example 5 */
  changed: number;
  /** @example 0 */
  deleted: number;
}

/** One configured stream of the tenant and how its sync stands. */
export class SyncStreamInfo {
  /** @example "connectwise.tickets" */
  @ApiProperty({ enum: STREAM_NAMES })
  stream: string;
  /** @example "connectwise" */
  vendor: string;
  /**
   * The API domain the stream feeds; null for ConnectWise members (owner emails of tickets and time entries).
   * @example "tickets"
   */
  @ApiProperty({ enum: DOMAIN_NAMES, nullable: true, type: 'string' })
  domain: string | null;
  /** @example "idle" */
  @ApiProperty({ enum: STATES })
  state: string;
  /** @example "2026-11-27T05:00:00.000Z" */
  @ApiProperty(INSTANT)
  last_success_at: string | null;
  /**
   * Seconds since the last successful sync; null before the first one.
   * @example 12
   */
  lag_seconds: number | null;
  /**
   * Records the replica holds for the stream (deleted ones excluded).
   * @example 20000
   */
  records: number;
  /** Where the synced history starts; null until the first sync completes. */
  @ApiProperty(INSTANT)
  history_from: string | null;
  /**
   * Why the last run failed, in the vendor's words, secrets scrubbed; null after a success.
   * @example null
   */
  last_error: string | null;
  /** Null before the stream's first run. */
  @ApiProperty({ type: SyncRunInfo, nullable: true })
  last_run: SyncRunInfo | null;
}

export class TenantSyncStatus {
  /** One entry per configured stream; empty for a tenant with no integration. */
  @ApiProperty({ type: [SyncStreamInfo] })
  streams: SyncStreamInfo[];
}

/** Optional: `{ "full": true }` asks for a full re-sync of every stream instead of an incremental. */
export class TriggerSyncBody {
  /**
   * A full re-sync (the whole history re-read) rather than the usual incremental.
   * @example true
   */
  @IsOptional()
  @IsBoolean()
  full?: boolean;
}

export class SyncQueued {
  /**
   * The streams a run was queued for.
   * @example ["connectwise.tickets","connectwise.time_entries","connectwise.members"]
   */
  @ApiProperty({ type: [String], enum: STREAM_NAMES })
  queued: string[];
}

