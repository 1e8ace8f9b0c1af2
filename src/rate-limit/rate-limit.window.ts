/** The one rate-limit window: budgets are per minute (RATE_LIMIT_PER_MINUTE). */
export const RATE_LIMIT_WINDOW_MS = 60_000;
