// The seeded mock data set: its options, and the order in which each tenant's record kinds draw their streams.
import { Faker, base, en } from '@faker-js/faker';
import type { CsatSurvey } from '../../csat/csat-survey.record.js';
import { isInstant } from '../../common/validation/formats.js';
import type { SecurityAlert } from '../../security-alerts/security-alert.record.js';
import type { Tenant } from '../../tenants/tenant.record.js';
import type { Ticket } from '../../tickets/ticket.record.js';
import type { TimeEntry } from '../../time-entries/time-entry.record.js';
import { generateAlerts } from './alert-generator.js';
import { generateSurveys } from './csat-generator.js';
import { Rng, Stream } from './seeded-random.js';
import { buildTenantContext, buildTenants } from './tenant-world.js';
import { generateTickets } from './ticket-generator.js';
import { generateTimeEntries } from './time-entry-generator.js';
import { Progress, floorToMinute } from './time-and-ids.js';

export { SEED_TICKET_NOTES } from './text-templates.js';

export interface GenerateOptions {
  seed: number;
  /** Reference time (ISO instant ending in Z): nothing generated is later. */
  now: string;
  tenants: number;
  /** Tickets per tenant; undefined gives each tenant a seeded count in 50..100. */
  tickets?: number;
  timeEntries: number;
  csat: number;
  alerts: number;
  onProgress?: (done: number, total: number) => void;
}

export const DEFAULT_GENERATE_OPTIONS: Readonly<GenerateOptions> = Object.freeze({
  seed: 42,
  now: '2026-01-31T00:00:00Z',
  tenants: 2,
  timeEntries: 100,
  csat: 30,
  alerts: 40,
});

/** Largest accepted per-tenant count of any record kind. */
export const MAX_RECORDS_PER_TENANT = 1_000_000;
export const MAX_TENANTS = 1000;

/** Records by tenant id, in tenant order. */
export interface GeneratedDataset {
  tenants: Tenant[];
  tickets: Record<string, Ticket[]>;
  time_entries: Record<string, TimeEntry[]>;
  csat: Record<string, CsatSurvey[]>;
  security_alerts: Record<string, SecurityAlert[]>;
}

export function generateDataset(options: GenerateOptions): GeneratedDataset {
  assertValidOptions(options);
  const nowCap = floorToMinute(Date.parse(options.now));
  const rng = new Rng(new Faker({ locale: [en, base] }), options.seed);

  const tenants = buildTenants(rng, options.tenants);
  const contexts = tenants.map((tenant, index) => buildTenantContext(rng, tenant, index, options));
  const total = contexts.reduce((sum, c) => sum + c.ticketCount + options.timeEntries + options.csat + options.alerts, 0);
  const progress = new Progress(total, options.onProgress);

  const dataset: GeneratedDataset = { tenants, tickets: {}, time_entries: {}, csat: {}, security_alerts: {} };
  for (const ctx of contexts) {
    const id = ctx.tenant.id;
    const tickets = generateTickets(rng.reseed(ctx.index, Stream.Tickets), ctx, nowCap, options.csat > 0, progress);
    dataset.tickets[id] = tickets.records;
    dataset.time_entries[id] = generateTimeEntries(rng.reseed(ctx.index, Stream.TimeEntries), ctx, tickets, options.timeEntries, nowCap, progress);
    dataset.csat[id] = generateSurveys(rng.reseed(ctx.index, Stream.Csat), ctx, tickets, options.csat, nowCap, progress);
    dataset.security_alerts[id] = generateAlerts(rng.reseed(ctx.index, Stream.Alerts), ctx, options.alerts, nowCap, progress);
  }
  progress.finish();
  return dataset;
}

function assertValidOptions(o: GenerateOptions): void {
  const count = (name: string, value: number | undefined, min: number, max: number): void => {
    if (value !== undefined && (!Number.isInteger(value) || value < min || value > max)) {
      throw new RangeError(`${name} must be an integer from ${min} to ${max}, got ${value}`);
    }
  };
  if (!Number.isSafeInteger(o.seed)) throw new RangeError(`seed must be a safe integer, got ${o.seed}`);
  if (!isInstant(o.now)) throw new RangeError(`now must be an ISO instant like 2026-01-31T00:00:00Z, got ${o.now}`);
  count('tenants', o.tenants, 1, MAX_TENANTS);
  count('tickets', o.tickets, 0, MAX_RECORDS_PER_TENANT);
  count('timeEntries', o.timeEntries, 0, MAX_RECORDS_PER_TENANT);
  count('csat', o.csat, 0, MAX_RECORDS_PER_TENANT);
  count('alerts', o.alerts, 0, MAX_RECORDS_PER_TENANT);
}
