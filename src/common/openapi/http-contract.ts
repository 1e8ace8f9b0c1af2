import type { OpenAPIObject } from '@nestjs/swagger';
import { isDeepStrictEqual } from 'node:util';
import { problemComponents } from './problem-responses.js';

/** The document's tags, in the order Swagger UI shows them. */
export const TAGS: { name: string; description: string }[] = [
  { name: 'home', description: 'An index of links; no key needed.' },
  { name: 'health', description: 'Liveness, readiness and the checks behind them, for load balancers and orchestrators; no key needed, never rate limited.' },
  { name: 'tenants', description: 'The tenants a key may read.' },
  { name: 'tickets', description: "A tenant's PSA tickets (ConnectWise)." },
  { name: 'time-entries', description: "A tenant's time entries (ConnectWise)." },
  { name: 'csat', description: "A tenant's CSAT surveys (SmileBack)." },
  { name: 'security-alerts', description: "A tenant's endpoint security alerts (SentinelOne, Microsoft Defender)." },
  { name: 'insights', description: "A tenant's KPIs over a window, and the same counts per calendar bucket." },
  { name: 'admin', description: 'Tenants, vendor integrations and API keys; admin keys only.' },
  { name: 'metrics', description: 'Prometheus metrics of each copy of the service, to scrape; admin keys only.' },
];

const METHODS = ['get', 'put', 'post', 'patch', 'delete', 'head', 'options'] as const;

/** Declares the problem answers once (`components.responses`), makes the routes refer to them, and adds the global tags. */
export function describeHttpContract(document: OpenAPIObject): OpenAPIObject {
  const responses = problemComponents();
  for (const item of Object.values(document.paths)) {
    for (const method of METHODS) {
      const operation = item[method];
      if (!operation) continue;
      for (const [status, response] of Object.entries(operation.responses)) {
        const shared = Object.entries(responses).find(([, r]) => isDeepStrictEqual(r, response));
        if (shared) operation.responses[status] = { $ref: `#/components/responses/${shared[0]}` };
      }
    }
  }
  document.components = { ...document.components, responses };
  document.tags = TAGS;
  return document;
}
