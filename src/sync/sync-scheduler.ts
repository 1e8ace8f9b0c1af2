import type { RunKind } from './replica.types.js';
import type { StreamName } from './stream.js';

/** Keeps every configured tenant×stream synced every interval, one run per stream at a time. */
export abstract class SyncScheduler {
  /** Claims the schedules and starts the workers. */
  abstract start(): Promise<void>;
  /** Stops taking jobs; runs in progress are interrupted and resume later from their last page. */
  abstract stop(): Promise<void>;
  /** Queues a run of the stream now, unless one is already queued. */
  abstract trigger(tenantId: string, stream: StreamName, kind?: RunKind): Promise<void>;
}

/** How often the list of streams is read for ones with no job queued (new integrations, a chain that ended). */
export const PLAN_EVERY_MS = 60_000;
