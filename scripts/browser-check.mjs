#!/usr/bin/env node
// A real browser against the built server (dist/, mock mode, shipped data): Swagger UI's Authorize →
// Try it out → Execute on the tickets list returns data, a filter given twice is sent as a repeated
// parameter, the key survives a reload, and a page on another
// origin reads the API with Authorization + Prefer through CORS. Needs Debian's chromium
// (`apt-get install -y chromium`); CHROMIUM_PATH overrides /usr/bin/chromium. Prints each step; exits 1 on failure.
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const KEY = 'browser-check-admin-key-0123456789';
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'];

function startServer() {
  const child = spawn(process.execPath, [join(root, 'dist/main.js')], {
    cwd: root,
    env: {
      PATH: process.env.PATH ?? '',
      MOCK_MODE: 'true',
      MOCK_DATA_PATH: join(root, 'mock-data'),
      MOCK_WATCH: 'false',
      DATABASE_URL: 'sqlite::memory:',
      ADMIN_API_KEY: KEY,
      CORS_ORIGINS: '*',
      HOST: '127.0.0.1',
      PORT: '0',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    const onData = (d) => {
      out += d.toString();
      const m = /Listening on (http:\/\/[\d.]+:\d+)/.exec(out);
      if (m) resolve({ child, base: m[1] });
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => reject(new Error(`server exited (${code}):\n${out}`)));
  });
}

const step = (text) => process.stdout.write(`- ${text}\n`);
const { child, base } = await startServer();
step(`server at ${base}`);
// A "front-end" on another origin, as a Vite dev server would be.
const frontEnd = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>front-end</title>'));
await new Promise((r) => frontEnd.listen(0, '127.0.0.1', r));
const frontEndOrigin = `http://localhost:${frontEnd.address().port}`;

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: FLAGS });
let failed = false;
const check = (ok, text) => {
  step(`${ok ? 'OK  ' : 'FAIL'} ${text}`);
  if (!ok) failed = true;
};
try {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${base}/docs`);
  await page.locator('.swagger-ui .btn.authorize').first().click();
  await page.locator('.modal-ux input[type=text], .modal-ux input[type=password]').first().fill(KEY);
  await page.locator('.modal-ux .auth-btn-wrapper button.authorize').click();
  await page.locator('.modal-ux button.btn-done').click();
  step('authorized with the admin key');

  const operation = page.locator('#operations-tickets-TicketsController_list');
  await operation.locator('.opblock-summary').click();
  await operation.locator('button.try-out__btn').click();
  const filled = await operation.locator('input[placeholder="status"], input[placeholder="q"]').evaluateAll((inputs) => inputs.map((i) => i.value));
  check(filled.every((v) => v === ''), `Try it out leaves the filters empty (${JSON.stringify(filled)})`);
  await operation.locator('button.execute').click();
  const code = operation.locator('.live-responses-table tbody .response-col_status').first();
  await code.waitFor({ timeout: 20_000 });
  const status = (await code.innerText()).trim();
  const body = await operation.locator('.live-responses-table .response-col_description pre.microlight, .live-responses-table .highlight-code pre').first().innerText();
  const parsed = JSON.parse(body);
  check(status === '200' && parsed.data.length > 0, `Execute on GET /api/tenants/{tenantId}/tickets: ${status}, ${parsed.data?.length} tickets of ${parsed.meta?.total}`);

  // Filters are arrays (`explode: true`): Swagger UI sends one parameter per item, an item may be a comma list.
  const alerts = page.locator('#operations-security-alerts-SecurityAlertsController_list');
  await alerts.locator('.opblock-summary').click();
  await alerts.locator('button.try-out__btn').click();
  const severity = alerts.locator('tr[data-param-name="severity"]');
  for (const value of ['high', 'critical,low']) {
    await severity.locator('button.json-schema-form-item-add').click();
    await severity.locator('.json-schema-array input').last().fill(value);
  }
  await alerts.locator('button.execute').click();
  const alertsStatus = alerts.locator('.live-responses-table tbody .response-col_status').first();
  await alertsStatus.waitFor({ timeout: 20_000 });
  const sentUrl = await alerts.locator('.request-url pre').first().innerText();
  check(
    (await alertsStatus.innerText()).trim() === '200' && sentUrl.includes('severity=high&severity=critical%2Clow'),
    `Execute on GET /api/tenants/{tenantId}/security-alerts with two severity items: ${(await alertsStatus.innerText()).trim()} for ${sentUrl}`,
  );

  await page.reload();
  const persisted = await page.evaluate(() => localStorage.getItem('authorized') ?? '');
  check(persisted.includes('bearer'), 'the key is kept across a reload (persistAuthorization)');

  const other = await context.newPage();
  await other.goto(frontEndOrigin);
  const result = await other.evaluate(
    async ({ base, key }) => {
      const res = await fetch(`${base}/api/tenants/tenant_demo_cca/security-alerts?page_size=1`, {
        headers: { Authorization: `Bearer ${key}`, Prefer: 'stale' },
      });
      const failedRes = await fetch(`${base}/api/tenants/tenant_demo_cca/tickets`, { headers: { Authorization: `Bearer ${key}`, Prefer: 'code=503' } });
      return {
        status: res.status,
        warning: res.headers.get('warning'),
        stale: res.headers.get('x-stale-vendors'),
        applied: res.headers.get('preference-applied'),
        total: (await res.json()).meta.total,
        failed: failedRes.status,
        retryAfter: failedRes.headers.get('retry-after'),
        type: (await failedRes.json()).type,
      };
    },
    { base, key: KEY },
  );
  check(
    result.status === 200 && result.warning === '110 - "stale"' && result.stale === 'defender,sentinelone' && result.applied === 'stale' && result.total > 0,
    `a page on ${frontEndOrigin} reads the API with Authorization + Prefer: stale through CORS ${JSON.stringify(result)}`,
  );
  check(result.failed === 503 && result.retryAfter === '30' && result.type === '/problems/vendor-unavailable', 'and reads a Prefer: code=503 answer with its Retry-After');
} catch (error) {
  failed = true;
  step(`FAIL ${error instanceof Error ? error.message : String(error)}`);
} finally {
  await browser.close();
  frontEnd.close();
  child.kill('SIGTERM');
}
process.stdout.write(failed ? 'browser check FAILED\n' : 'browser check passed\n');
process.exit(failed ? 1 : 0);
