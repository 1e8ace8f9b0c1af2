import { connect } from 'node:net';
import request from 'supertest';
import type { INestApplication } from '@nestjs/common';
import type { CwMember, CwServiceNote, CwTicket, CwTimeEntry } from '../../src/integrations/connectwise/connectwise.client.js';
import type { DefenderGraphAlert } from '../../src/integrations/defender/defender.client.js';
import type { SentinelOneThreat } from '../../src/integrations/sentinelone/sentinelone.client.js';
import type { SmileBackReview } from '../../src/integrations/smileback/smileback.client.js';
import { FakeConnectWise } from '../fakes/fake-connectwise.js';
import { FakeDefender } from '../fakes/fake-defender.js';
import { FakeSentinelOne } from '../fakes/fake-sentinelone.js';
import { FakeSmileBack } from '../fakes/fake-smileback.js';
import { server, TEST_ADMIN_KEY } from './app.js';
import { REDIS_ADDRESS, REDIS_URL } from './services.js';

export { describeWithRedis, REDIS_URL } from './services.js';

/** Live mode over the fakes, with vendor delays small enough for a test run. */
export const LIVE_ENV: Record<string, string | undefined> = {
  MOCK_MODE: 'false',
  MOCK_DATA_PATH: undefined,
  DATABASE_URL: 'sqlite::memory:',
  REDIS_URL: undefined,
  VENDOR_RETRY_BASE_MS: '5',
  VENDOR_TIMEOUT_MS: '500',
  VENDOR_MAX_RETRIES: '2',
  VENDOR_BREAKER_COOLDOWN_MS: '1000',
};

export const ADMIN = `Bearer ${TEST_ADMIN_KEY}`;

/** The page size every live client asks its vendor for (the clients' maximum; not configurable). */
export const VENDOR_PAGE_SIZE = 1000;

// ---------------------------------------------------------------------------------------------
// Dates: relative to today (UTC), so the data stays inside the default 90-day live window.

const DAY_MS = 86_400_000;
const now = new Date();
const TODAY_MS = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());

/** The calendar day `n` days before today (UTC), `YYYY-MM-DD`. */
export function day(n: number): string {
  return new Date(TODAY_MS - n * DAY_MS).toISOString().slice(0, 10);
}

/** `n` days ago at this UTC wall-clock time, e.g. at(3, '09:00:00') → `2026-11-24T09:00:00Z`. */
export function at(n: number, time = '12:00:00'): string {
  return `${day(n)}T${time}Z`;
}

const hh = (n: number) => String(n % 24).padStart(2, '0');
const mm = (n: number) => String(n % 60).padStart(2, '0');

// ---------------------------------------------------------------------------------------------
// Fakes

export interface Fakes {
  connectwise: FakeConnectWise;
  smileback: FakeSmileBack;
  sentinelone: FakeSentinelOne;
  defender: FakeDefender;
}

export type VendorName = keyof Fakes;

export async function startFakes(): Promise<Fakes> {
  const [connectwise, smileback, sentinelone, defender] = await Promise.all([
    FakeConnectWise.start(),
    FakeSmileBack.start(),
    FakeSentinelOne.start(),
    FakeDefender.start(),
  ]);
  return { connectwise, smileback, sentinelone, defender };
}

export async function closeFakes(fakes: Partial<Fakes> | undefined): Promise<void> {
  if (!fakes) return;
  await Promise.all(Object.values(fakes).map((fake) => fake?.close()));
}

/** Every secret a fake hands out: none may appear in a response body. */
export function fakeSecrets(fakes: Partial<Fakes>): string[] {
  const secrets: string[] = [];
  if (fakes.connectwise) {
    const c = fakes.connectwise.credentials;
    secrets.push(c.private_key, Buffer.from(`${c.company_id}+${c.public_key}:${c.private_key}`).toString('base64'));
  }
  if (fakes.smileback) secrets.push(fakes.smileback.credentials.client_secret, fakes.smileback.credentials.password);
  if (fakes.sentinelone) secrets.push(fakes.sentinelone.apiToken);
  if (fakes.defender) secrets.push(fakes.defender.credentials.client_secret);
  return secrets;
}

// ---------------------------------------------------------------------------------------------
// Admin API

export function call(app: INestApplication, key = TEST_ADMIN_KEY) {
  const auth = `Bearer ${key}`;
  return {
    get: (path: string) => request(server(app)).get(path).set('authorization', auth),
    post: (path: string, body?: object) => request(server(app)).post(path).set('authorization', auth).send(body ?? {}),
    put: (path: string, body: object) => request(server(app)).put(path).set('authorization', auth).send(body),
  };
}

/**
 * Registers a tenant through `POST /api/admin/tenants`, and one integration per fake given through
 * `PUT /api/admin/tenants/{id}/integrations/{vendor}` (base_url / login_url point at the fake).
 */
export async function registerTenant(
  app: INestApplication,
  id: string,
  fakes: Partial<Fakes>,
  overrides: Partial<Record<VendorName, Record<string, unknown>>> = {},
): Promise<void> {
  const admin = call(app);
  const created = await admin.post('/api/admin/tenants', { id, name: `Tenant ${id}`, is_active: true, llm_enabled: false });
  if (created.status !== 201) throw new Error(`creating ${id}: ${created.status} ${created.text}`);
  for (const [vendor, fake] of Object.entries(fakes) as Array<[VendorName, Fakes[VendorName]]>) {
    const body = { ...fake.integration(), ...overrides[vendor] };
    const put = await admin.put(`/api/admin/tenants/${id}/integrations/${vendor}`, body);
    if (put.status !== 200) throw new Error(`integration ${vendor} of ${id}: ${put.status} ${put.text}`);
  }
}

/** A tenant key minted through `POST /api/admin/api-keys`. */
export async function mintTenantKey(app: INestApplication, tenants: string[]): Promise<string> {
  const res = await call(app).post('/api/admin/api-keys', { name: `key for ${tenants.join(',')}`, scope: { tenants } });
  if (res.status !== 201) throw new Error(`minting a key: ${res.status} ${res.text}`);
  return res.body.key as string;
}

/** Every page of a list route (page_size 1000), concatenated. */
export async function listAll<T>(app: INestApplication, path: string, key = TEST_ADMIN_KEY): Promise<T[]> {
  const rows: T[] = [];
  for (let page = 1; ; page++) {
    const sep = path.includes('?') ? '&' : '?';
    const res = await call(app, key).get(`${path}${sep}page=${page}&page_size=1000`);
    if (res.status !== 200) throw new Error(`${path} page ${page}: ${res.status} ${res.text}`);
    rows.push(...(res.body.data as T[]));
    if (res.body.data.length === 0 || rows.length >= res.body.meta.total) return rows;
  }
}

// ---------------------------------------------------------------------------------------------
// Realistic vendor data in bulk (for paging and counts; the exact mapping is checked on small,
// hand-written sets in the specs).

export const MEMBERS: CwMember[] = [
  { id: 176, identifier: 'jdoe', officeEmail: 'jdoe@msp.example', primaryEmail: 'john.doe@home.example', inactiveFlag: false },
  { id: 177, identifier: 'asmith', officeEmail: null, primaryEmail: 'asmith@msp.example', inactiveFlag: false },
  { id: 178, identifier: 'bking', officeEmail: 'bking@msp.example', primaryEmail: null, inactiveFlag: false },
];
export const MEMBER_EMAILS: Record<number, string> = { 176: 'jdoe@msp.example', 177: 'asmith@msp.example', 178: 'bking@msp.example' };

const BULK_COMPANIES = ['Bluth Company', 'Wayne Enterprises', 'Stark Industries', 'Umbrella Corp'];
const BULK_SUMMARIES = ['Laptop will not connect to Wi-Fi', 'New starter account setup', 'VPN drops every hour', 'Shared mailbox permissions'];

/** `count` ConnectWise tickets from `firstId`, last updated 10–59 days ago, each with a detail note. */
export function bulkTickets(count: number, firstId: number): { tickets: CwTicket[]; notes: CwServiceNote[] } {
  const tickets: CwTicket[] = [];
  const notes: CwServiceNote[] = [];
  for (let i = 0; i < count; i++) {
    const id = firstId + i;
    const updatedDay = 10 + (i % 50);
    const closed = i % 5 === 0;
    tickets.push({
      id,
      summary: `${BULK_SUMMARIES[i % BULK_SUMMARIES.length]} (${id})`,
      recordType: 'ServiceTicket',
      board: { id: 1 + (i % 2), name: i % 2 === 0 ? 'Service' : 'Projects' },
      status: { id: closed ? 9 : 1, name: closed ? 'Closed' : 'New' },
      priority: { id: 8, name: 'Priority 3 - Normal Response' },
      company: { id: 250 + (i % 4), identifier: `co${i % 4}`, name: BULK_COMPANIES[i % BULK_COMPANIES.length] },
      owner: i % 4 === 3 ? null : { id: MEMBERS[i % 3].id as number, identifier: MEMBERS[i % 3].identifier },
      slaStatus: i % 3 === 0 ? 'Resolved' : null,
      budgetHours: i % 7 === 0 ? null : (i % 8) / 2,
      closedFlag: closed,
      closedDate: closed ? at(updatedDay, `${hh(i)}:${mm(i)}:00`) : null,
      _info: { dateEntered: at(updatedDay + 1, '08:00:00'), lastUpdated: at(updatedDay, `${hh(i)}:${mm(i)}:00`) },
    });
    notes.push({ id: 10_000_000 + i * 2, ticketId: id, text: `Details for ticket ${id}`, detailDescriptionFlag: true, internalAnalysisFlag: false });
    notes.push({ id: 10_000_000 + i * 2 + 1, ticketId: id, text: `Called the user back about ${id}`, detailDescriptionFlag: false, internalAnalysisFlag: true });
  }
  return { tickets, notes };
}

const WORK_TYPES = ['Remote Support', 'Onsite', 'Admin'];

/** `count` ConnectWise time entries from `firstId`, worked 10–59 days ago, charged to `ticketIds` in turn. */
export function bulkTimeEntries(count: number, firstId: number, ticketIds: number[]): CwTimeEntry[] {
  return Array.from({ length: count }, (_, i) => {
    const workedDay = 10 + (i % 50);
    return {
      id: firstId + i,
      chargeToId: i % 6 === 5 ? 31 : ticketIds[i % ticketIds.length],
      chargeToType: i % 6 === 5 ? 'ChargeCode' : 'ServiceTicket',
      member: { id: MEMBERS[i % 3].id as number, identifier: MEMBERS[i % 3].identifier },
      workType: { id: 1 + (i % 3), name: WORK_TYPES[i % 3] },
      billableOption: i % 2 === 0 ? 'Billable' : 'DoNotBill',
      actualHours: ((i % 8) + 1) / 4,
      notes: `Worked on it (${firstId + i})`,
      timeStart: at(workedDay, `${hh(9 + (i % 8))}:00:00`),
      timeEnd: at(workedDay, `${hh(10 + (i % 8))}:00:00`),
      _info: { lastUpdated: at(workedDay, '18:00:00') },
    };
  });
}

/** `count` rated SmileBack reviews from `firstId`, rated 10–59 days ago. */
export function bulkReviews(count: number, firstId: number): SmileBackReview[] {
  return Array.from({ length: count }, (_, i) => {
    const ratedDay = 10 + (i % 50);
    return {
      id: firstId + i,
      rating: [1, 1, 0, -1][i % 4],
      comment: i % 3 === 0 ? null : `Feedback ${firstId + i}`,
      ticket: { id: String(300_000 + i), title: 'Ticket' },
      status: 'closed',
      rated_on: at(ratedDay, `${hh(i)}:${mm(i)}:00.000000`),
      last_modified: at(ratedDay, `${hh(i)}:${mm(i)}:30`),
    };
  });
}

/** `count` SentinelOne threats, identified 10–59 days ago. */
export function bulkThreats(count: number, firstId: number): SentinelOneThreat[] {
  return Array.from({ length: count }, (_, i) => {
    const detectedDay = 10 + (i % 50);
    const resolved = i % 3 === 0;
    return {
      id: String(1_800_000_000_000_000_000n + BigInt(firstId + i)),
      agentRealtimeInfo: { accountId: 'acc-1', siteId: 'site-1', agentComputerName: `WS-${String(i % 40).padStart(3, '0')}` },
      threatInfo: {
        threatName: `payload-${i}.exe`,
        classification: 'Malware',
        confidenceLevel: i % 2 === 0 ? 'malicious' : 'suspicious',
        mitigationStatus: 'mitigated',
        incidentStatus: resolved ? 'resolved' : 'unresolved',
        analystVerdict: 'undefined',
        identifiedAt: at(detectedDay, `${hh(i)}:${mm(i)}:01.500000`),
        createdAt: at(detectedDay, `${hh(i)}:${mm(i)}:02.000000`),
        updatedAt: at(detectedDay - 1, `${hh(i)}:${mm(i)}:03.000000`),
      },
    };
  });
}

/** `count` Defender (Graph alerts_v2, MDE) alerts, created 10–59 days ago. */
export function bulkGraphAlerts(count: number, firstId: number): DefenderGraphAlert[] {
  return Array.from({ length: count }, (_, i) => {
    const createdDay = 10 + (i % 50);
    const resolved = i % 4 === 0;
    return {
      id: `da${firstId + i}`,
      title: `Suspicious process ${i}`,
      severity: ['low', 'medium', 'high', 'informational'][i % 4],
      status: resolved ? 'resolved' : 'new',
      serviceSource: 'microsoftDefenderForEndpoint',
      createdDateTime: `${at(createdDay, `${hh(i)}:${mm(i)}:10`).slice(0, -1)}.1234567Z`,
      lastUpdateDateTime: at(createdDay - 1, '06:00:00'),
      resolvedDateTime: resolved ? at(createdDay - 1, '06:00:00') : null,
      evidence: [{ '@odata.type': '#microsoft.graph.security.deviceEvidence', deviceDnsName: `ws-${i % 40}.corp.example`, roles: [] }],
    };
  });
}

// ---------------------------------------------------------------------------------------------
// Redis (the run's: see services.ts): suites needing it use describeWithRedis, and fail when it stops answering.

/** Resolves when Redis answers PING; rejects naming the address otherwise. */
export function pingRedis(host = REDIS_ADDRESS.host, port = REDIS_ADDRESS.port, timeoutMs = 2000): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port });
    const fail = (why: string) => {
      socket.destroy();
      reject(new Error(`Redis at ${host}:${port} is required by this suite and ${why}`));
    };
    const timer = setTimeout(() => fail(`did not answer within ${timeoutMs} ms`), timeoutMs);
    socket.once('error', (error) => {
      clearTimeout(timer);
      fail(`is unreachable (${error.message})`);
    });
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => {
      clearTimeout(timer);
      socket.end();
      if (data.toString().startsWith('+PONG')) resolve();
      else fail(`answered ${JSON.stringify(data.toString().trim())} to PING`);
    });
  });
}
