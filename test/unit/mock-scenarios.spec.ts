import { formatProblem, loadMockData, MockDataProblem } from '../../src/mock/mock-data.loader.js';
import { ValidationProblemError } from '../../src/common/problem/problem.error.js';
import { parsePrefer, preferenceApplied } from '../../src/mock/scenarios/prefer-header.js';
import { ScenarioRandom } from '../../src/mock/scenarios/scenario-random.js';
import { checkScenarios, matchRule } from '../../src/mock/scenarios/scenario-rules.js';
import { seedContents, writeFolder } from '../support/seed-folder.js';
import { DOMAINS } from '../../src/domains.js';

const TENANTS = new Set(['tenant_demo_cca', 'tenant_demo_client2']);

function preferProblems(header: string): string[] {
  try {
    parsePrefer(header);
    return [];
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationProblemError);
    return (error as ValidationProblemError).extensions.errors?.map((e) => `${e.field}: ${e.message}`) ?? [];
  }
}

describe('the Prefer header (RFC 7240)', () => {
  it('reads code, delay and stale, case-insensitively, with quoted values and parameters', () => {
    expect(parsePrefer('code=503')).toEqual({ code: 503 });
    expect(parsePrefer('Delay="250"; unit=ms, STALE')).toEqual({ delayMs: 250, stale: true });
    expect(parsePrefer(['code=504', 'delay=0'])).toEqual({ code: 504, delayMs: 0 });
    expect(parsePrefer(undefined)).toEqual({});
  });

  it('keeps only the first of a repeated preference (RFC 7240 section 2)', () => {
    expect(parsePrefer('code=502, code=503')).toEqual({ code: 502 });
    expect(parsePrefer('code=502, code=bad')).toEqual({ code: 502 });
  });

  it('ignores unknown preferences, even with commas inside quotes', () => {
    expect(parsePrefer('return=representation, foo="a,code=999", respond-async, wait=5')).toEqual({});
  });

  it('names every bad value of a known preference', () => {
    expect(preferProblems('code=501, delay=30001, stale=false')).toEqual([
      'Prefer: code=501 is not one of 502, 503, 504 (the vendor failures live mode answers)',
      'Prefer: delay=30001 must be a whole number of milliseconds from 0 to 30000',
      'Prefer: stale takes no value (got stale=false)',
    ]);
    expect(preferProblems('delay=')).toEqual(['Prefer: delay= must be a whole number of milliseconds from 0 to 30000']);
    expect(preferProblems('delay=30000')).toEqual([]);
  });

  it('writes Preference-Applied from what was honoured', () => {
    expect(preferenceApplied({ code: 503, delayMs: 10 })).toBe('code=503, delay=10');
    expect(preferenceApplied({ stale: true })).toBe('stale');
  });
});

describe('scenarios.json rules', () => {
  const check = (value: unknown, tenants: ReadonlySet<string> | undefined = TENANTS) => {
    const problems: MockDataProblem[] = [];
    const rules = checkScenarios(value, tenants, problems);
    return { rules, problems: problems.map(formatProblem) };
  };

  it('accepts the documented shape and fills in defaults', () => {
    const { rules, problems } = check({
      rules: [
        { tenant: 'tenant_demo_cca', domain: 'tickets', latency_ms: 300, fail: { status: 502, rate: 0.25 }, stale: true },
        { domain: 'csat', latency_ms: [100, 900], fail: { status: 504 } },
        { description: 'everyone else answers normally' },
      ],
    });
    expect(problems).toEqual([]);
    expect(rules).toEqual([
      { tenant: 'tenant_demo_cca', domain: 'tickets', latencyMs: [300, 300], fail: { status: 502, rate: 0.25 }, stale: true },
      { tenant: '*', domain: 'csat', latencyMs: [100, 900], fail: { status: 504, rate: 1 }, stale: false },
      { tenant: '*', domain: '*', latencyMs: undefined, fail: undefined, stale: false },
    ]);
  });

  it('reports every problem with the rule and field, and keeps no rule of a broken file', () => {
    const { rules, problems } = check({
      rules: [
        { tenant: 'nobody', domain: 'ticket', latency_ms: [900, 100], fail: { status: 500, rate: 1.5, why: 1 }, stale: 'yes', latency: 1 },
        'not a rule',
        { tenant: 'Bad Id!', latency_ms: 30_001, fail: 503 },
      ],
      extra: true,
    });
    expect(rules).toEqual([]);
    expect(problems).toEqual([
      'scenarios.json field extra: unknown field (a scenarios file holds "rules")',
      'scenarios.json record 0 field latency: unknown field (not part of a rule)',
      "scenarios.json record 0 field tenant: tenant 'nobody' is not listed in tenants.json",
      'scenarios.json record 0 field domain: must be one of "tickets", "time_entries", "csat", "security_alerts", "*"',
      'scenarios.json record 0 field latency_ms: must be milliseconds from 0 to 30000, or a range [min, max] of them with min <= max',
      'scenarios.json record 0 field fail.why: unknown field (fail holds status and rate)',
      'scenarios.json record 0 field fail.status: must be one of 502, 503, 504',
      'scenarios.json record 0 field fail.rate: must be a number from 0 to 1 (the share of requests that fail)',
      'scenarios.json record 0 field stale: must be true or false',
      'scenarios.json record 1: must be a JSON object (a rule)',
      'scenarios.json record 2 field tenant: must be a tenant id or "*"',
      'scenarios.json record 2 field latency_ms: must be milliseconds from 0 to 30000, or a range [min, max] of them with min <= max',
      'scenarios.json record 2 field fail: must be an object { "status": 502|503|504, "rate": 0..1 }',
    ]);
    expect(check([]).problems).toEqual(['scenarios.json: must be a JSON object { "rules": [ … ] }']);
  });

  it('matches the first rule for the tenant and domain', () => {
    const { rules } = check({
      rules: [
        { tenant: 'tenant_demo_cca', domain: 'tickets', stale: true },
        { domain: 'tickets', fail: { status: 503 } },
        { tenant: 'tenant_demo_client2' },
      ],
    });
    expect(matchRule(rules, 'tenant_demo_cca', ['tickets'])?.index).toBe(0);
    expect(matchRule(rules, 'tenant_demo_client2', ['tickets'])?.index).toBe(1);
    expect(matchRule(rules, 'tenant_demo_client2', ['csat'])?.index).toBe(2);
    expect(matchRule(rules, 'tenant_demo_cca', ['csat'])).toBeUndefined();
    // A route reading several domains (insights) takes the first rule matching any of them.
    expect(matchRule(rules, 'tenant_demo_cca', ['csat', 'tickets'])?.index).toBe(0);
    expect(matchRule(rules, 'tenant_demo_client2', ['csat', 'time_entries'])?.index).toBe(2);
  });

  it('is part of a folder\'s validation: mock:validate and reloads see its problems, with line and column for bad JSON', async () => {
    const broken = await loadMockData(DOMAINS, await writeFolder({ ...seedContents(), 'scenarios.json': '{ "rules": [ { "tenant": "*", } ] }' }));
    expect(broken.ok).toBe(false);
    expect(broken.problems.map(formatProblem)).toEqual(['scenarios.json:1:31: malformed JSON: PropertyNameExpected']);
    const good = await loadMockData(DOMAINS, await writeFolder({ ...seedContents(), 'scenarios.json': { rules: [{ domain: 'csat', stale: true }] } }));
    expect(good.ok && good.snapshot.scenarios).toEqual([{ tenant: '*', domain: 'csat', latencyMs: undefined, fail: undefined, stale: true }]);
    const none = await loadMockData(DOMAINS, await writeFolder(seedContents()));
    expect(none.ok && none.snapshot.scenarios).toEqual([]);
  });
});

describe('seeded scenario randomness', () => {
  const draws = (random: ScenarioRandom, stream: string) => Array.from({ length: 40 }, () => random.int(stream, 0, 1000));

  it('repeats a stream for the same seed, differs for another seed, and restarts on reset', () => {
    const a = new ScenarioRandom(42);
    const first = draws(a, '0|tenant_demo_cca|tickets');
    expect(draws(new ScenarioRandom(42), '0|tenant_demo_cca|tickets')).toEqual(first);
    expect(draws(new ScenarioRandom(43), '0|tenant_demo_cca|tickets')).not.toEqual(first);
    a.reset();
    expect(draws(a, '0|tenant_demo_cca|tickets')).toEqual(first);
  });

  it('keeps streams independent: draws on one do not shift another', () => {
    const alone = draws(new ScenarioRandom(5), 'x');
    const mixed = new ScenarioRandom(5);
    const interleaved = Array.from({ length: 40 }, () => {
      mixed.int('y', 0, 1000);
      return mixed.int('x', 0, 1000);
    });
    expect(interleaved).toEqual(alone);
  });

  it('fails about the given share of the time, and never or always at 0 and 1', () => {
    const random = new ScenarioRandom(1);
    const hits = Array.from({ length: 2000 }, () => random.chance('rate', 0.3)).filter(Boolean).length;
    expect(hits).toBeGreaterThan(480);
    expect(hits).toBeLessThan(720);
    expect(Array.from({ length: 50 }, () => random.chance('z', 0)).some(Boolean)).toBe(false);
    expect(Array.from({ length: 50 }, () => random.chance('o', 1)).every(Boolean)).toBe(true);
  });
});
