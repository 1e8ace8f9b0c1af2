import { compareCodePoints } from '../common/query/query-engine.js';

/** Half away from zero, on the decimal value (so 1.005 → 1.01); null stays null. */
export function round(value: number | null, decimals: number): number | null {
  if (value === null || !Number.isFinite(value)) return null;
  const abs = Math.abs(value);
  // Shifting the decimal text avoids binary artefacts (1.005 · 100 = 100.49999…); text already in
  // exponent form (below 1e-6 or from 1e21) is far from any half and rounds arithmetically.
  const magnitude = /e/i.test(String(abs))
    ? Math.round(abs * 10 ** decimals) / 10 ** decimals
    : Number(`${Math.round(Number(`${abs}e${decimals}`))}e-${decimals}`);
  return magnitude === 0 ? 0 : Math.sign(value) * magnitude;
}

export const ratio = (part: number, whole: number): number | null => (whole === 0 ? null : part / whole);
export const mean = (sum: number, count: number): number | null => (count === 0 ? null : sum / count);
/**
 * `sum / count` in `unit`s as ONE division (`sum / (count · unit)`, both exact integers): correctly rounded,
 * so an exact half such as 0.275 h stays 0.275 for `round` — `(sum / unit) / count` gives 0.27499999999999997.
 */
export const meanIn = (sum: number, count: number, unit: number): number | null => (count === 0 ? null : sum / (count * unit));

export function sortedCounts(counts: Map<string, number>): Record<string, number> {
  return Object.fromEntries([...counts.keys()].sort(compareCodePoints).map((key) => [key, counts.get(key) as number]));
}

export const netCsat = (positive: number, negative: number, responses: number): number | null =>
  responses === 0 ? null : (100 * (positive - negative)) / responses;
