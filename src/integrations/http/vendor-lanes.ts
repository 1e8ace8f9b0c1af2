import { BulkheadPolicy, CircuitBreakerPolicy, CircuitState, ConsecutiveBreaker, bulkhead, circuitBreaker, handleWhen } from 'cockatiel';

export type BreakerState = 'closed' | 'open' | 'half-open' | 'isolated';

const STATE_NAMES: Record<CircuitState, BreakerState> = {
  [CircuitState.Closed]: 'closed',
  [CircuitState.Open]: 'open',
  [CircuitState.HalfOpen]: 'half-open',
  [CircuitState.Isolated]: 'isolated',
};

/** Calls waiting for a slot, per tenant and vendor host, beyond which a call is refused (503). */
const BULKHEAD_QUEUE = 10_000;
/** Circuits kept (one per vendor and tenant); the least recently used goes first beyond it. */
const MAX_LANES = 10_000;

export interface LaneOptions {
  /** Calls in flight per lane and vendor host. */
  concurrency: number;
  breakerThreshold: number;
  halfOpenAfterMs: number;
  /** Which errors are the vendor's failures, counted by the circuit. */
  isVendorFailure: (error: unknown) => boolean;
}

/** One vendor and tenant at one integration version: its circuit and its bulkheads (one per host). */
export interface Lane {
  name: string;
  version: string;
  breaker: CircuitBreakerPolicy;
  gates: Map<string, BulkheadPolicy>;
}

/** The circuits and bulkheads of every vendor and tenant, so that one tenant's vendor never takes another's slots or circuit. */
export class VendorLanes {
  private readonly lanes = new Map<string, Lane>();

  constructor(private readonly options: LaneOptions) {}

  /** Per vendor and tenant (the breaker key without its version), the circuit's state. */
  states(): Record<string, BreakerState> {
    return Object.fromEntries([...this.lanes].map(([name, lane]) => [name, STATE_NAMES[lane.breaker.state]]));
  }

  /** The lane of a breaker key (`vendor:tenant@version`): a new version replaces the old lane, closed. */
  laneFor(breakerKey: string): Lane {
    const at = breakerKey.lastIndexOf('@');
    const name = at < 0 ? breakerKey : breakerKey.slice(0, at);
    const version = at < 0 ? '' : breakerKey.slice(at + 1);
    let lane = this.lanes.get(name);
    this.lanes.delete(name);
    if (!lane || lane.version !== version) {
      lane = {
        name,
        version,
        breaker: circuitBreaker(handleWhen(this.options.isVendorFailure), {
          halfOpenAfter: this.options.halfOpenAfterMs,
          breaker: new ConsecutiveBreaker(this.options.breakerThreshold),
        }),
        gates: new Map(),
      };
    }
    this.lanes.set(name, lane);
    if (this.lanes.size > MAX_LANES) this.lanes.delete(this.lanes.keys().next().value!);
    return lane;
  }

  gateFor(lane: Lane, host: string): BulkheadPolicy {
    let gate = lane.gates.get(host);
    if (!gate) {
      gate = bulkhead(this.options.concurrency, BULKHEAD_QUEUE);
      lane.gates.set(host, gate);
    }
    return gate;
  }
}

// cockatiel's bulkhead drops a queued call only when a slot frees; a stopped caller should not wait for that.
export function untilStopped<T>(work: Promise<T>, stop: AbortSignal): Promise<T> {
  if (stop.aborted) {
    work.catch(() => undefined);
    return Promise.reject(stop.reason as Error);
  }
  return new Promise<T>((resolve, reject) => {
    const onStop = () => reject(stop.reason as Error);
    stop.addEventListener('abort', onStop, { once: true });
    work.then(resolve, reject).finally(() => stop.removeEventListener('abort', onStop));
  });
}
