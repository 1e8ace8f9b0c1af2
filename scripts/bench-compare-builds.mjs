#!/usr/bin/env node
// Compares the server's CPU time per request of two builds and of the bare reference app, in interleaved
// rounds (medians): e.g. `main`'s build in another folder against this one's `dist/`.
// Usage: node scripts/bench-compare-builds.mjs OTHER_DIST/main.js PATH [--rounds 5] [--duration 3] [--data DIR]
import autocannon from 'autocannon';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { bootServer } from './boot-server.mjs';

const { values: opts, positionals } = parseArgs({
  allowPositionals: true,
  options: { rounds: { type: 'string', default: '5' }, duration: { type: 'string', default: '3' }, data: { type: 'string', default: './mock-data' } },
});
const [otherMain, path] = positionals;
if (!otherMain || !path) throw new Error('usage: bench-compare-builds.mjs OTHER_DIST/main.js PATH');
const KEY = 'bench-admin-key-0123456789abcdef';
const env = { MOCK_DATA_PATH: opts.data, CORS_ORIGINS: 'http://localhost:5173' };

const cpuMs = (pid) => {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
};
async function cpuPerRequest(app, route) {
  const before = cpuMs(app.child.pid);
  const result = await autocannon({
    url: app.base,
    connections: 10,
    duration: Number(opts.duration),
    headers: { authorization: `Bearer ${KEY}` },
    requests: [{ method: 'GET', path: route }],
  });
  return (1000 * (cpuMs(app.child.pid) - before)) / result.requests.total;
}

const apps = {
  bare: [await bootServer(KEY, {}, { script: 'scripts/bench-bare-app.mjs', ready: '/constant' }), '/constant'],
  other: [await bootServer(KEY, env, { script: otherMain }), path],
  this: [await bootServer(KEY, env), path],
};
const figures = { bare: [], other: [], this: [] };
try {
  for (let r = 0; r < Number(opts.rounds); r++) for (const [name, [app, route]] of Object.entries(apps)) figures[name].push(await cpuPerRequest(app, route));
} finally {
  for (const [app] of Object.values(apps)) app.child.kill();
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const bare = median(figures.bare);
console.log(`${path}: CPU per request (medians of ${opts.rounds} rounds), and the bare app's as a share of it; then the lowest round and the spread`);
// On a shared machine the neighbours only ever add CPU time per request, so the lowest round is the steadier figure for an A/B.
for (const [name, xs] of Object.entries(figures)) {
  const sorted = [...xs].sort((a, b) => a - b);
  console.log(
    `  ${name.padEnd(5)} ${median(xs).toFixed(0).padStart(5)} µs  ${((100 * bare) / median(xs)).toFixed(1).padStart(5)} %   lowest ${sorted[0].toFixed(0).padStart(5)} µs   rounds ${sorted.map((x) => x.toFixed(0)).join(' ')}`,
  );
}
