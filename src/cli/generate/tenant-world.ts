// Tenants and the small fixed world each one's records draw from (staff, client companies, devices).
import { SEED_DEFENDER_ALERT, SEED_SENTINELONE_ALERT, SEED_TENANTS, SEED_TICKET } from './seed-examples.js';
import type { Tenant } from '../../tenants/tenant.record.js';
import { DEPARTMENTS, DEVICE_PATTERNS, SERVER_ROLES } from './msp-vocabulary.js';
import { Rng, Stream } from './seeded-random.js';

const SEED_TENANT_DOMAIN = 'msp.com';
const SEED_COMPANY = SEED_TICKET.company;

interface StaffMember {
  email: string;
  /** Null for role accounts such as the seed's tech1@msp.com. */
  firstName: string | null;
}

export interface ClientUser {
  first: string;
  full: string;
}

export interface TenantContext {
  tenant: Tenant;
  index: number;
  withSeeds: boolean;
  ticketCount: number;
  staff: StaffMember[];
  staffFirstName: Map<string, string | null>;
  companies: string[];
  clientUsers: ClientUser[];
  workstations: string[];
  servers: string[];
  /** Every device, the busiest (most alerts) first. */
  devices: string[];
}

export function buildTenants(rng: Rng, count: number): Tenant[] {
  const tenants = SEED_TENANTS.slice(0, count).map((t) => ({ ...t }));
  rng.reseed(0, Stream.TenantList);
  const names = new Set(tenants.map((t) => t.name));
  for (let i = tenants.length; i < count; i++) {
    const name = uniqueValue(names, () => rng.faker.company.name(), (n, attempt) => `${n} ${attempt + 1}`);
    tenants.push({ id: `tenant_demo_client${i + 1}`, name, is_active: true, llm_enabled: rng.chance(0.5) });
  }
  return tenants;
}

export function buildTenantContext(rng: Rng, tenant: Tenant, index: number, options: { tickets?: number }): TenantContext {
  rng.reseed(index, Stream.Context);
  const { faker } = rng;
  const withSeeds = index === 0;
  const ticketCount = options.tickets ?? rng.int(50, 100);

  const domain = withSeeds ? SEED_TENANT_DOMAIN : `${slug(tenant.name) || 'msp'}.com`;
  const staff: StaffMember[] = withSeeds ? [{ email: SEED_TICKET.owner as string, firstName: null }] : [];
  const emails = new Set(staff.map((s) => s.email));
  const staffSize = rng.int(4, 6);
  while (staff.length < staffSize) {
    const firstName = faker.person.firstName();
    const lastName = faker.person.lastName();
    const email = `${slug(firstName)}.${slug(lastName)}@${domain}`;
    if (slug(firstName) && slug(lastName) && !emails.has(email)) {
      emails.add(email);
      staff.push({ email, firstName });
    }
  }

  const companies = new Set<string>(withSeeds ? [SEED_COMPANY] : []);
  const companyCount = rng.int(6, 10);
  while (companies.size < companyCount) companies.add(faker.company.name());

  const clientUsers = Array.from({ length: 40 }, () => {
    const first = faker.person.firstName();
    return { first, full: `${first} ${faker.person.lastName()}` };
  });

  const devices = buildDevices(rng, withSeeds);
  return {
    tenant,
    index,
    withSeeds,
    ticketCount,
    staff,
    staffFirstName: new Map(staff.map((s) => [s.email, s.firstName])),
    companies: [...companies],
    clientUsers,
    workstations: devices.filter((d) => !d.startsWith('SRV-')),
    servers: devices.filter((d) => d.startsWith('SRV-')),
    devices,
  };
}

function buildDevices(rng: Rng, withSeeds: boolean): string[] {
  const devices = new Set<string>(withSeeds ? [SEED_SENTINELONE_ALERT.device, SEED_DEFENDER_ALERT.device] : []);
  devices.add(`SRV-${rng.pick(SERVER_ROLES)}01`);
  devices.add(`LAPTOP-${pad(rng.int(1, 60), 3)}`);
  const size = rng.int(20, 40);
  while (devices.size < size) {
    const name = rng
      .pick(DEVICE_PATTERNS)
      .replace('{nnn}', () => pad(rng.int(1, 150), 3))
      .replace('{nn}', () => pad(rng.int(1, 20), 2))
      .replace('{dept}', () => rng.pick(DEPARTMENTS))
      .replace('{role}', () => rng.pick(SERVER_ROLES));
    devices.add(name);
  }
  return [...devices];
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

function slug(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]/g, '');
}

function uniqueValue(taken: Set<string>, make: () => string, disambiguate: (value: string, attempt: number) => string): string {
  const first = make();
  let value = first;
  for (let attempt = 1; taken.has(value); attempt++) value = attempt < 5 ? make() : disambiguate(first, attempt);
  taken.add(value);
  return value;
}
