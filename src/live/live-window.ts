const DAY_MS = 86_400_000;

/** The start of the live window: records updated since then are fetched (LIVE_WINDOW_DAYS). */
export function windowStart(windowDays: number, now = Date.now()): Date {
  return new Date(now - windowDays * DAY_MS);
}
