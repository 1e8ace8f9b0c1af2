#!/usr/bin/env node
// What a conditional GET saves: on a generated mock-data folder, the same ticket-list page (and the
// tenant's summary) asked without If-None-Match (200, full answer) and with the tag it got (304, decided
// before the route reads anything), in interleaved short rounds; prints medians and the ratio.
// Usage: npm run build && node scripts/bench-etag.mjs [--rounds 5] [--duration 3] [--tickets 20000]
import autocannon from 'autocannon';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { bootServer } from './boot-server.mjs';

const { values: opts } = parseArgs({
  options: { rounds: { type: 'string', default: '5' }, duration: { type: 'string', default: '3' }, tickets: { type: 'string', default: '20000' } },
});
const TICKETS = Number(opts.tickets);
const KEY = 'bench-admin-key-0123456789abcdef';
const DATA = join(tmpdir(), `msp-bench-etag-${TICKETS}`);
if (!existsSync(join(DATA, 'tenants.json'))) {
  execFileSync(process.execPath, ['dist/cli/mock-cli.js', 'generate', '--out', DATA, '--tenants', '1', '--tickets', String(TICKETS),
    '--time-entries', String(TICKETS * 2), '--csat', String(TICKETS / 5), '--alerts', String(TICKETS / 2)], { stdio: 'ignore' });
}
const { child, base } = await bootServer(KEY, { MOCK_DATA_PATH: DATA });
const auth = { authorization: `Bearer ${KEY}` };
try {
  const listed = await (await fetch(`${base}/api/tenants`, { headers: auth })).json();
  const tenant = (Array.isArray(listed) ? listed : listed.data)[0].id;
  const paths = {
    'tickets page (100 of the tenant, status filter)': `/api/tenants/${tenant}/tickets?status=New&page_size=100`,
    'summary (default window)': `/api/tenants/${tenant}/summary`,
  };
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const load = (url, headers) =>
    autocannon({ url: `${base}${url}`, connections: 10, duration: Number(opts.duration), headers: { ...auth, ...headers } });
  console.log(`load average before: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  for (const [name, url] of Object.entries(paths)) {
    const etag = (await fetch(`${base}${url}`, { headers: auth })).headers.get('etag');
    const check = await fetch(`${base}${url}`, { headers: { ...auth, 'if-none-match': etag } });
    if (check.status !== 304) throw new Error(`${url}: expected 304, got ${check.status}`);
    const full = [];
    const conditional = [];
    for (let round = 0; round < Number(opts.rounds); round++) {
      full.push((await load(url, {})).requests.average);
      conditional.push((await load(url, { 'if-none-match': etag })).requests.average);
    }
    const [f, c] = [median(full), median(conditional)];
    console.log(`${name}: 200 ${Math.round(f)} req/s, 304 ${Math.round(c)} req/s, ratio ${(c / f).toFixed(2)}×`);
  }
  console.log(`load average after: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
} finally {
  child.kill();
}
