#!/usr/bin/env node
// Micro-benchmark of query validation in the built code (`npm run build` first): the app's pipe with
// the compiled query path against the same pipe forced onto Nest's generic ValidationPipe
// (class-transformer + class-validator per request), over 200 ticket-list queries shaped like
// `npm run bench`'s mixed workload, plus insights series queries. Interleaved rounds, medians.
// A benchmark, not a test: it prints figures and asserts nothing.
// Usage: node scripts/bench-query-validation.mjs [--rounds 7] [--ms 400]
import 'reflect-metadata';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { createValidationPipe } from '../dist/common/validation/validation-pipe.js';
import { ListTicketsQuery } from '../dist/tickets/list-tickets-query.dto.js';
import { SeriesQuery } from '../dist/insights/summary-query.dto.js';

const { values: opts } = parseArgs({ options: { rounds: { type: 'string', default: '7' }, ms: { type: 'string', default: '400' } } });

function random(seed) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Fastify's query objects (prototype-less), shaped like bench.mjs's mixed ticket lists. */
function ticketQueries() {
  const rnd = random(7);
  const pick = (list) => list[Math.floor(rnd() * list.length)];
  const vocab = {
    status: ['New', 'In Progress', 'Waiting', 'Closed'],
    priority: ['Low', 'Medium', 'High', 'Critical'],
    board: ['Service', 'Project'],
    company: ['Acme Corp', 'Huel, Ward and Schoen', 'Globex'],
    owner: ['tech1@msp.com', 'tech2@msp.com'],
    sla_status: ['Resolved', 'Responded'],
  };
  const fields = ['cw_ticket_id', 'board', 'status', 'priority', 'summary', 'company', 'owner', 'created_at_remote', 'updated_at_remote', 'estimated_hours'];
  const out = [];
  for (let i = 0; i < 200; i++) {
    const q = new URLSearchParams();
    for (let f = Math.floor(rnd() * 3); f > 0; f--) {
      const field = pick(Object.keys(vocab));
      q.set(field, rnd() < 0.3 ? [pick(vocab[field]), pick(vocab[field])].map((v) => v.replace(/,/g, '\\,')).join(',') : pick(vocab[field]));
    }
    if (rnd() < 0.3) {
      q.set('created_from', '2026-01-05');
      q.set('updated_to', '2026-01-20T12:00:00Z');
    }
    if (rnd() < 0.1) q.set('q', pick(['outlook', 'printer', 'vpn']));
    if (rnd() < 0.8) q.set('sort', `${rnd() < 0.5 ? '-' : ''}${pick(fields)}`);
    q.set('page', String(1 + Math.floor(rnd() * 20)));
    q.set('page_size', String(pick([10, 25, 50, 100])));
    const query = Object.create(null);
    for (const [k, v] of q) query[k] = v;
    out.push(query);
  }
  return out;
}

const seriesQueries = ['day', 'week', 'month'].map((interval) =>
  Object.assign(Object.create(null), { interval, from: '2025-02-01T00:00:00Z', to: '2026-02-01T00:00:00Z' }),
);

async function rate(pipe, metatype, queries) {
  const metadata = { type: 'query', metatype, data: undefined };
  let n = 0;
  const end = performance.now() + Number(opts.ms);
  while (performance.now() < end) {
    for (let i = 0; i < 50; i++) await pipe.transform(queries[(n + i) % queries.length], metadata);
    n += 50;
  }
  return (Number(opts.ms) * 1000) / n; // µs per query
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const pipes = { generic: createValidationPipe({ compiled: false }), compiled: createValidationPipe() };
const cases = { 'ticket list queries (200)': [ListTicketsQuery, ticketQueries()], 'series queries': [SeriesQuery, seriesQueries] };

console.log(`node ${process.version}, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
for (const [name, [dto, queries]] of Object.entries(cases)) {
  const times = { generic: [], compiled: [] };
  for (let r = 0; r < Number(opts.rounds); r++) for (const [kind, pipe] of Object.entries(pipes)) times[kind].push(await rate(pipe, dto, queries));
  const [g, c] = [median(times.generic), median(times.compiled)];
  console.log(`${name.padEnd(28)} generic ${g.toFixed(2).padStart(6)} µs/query   compiled ${c.toFixed(2).padStart(6)} µs/query   ${(g / c).toFixed(1)}× faster`);
}
console.log(`load average after: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
