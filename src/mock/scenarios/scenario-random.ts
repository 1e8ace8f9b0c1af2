import { randomInt } from 'node:crypto';
import { RandomGenerator, unsafeUniformIntDistribution, xoroshiro128plus } from 'pure-rand';

/** 32-bit FNV-1a: spreads a stream's name into its seed. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/**
 * Seeded randomness for scenario rules: one independent stream per name (rule, tenant, domain), so the
 * n-th request to a tenant's tickets draws the same numbers in every run with the same seed, whatever
 * other requests ran in between. `reset()` starts every stream again (new rules were loaded).
 */
export class ScenarioRandom {
  private streams = new Map<string, RandomGenerator>();

  constructor(readonly seed: number = randomInt(2 ** 31)) {}

  reset(): void {
    this.streams.clear();
  }

  /** An integer in [min, max]. */
  int(stream: string, min: number, max: number): number {
    let rng = this.streams.get(stream);
    if (!rng) {
      rng = xoroshiro128plus((this.seed ^ fnv1a(stream)) | 0);
      this.streams.set(stream, rng);
    }
    return unsafeUniformIntDistribution(min, max, rng);
  }

  /** True with this probability (0..1). */
  chance(stream: string, probability: number): boolean {
    if (probability >= 1) return true;
    if (probability <= 0) return false;
    return this.int(stream, 0, 999_999) < Math.round(probability * 1_000_000);
  }
}
