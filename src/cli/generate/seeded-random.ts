// The generator's only source of randomness: one Faker, reseeded per tenant and record kind.
import type { Faker } from '@faker-js/faker';
import { MINUTE } from './time-and-ids.js';

/** Independent random streams per tenant, so e.g. changing --alerts leaves tickets unchanged. */
export const Stream = { Context: 1, Tickets: 2, TimeEntries: 3, Csat: 4, Alerts: 5, TenantList: 6 } as const;
export type Stream = (typeof Stream)[keyof typeof Stream];

export class Rng {
  private readonly seedWords: [number, number];

  constructor(
    readonly faker: Faker,
    seed: number,
  ) {
    // Two 32-bit words so every safe integer seeds a distinct stream.
    const high = Math.floor(seed / 2 ** 32);
    this.seedWords = [seed - high * 2 ** 32, high >>> 0];
  }

  reseed(tenantIndex: number, stream: Stream): this {
    this.faker.seed([...this.seedWords, tenantIndex, stream]);
    return this;
  }

  float(): number {
    return this.faker.number.float();
  }

  int(min: number, max: number): number {
    return min + Math.floor(this.float() * (max - min + 1));
  }

  chance(probability: number): boolean {
    return this.float() < probability;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.float() * items.length)];
  }

  weighted<T>(table: readonly (readonly [T, number])[]): T {
    const sum = table.reduce((s, [, w]) => s + w, 0);
    let r = this.float() * sum;
    for (const [value, weight] of table) {
      r -= weight;
      if (r < 0) return value;
    }
    return table[table.length - 1][0];
  }

  /** A whole number of minutes in [minMinutes, maxMinutes], as milliseconds. */
  minutes(minMinutes: number, maxMinutes: number): number {
    return this.int(minMinutes, maxMinutes) * MINUTE;
  }
}

/** Makes every required value occur, by changing plans whose current value occurs more than once. */
export function ensureCoverage<P extends Record<K, string>, K extends keyof P>(
  rng: Rng,
  plans: P[],
  key: K,
  required: readonly P[K][],
  fixedValues: readonly string[],
): void {
  const counts = new Map<string, number>();
  for (const v of [...fixedValues, ...plans.map((p) => p[key])]) counts.set(v, (counts.get(v) ?? 0) + 1);
  for (const value of required) {
    if (counts.has(value)) continue;
    const candidates = plans.filter((p) => (counts.get(p[key]) ?? 0) > 1);
    if (candidates.length === 0) return;
    const plan = rng.pick(candidates);
    counts.set(plan[key], (counts.get(plan[key]) ?? 0) - 1);
    counts.set(value, 1);
    plan[key] = value;
  }
}
