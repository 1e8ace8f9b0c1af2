import type { ChangesRequest, StreamName } from '../stream.js';

/** Where a run stopped: which walk of the run (`phase`) and the vendor's own position in it (`at`). */
export interface ResumePoint {
  phase: number;
  at: string;
}

// `stream|phase|position`: the stream name guards against a point saved by another stream.
export function encodeResume(stream: StreamName, phase: number, at: string): string {
  return `${stream}|${phase}|${at}`;
}

/** The point saved by this stream, or null: an absent or foreign one restarts the walk (upserts make a repeat harmless). */
export function decodeResume(stream: StreamName, resume: string | null): ResumePoint | null {
  if (!resume) return null;
  const match = /^([\w.]+)\|(\d)\|(.+)$/s.exec(resume);
  if (!match || match[1] !== stream) return null;
  return { phase: Number(match[2]), at: match[3] };
}

/** The resume point of a walk not yet begun (the next walk of a run of several). */
export const WALK_START = '-';

/** The lower bound of a request's change window (changes since the checkpoint, else the history bound), as ISO 8601 UTC. */
export function lowerBound(request: Pick<ChangesRequest, 'since' | 'from'>): string | undefined {
  const bound = request.since ?? request.from;
  return bound === undefined ? undefined : new Date(bound).toISOString();
}

/** The upper bound of a backfill slice, as ISO 8601 UTC. */
export function upperBound(request: Pick<ChangesRequest, 'until'>): string | undefined {
  return request.until === undefined ? undefined : new Date(request.until).toISOString();
}

/** A first or full sync of the recent part: open records count whatever their age, so they are walked too. */
export function wantsOpenRecords(request: ChangesRequest): boolean {
  return request.since === null && request.until === undefined;
}

/** A vendor instant as ISO 8601 in milliseconds (`…12.1234567Z` → `…12.123Z`), or null when absent or unreadable. */
export function vendorInstant(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}
