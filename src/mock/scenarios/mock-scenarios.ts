import type { FastifyReply } from 'fastify';
import { setTimeout as sleep } from 'node:timers/promises';
import { VendorError, VendorHttpError, VendorTimeoutError, VendorUnavailableError } from '../../integrations/http/vendor-errors.js';
import type { MockFileStore } from '../mock-file.store.js';
import { DOMAIN_NAMES, DOMAIN_VENDOR_CALLS, type DomainName } from '../../config/domains-and-vendors.js';
import { parsePrefer, preferenceApplied, ScenarioCode, ScenarioPreferences } from './prefer-header.js';
import { ScenarioRandom } from './scenario-random.js';
import { matchRule, ScenarioRule } from './scenario-rules.js';

/** What one request gets: how long it is held, whether it fails, whether it is marked stale. */
export interface ScenarioOutcome {
  delayMs: number;
  fail?: ScenarioCode;
  stale: boolean;
  /** The request's scenario preferences honoured, when its `Prefer` decided (echoed in `Preference-Applied`). */
  applied?: ScenarioPreferences;
}

const DETAIL = 'simulated by a mock scenario';

/** Live-mode figures a simulated failure repeats, so it reads like the real one. */
export interface SimulatedFailureSettings {
  timeoutMs: number;
  retryAfterSeconds: number;
}

/** The scenarios, bound only when some domain is mocked (ScenariosModule): in live mode `Prefer` has no effect and no work is done. */
export const MOCK_SCENARIOS = Symbol('MOCK_SCENARIOS');

/**
 * On routes marked `@VendorData` whose every domain is mocked, answers as live mode would when its vendor
 * is slow, failing or served from a stale copy — asked per request through `Prefer`, or by the first
 * matching rule of scenarios.json. A request with a scenario preference is not subject to the rules.
 * The route runs first, so a bad query or unknown tenant is answered as it would be live.
 * In mixed mode a route that reads a live domain (the insights, unless all four are mocked) calls real
 * vendors: it answers as live mode does, and `Prefer` has no effect there, as in live mode.
 * Applied by the perimeter (src/data-response/data-response.interceptor.ts) around everything else it does.
 */
export class MockScenarios {
  private rulesSeen?: readonly ScenarioRule[];

  constructor(
    private readonly store: MockFileStore,
    private readonly random: ScenarioRandom,
    private readonly settings: SimulatedFailureSettings,
    /** The domains served from the mock folder: every domain in mock mode, MOCK_DOMAINS in mixed mode. */
    private readonly mocked: readonly DomainName[] = DOMAIN_NAMES,
  ) {}

  /** Whether a route reading these domains follows scenarios: all of them are mocked. */
  covers(domains: readonly DomainName[]): boolean {
    return domains.every((domain) => this.mocked.includes(domain));
  }

  /** Runs `route` (the rest of the request) as `outcome` says: held, failed, or marked stale. */
  run(outcome: ScenarioOutcome, domains: readonly DomainName[], reply: FastifyReply, route: () => Promise<unknown>): Promise<unknown> {
    if (outcome.delayMs === 0 && outcome.fail === undefined && !outcome.stale) {
      if (outcome.applied) void reply.header('preference-applied', preferenceApplied(outcome.applied));
      return route();
    }
    return this.answer(route, outcome, domains, reply);
  }

  /** The outcome for one request; throws a 400 (naming `Prefer`) for a bad scenario preference. */
  decide(domains: readonly DomainName[], tenantId: string, prefer: string | string[] | undefined): ScenarioOutcome {
    const preferred = parsePrefer(prefer);
    if (preferred.code !== undefined || preferred.delayMs !== undefined || preferred.stale) {
      // A failure answers instead of the data, so `stale` is not applied with `code`.
      const applied = { ...preferred, ...(preferred.code !== undefined ? { stale: undefined } : {}) };
      return {
        delayMs: preferred.delayMs ?? 0,
        fail: preferred.code,
        stale: preferred.code === undefined && preferred.stale === true,
        applied,
      };
    }
    const rules = this.store.scenarioRules();
    if (rules !== this.rulesSeen) {
      this.rulesSeen = rules;
      this.random.reset();
    }
    const match = matchRule(rules, tenantId, domains);
    if (!match) return { delayMs: 0, stale: false };
    const { rule, index } = match;
    const stream = `${index}|${tenantId}|${domains.join('+')}`;
    const delayMs = rule.latencyMs ? this.random.int(`${stream}|latency`, rule.latencyMs[0], rule.latencyMs[1]) : 0;
    const fails = rule.fail !== undefined && this.random.chance(`${stream}|fail`, rule.fail.rate);
    return { delayMs, fail: fails ? rule.fail?.status : undefined, stale: !fails && rule.stale };
  }

  private async answer(route: () => Promise<unknown>, outcome: ScenarioOutcome, domains: readonly DomainName[], reply: FastifyReply): Promise<unknown> {
    let body: unknown;
    try {
      body = await route();
    } catch (error) {
      // The route's own error (bad query, unknown record) answers instead: only the delay was applied.
      await sleep(outcome.delayMs);
      if (outcome.applied?.delayMs !== undefined) void reply.header('preference-applied', preferenceApplied({ delayMs: outcome.applied.delayMs }));
      throw error;
    }
    await sleep(outcome.delayMs);
    if (outcome.applied) void reply.header('preference-applied', preferenceApplied(outcome.applied));
    const calls = domains.flatMap((domain) => DOMAIN_VENDOR_CALLS[domain]);
    if (outcome.fail !== undefined) throw this.failure(outcome.fail, calls[0]);
    if (outcome.stale) {
      void reply.header('warning', '110 - "stale"');
      void reply.header('x-stale-vendors', [...new Set(calls.map((c) => c.vendor))].sort().join(','));
    }
    return body;
  }

  /** The same error live mode answers for that vendor failure (a failed first sync), so the problem+json is the same. */
  private failure(code: ScenarioCode, { vendor, target }: { vendor: string; target: string }): VendorError {
    switch (code) {
      case 502:
        return new VendorHttpError(vendor, 500, target, DETAIL);
      case 503:
        return new VendorUnavailableError(vendor, DETAIL, this.settings.retryAfterSeconds);
      case 504:
        return new VendorTimeoutError(vendor, target, this.settings.timeoutMs);
    }
  }
}
