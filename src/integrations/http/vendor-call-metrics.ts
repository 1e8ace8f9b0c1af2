/** How one request sent to a vendor ended (its answer's class, 429 apart, or why none came): a bounded label set. */
export type VendorCallOutcome =
  | 'ok'
  | 'redirect'
  | 'rate_limited'
  | 'client_error'
  | 'server_error'
  | 'timeout'
  | 'network_error'
  | 'refused'
  | 'cancelled';

/** What VendorHttp reports of every request it sends (each retry is one more); the metrics module implements it. */
export interface VendorCallMetrics {
  vendorCall(vendor: string, outcome: VendorCallOutcome): void;
  /** Time slept before a retry (backoff or a honoured Retry-After), in ms. */
  waited?(vendor: string, ms: number): void;
  /** A request found its credential's budget spent: it `waited` `waitMs` before going, or was `deferred` (raised, nothing sent). */
  vendorBudgetWait?(vendor: string, waitMs: number, outcome: VendorBudgetWaitOutcome): void;
}

export type VendorBudgetWaitOutcome = 'waited' | 'deferred';

/** The injection token of VendorCallMetrics: bound by the metrics module, absent (nothing counted) in the CLIs. */
export const VENDOR_CALL_METRICS = Symbol('VENDOR_CALL_METRICS');

/** Both hear of every request: `outer` (the app's metrics, if any) and `observer` (e.g. a sync run's meter). */
export function bothMetrics(outer: VendorCallMetrics | undefined, observer: VendorCallMetrics): VendorCallMetrics {
  return {
    vendorCall: (vendor, outcome) => {
      outer?.vendorCall(vendor, outcome);
      observer.vendorCall(vendor, outcome);
    },
    vendorBudgetWait: (vendor, waitMs, outcome) => {
      outer?.vendorBudgetWait?.(vendor, waitMs, outcome);
      observer.vendorBudgetWait?.(vendor, waitMs, outcome);
    },    waited: (vendor, ms) => {
      outer?.waited?.(vendor, ms);
      observer.waited?.(vendor, ms);
    },
  };
}

/** The outcome of a request the vendor answered with this status. */
export function outcomeOfStatus(status: number): VendorCallOutcome {
  if (status === 429) return 'rate_limited';
  if (status >= 500) return 'server_error';
  if (status >= 400) return 'client_error';
  if (status >= 300) return 'redirect';
  return 'ok';
}
