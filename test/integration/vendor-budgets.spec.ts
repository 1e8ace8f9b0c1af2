import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { VendorBudgets } from '../../src/integrations/http/vendor-budgets.js';
import { VendorBudgetSpentError, VendorError } from '../../src/integrations/http/vendor-errors.js';
import { VendorHttp } from '../../src/integrations/http/vendor-http.js';
import { rateLimitWaitMs } from '../../src/sync/sync-failure.js';
import { Metrics } from '../../src/metrics/metrics.js';
import { createPostgresDatabase, POSTGRES_ADDRESS, TestDatabase } from '../support/postgres.js';
import { TcpProxy } from '../support/tcp-proxy.js';

/*
 * VendorHttp takes every request from its credential's budget (rate-limiter-flexible), against a loopback
 * vendor that counts what reaches it: several windows per vendor, short waits waited out, long ones raised.
 */

let server: Server;
let url: string;
let arrived = 0;

beforeAll(async () => {
  server = createServer((_req, res) => {
    arrived++;
    res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/x`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});
beforeEach(() => {
  arrived = 0;
});

const options = { timeoutMs: 5_000, maxAttempts: 0, allowPrivateNetworks: true, maxBudgetWaitMs: 2_000 };
const failed = (promise: Promise<unknown>) => promise.then(() => Promise.reject(new Error('expected a failure')), (error: unknown) => error as VendorError);

async function waits(metrics: Metrics): Promise<Record<string, number>> {
  const json = await metrics.registry.getMetricsAsJSON();
  const values = json.find((m) => m.name === 'vendor_budget_waits_total')?.values ?? [];
  return Object.fromEntries(values.map((v) => [`${v.labels.vendor} ${v.labels.outcome}`, v.value]));
}

describe('vendor request budgets in VendorHttp (in process)', () => {
  it('takes each request from every window: a short window spent is waited out, a long one raises with its wait as Retry-After, nothing sent', async () => {
    // A short window of 2 s (a loaded machine still sends two requests within it), waited out up to 3 s.
    const budgets = VendorBudgets.inMemory({ 'defender-endpoint': [{ requests: 2, seconds: 2 }, { requests: 3, seconds: 3_600 }] });
    const metrics = new Metrics();
    const http = new VendorHttp({ ...options, maxBudgetWaitMs: 3_000 }, metrics, budgets);
    const req = { vendor: 'defender', breakerKey: 'defender:t1@v1', url, budget: { name: 'defender-endpoint' as const, key: 'entra-1|app-1' }, retryAfter: 'raise' as const };
    await http.request(req);
    await http.request(req);
    // The short window is spent: a wait of under 2 s, waited out.
    await http.request(req);
    expect(arrived).toBe(3);
    const error = await failed(http.request(req));
    expect(error).toBeInstanceOf(VendorBudgetSpentError);
    expect(error.message).toMatch(/^defender is unavailable: its request budget for this credential \(3 requests per 3600 s\) is spent: retry after \d+ s$/);
    // A sync job is put off by the rest of the hour, as after a vendor 429.
    expect(rateLimitWaitMs(error)).toBeGreaterThan(3_000_000);
    expect(error.toProblem(true)).toMatchObject({ status: 503, type: '/problems/vendor-unavailable', headers: { 'retry-after': expect.stringMatching(/^\d+$/) } });
    expect(arrived).toBe(3);
    expect(await waits(metrics)).toEqual({ 'defender waited': 1, 'defender deferred': 1 });
  });

  it('counts per credential: another key has its own budget, a request without a budget is not counted', async () => {
    const http = new VendorHttp(options, undefined, VendorBudgets.inMemory({ smileback: [{ requests: 1, seconds: 600 }] }));
    const smileback = (tenant: string) => ({ vendor: 'smileback', breakerKey: `smileback:${tenant}@v1`, url, budget: { name: 'smileback' as const } });
    await http.request(smileback('t1'));
    expect(await failed(http.request(smileback('t1')))).toBeInstanceOf(VendorBudgetSpentError);
    // A changed integration (a new breaker version) keeps the tenant's budget.
    expect(await failed(http.request({ ...smileback('t1'), breakerKey: 'smileback:t1@v2' }))).toBeInstanceOf(VendorBudgetSpentError);
    await http.request(smileback('t2'));
    await http.request({ vendor: 'connectwise', breakerKey: 'connectwise:t1', url });
    expect(arrived).toBe(3);
  });

  it('never waits past the walk deadline: a wait that would end after it raises at once', async () => {
    const http = new VendorHttp(options, undefined, VendorBudgets.inMemory({ smileback: [{ requests: 1, seconds: 2 }] }));
    const req = { vendor: 'smileback', breakerKey: 'smileback:t1', url, budget: { name: 'smileback' as const } };
    await http.request(req);
    const error = await failed(http.request({ ...req, deadlineAt: Date.now() + 500 }));
    expect(error).toBeInstanceOf(VendorBudgetSpentError);
    expect(arrived).toBe(1);
  });
});

describe('vendor request budgets on PostgreSQL', () => {
  let database: TestDatabase;
  const opened: VendorBudgets[] = [];

  beforeAll(async () => {
    database = await createPostgresDatabase();
  });
  afterAll(async () => {
    await Promise.all(opened.map((b) => b.close()));
    await database?.drop();
  });

  it('two stores on one database (two app copies) take from one budget', async () => {
    const open = async () => {
      const budgets = await VendorBudgets.onPostgres(database.url, { connectTimeoutMs: 5_000, queryTimeoutMs: 5_000 }, { smileback: [{ requests: 3, seconds: 600 }] });
      opened.push(budgets);
      return new VendorHttp(options, undefined, budgets);
    };
    const [a, b] = [await open(), await open()];
    const req = { vendor: 'smileback', breakerKey: 'smileback:t1', url, budget: { name: 'smileback' as const } };
    await a.request(req);
    await b.request(req);
    await a.request(req);
    expect(await failed(b.request(req))).toBeInstanceOf(VendorBudgetSpentError);
    expect(await failed(a.request(req))).toBeInstanceOf(VendorBudgetSpentError);
    expect(arrived).toBe(3);
  });

  it('copies booting together on a fresh database all open their budgets (the table is created once, the race lost by the others)', async () => {
    // PostgreSQL's CREATE TABLE IF NOT EXISTS is not safe against itself: a loser may get "type … already exists"
    // (42710, which the library does not absorb). The race is timing-bound, so several fresh databases are tried.
    const limits = { smileback: [{ requests: 1, seconds: 600 }] };
    for (let round = 0; round < 6; round++) {
      const fresh = await createPostgresDatabase();
      try {
        const copies = await Promise.allSettled(
          Array.from({ length: 8 }, () => VendorBudgets.onPostgres(fresh.url, { connectTimeoutMs: 5_000, queryTimeoutMs: 5_000 }, limits)),
        );
        await Promise.all(copies.map((copy) => (copy.status === 'fulfilled' ? copy.value.close() : undefined)));
        expect(copies.map((copy) => (copy.status === 'fulfilled' ? 'open' : String((copy.reason as Error).message)))).toEqual(Array(8).fill('open'));
      } finally {
        await fresh.drop();
      }
    }
  }, 60_000);

  it('an unreachable store does not stop vendor calls: the copy counts in its own memory until it is back', async () => {
    const proxy = await new TcpProxy(POSTGRES_ADDRESS.host, POSTGRES_ADDRESS.port).listen();
    try {
      const budgets = await VendorBudgets.onPostgres(database.urlVia(proxy.port), { connectTimeoutMs: 5_000, queryTimeoutMs: 5_000 }, { smileback: [{ requests: 2, seconds: 600 }] });
      opened.push(budgets);
      const http = new VendorHttp(options, undefined, budgets);
      const req = { vendor: 'smileback', breakerKey: 'smileback:outage', url, budget: { name: 'smileback' as const } };
      proxy.refuse();
      await http.request(req);
      await http.request(req);
      // Still a budget: the insurance count in memory refuses the third.
      expect(await failed(http.request(req))).toBeInstanceOf(VendorBudgetSpentError);
      expect(arrived).toBe(2);
    } finally {
      await proxy.close();
    }
  });
});
