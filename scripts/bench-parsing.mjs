// After `npm run build`: the hand-read instant against Date.parse, and the ETag digest (SHA-1 against SHA-256) on a 480 KB page; rounds interleaved, medians.
import { hash, randomBytes } from 'node:crypto';
import { instantMs } from '../dist/common/query/instants.js';

const ROUNDS = 15;
const median = (xs) => xs.sort((a, b) => a - b)[xs.length >> 1];
const timed = (f) => {
  const t = performance.now();
  f();
  return performance.now() - t;
};

function compare(label, a, b) {
  const ta = [];
  const tb = [];
  for (let r = 0; r < ROUNDS; r++) {
    ta.push(timed(a.run));
    tb.push(timed(b.run));
  }
  const [ma, mb] = [median(ta), median(tb)];
  console.log(`${label}: ${a.name} ${ma.toFixed(2)} ms, ${b.name} ${mb.toFixed(2)} ms (${(ma / mb).toFixed(1)} ×)`);
}

const n = 200_000;
const instants = Array.from({ length: n }, (_, i) => new Date(1_700_000_000_000 + i * 60_007).toISOString().replace('.000Z', 'Z'));
let sink = 0;
compare(
  `${n} record instants`,
  { name: 'Date.parse', run: () => instants.forEach((x) => (sink += Date.parse(x))) },
  { name: 'instantMs', run: () => instants.forEach((x) => (sink += instantMs(x))) },
);
const page = randomBytes(360 * 1024).toString('base64');
const each = (algorithm) => () => {
  for (let i = 0; i < 20; i++) hash(algorithm, page, 'base64url');
};
compare('20 digests of a 480 KB page', { name: 'SHA-256', run: each('sha256') }, { name: 'SHA-1', run: each('sha1') });
if (Number.isNaN(sink)) console.log('');
