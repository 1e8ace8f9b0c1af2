/**
 * Live-mode benchmark (prints figures; asserts nothing about time): a ConnectWise tenant with 5 000
 * tickets and time entries, SmileBack, SentinelOne and Defender on loopback fakes. For each domain it
 * counts the vendor calls a cold request makes, then times cached requests.
 * Run: npm run bench:live
 */
import request from 'supertest';
import { bootApp, server, TEST_ADMIN_KEY, TestApp } from '../support/app.js';
import { FakeConnectWise } from '../fakes/fake-connectwise.js';
import { isoAgo, seedConnectWiseTickets } from './connectwise-tickets.js';
import { FakeSmileBack } from '../fakes/fake-smileback.js';
import { FakeSentinelOne } from '../fakes/fake-sentinelone.js';
import { FakeDefender } from '../fakes/fake-defender.js';

const TICKETS = Number(process.env.BENCH_TICKETS ?? 5000);
const CACHED_REQUESTS = 300;
const TENANT = 'tenant_bench';

function seedConnectWise(cw: FakeConnectWise): void {
  seedConnectWiseTickets(cw, TICKETS);
  cw.timeEntries = Array.from({ length: TICKETS }, (_, i) => ({
    id: 50_000 + i,
    chargeToId: 10_000 + i,
    chargeToType: 'ServiceTicket',
    member: { id: (i % 20) + 1 },
    workType: { id: 1, name: 'Remote Support' },
    billableOption: 'Billable',
    actualHours: 0.5,
    notes: 'Worked on it',
    timeStart: isoAgo(3_600_000 * 2 + i * 1000),
    _info: { lastUpdated: isoAgo(3_600_000 + i * 1000) },
  }));
}

async function main(): Promise<void> {
  const [cw, smb, s1, def] = await Promise.all([FakeConnectWise.start(), FakeSmileBack.start(), FakeSentinelOne.start(), FakeDefender.start()]);
  seedConnectWise(cw);
  let t: TestApp | undefined;
  try {
    t = await bootApp({ MOCK_MODE: 'false', MOCK_DATA_PATH: undefined, DATABASE_URL: 'sqlite::memory:', CACHE_TTL_SECONDS: '3600' });
    const admin = (method: 'post' | 'put', path: string, body: object) =>
      request(server(t!.app))[method](path).set('authorization', `Bearer ${TEST_ADMIN_KEY}`).send(body);
    await admin('post', '/api/admin/tenants', { id: TENANT, name: 'Bench MSP', is_active: true, llm_enabled: false }).expect(201);
    await admin('put', `/api/admin/tenants/${TENANT}/integrations/connectwise`, cw.integration()).expect(200);
    await admin('put', `/api/admin/tenants/${TENANT}/integrations/smileback`, smb.integration()).expect(200);
    await admin('put', `/api/admin/tenants/${TENANT}/integrations/sentinelone`, s1.integration()).expect(200);
    await admin('put', `/api/admin/tenants/${TENANT}/integrations/defender`, def.integration()).expect(200);

    const fakes = [cw, smb, s1, def];
    const callCount = () => fakes.reduce((n, f) => n + f.calls(), 0);
    const rows: string[] = [];
    const measure = async (label: string, path: string) => {
      const before = callCount();
      const notesBefore = cw.calls('/notes');
      const started = performance.now();
      const res = await t!.get(path);
      const coldMs = performance.now() - started;
      if (res.status !== 200) throw new Error(`${path}: ${res.status} ${res.text.slice(0, 200)}`);
      const calls = callCount() - before;
      const notes = cw.calls('/notes') - notesBefore;
      const times: number[] = [];
      for (let i = 0; i < CACHED_REQUESTS; i++) {
        const s = performance.now();
        await t!.get(path).expect(200);
        times.push(performance.now() - s);
      }
      times.sort((a, b) => a - b);
      const after = callCount() - before - calls;
      rows.push(
        `${label.padEnd(34)} cold: ${String(calls).padStart(5)} vendor calls (${notes} note calls), ${coldMs.toFixed(0).padStart(6)} ms | ` +
          `cached x${CACHED_REQUESTS}: p50 ${times[CACHED_REQUESTS / 2].toFixed(2)} ms, p99 ${times[Math.floor(CACHED_REQUESTS * 0.99)].toFixed(2)} ms, ${after} more vendor calls`,
      );
    };
    await measure('tickets (page 1 of 50)', `/api/tenants/${TENANT}/tickets`);
    await measure('tickets company=Client 1, q=vpn', `/api/tenants/${TENANT}/tickets?company=Client%201&q=vpn&page_size=10`);
    await measure('time-entries (page 1 of 50)', `/api/tenants/${TENANT}/time-entries`);
    await measure('csat', `/api/tenants/${TENANT}/csat`);
    await measure('security-alerts (S1 + Defender)', `/api/tenants/${TENANT}/security-alerts`);
    process.stdout.write(`\nlive mode, ${TICKETS} ConnectWise tickets and time entries (page size 1000), node ${process.version}\n${rows.join('\n')}\n\n`);
  } finally {
    await t?.close();
    await Promise.all([cw, smb, s1, def].map((f) => f.close()));
  }
}

it('prints live-mode figures', async () => {
  await main();
}, 300_000);
