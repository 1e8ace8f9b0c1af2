import { TENANT_ID_PATTERN } from '../../common/validation/formats.js';
import type { MockDataProblem } from '../mock-data-problem.js';
import { DOMAIN_NAMES, type DomainName } from '../../config/domains-and-vendors.js';
import { MAX_DELAY_MS, SCENARIO_CODES, ScenarioCode } from './prefer-header.js';

export const SCENARIOS_FILE = 'scenarios.json';
const DOMAINS: readonly (DomainName | '*')[] = [...DOMAIN_NAMES, '*'];

/** One rule of scenarios.json, checked and with its defaults filled in. */
export interface ScenarioRule {
  /** A tenant id, or `*`. */
  tenant: string;
  domain: DomainName | '*';
  /** Milliseconds to hold the answer: a fixed value is `[n, n]`. */
  latencyMs?: readonly [number, number];
  fail?: { status: ScenarioCode; rate: number };
  stale: boolean;
}

const RULE_FIELDS = new Set(['tenant', 'domain', 'latency_ms', 'fail', 'stale', 'description']);
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isDelay = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= MAX_DELAY_MS;

/** Every problem of a parsed scenarios.json, and its rules when there are none. */
export function checkScenarios(value: unknown, tenantIds: ReadonlySet<string> | undefined, problems: MockDataProblem[]): ScenarioRule[] {
  const file = SCENARIOS_FILE;
  const before = problems.length;
  if (!isObject(value) || !Array.isArray(value.rules)) {
    problems.push({ file, reason: 'must be a JSON object { "rules": [ … ] }' });
    return [];
  }
  for (const key of Object.keys(value)) {
    if (key !== 'rules' && key !== '$schema') problems.push({ file, field: key, reason: 'unknown field (a scenarios file holds "rules")' });
  }
  const rules = value.rules.map((item, index) => checkRule(item, index, tenantIds, problems));
  return problems.length === before ? (rules as ScenarioRule[]) : [];
}

function checkRule(
  item: unknown,
  index: number,
  tenantIds: ReadonlySet<string> | undefined,
  problems: MockDataProblem[],
): ScenarioRule | undefined {
  const at = { file: SCENARIOS_FILE, record: index };
  if (!isObject(item)) {
    problems.push({ ...at, reason: 'must be a JSON object (a rule)' });
    return undefined;
  }
  const before = problems.length;
  const problem = (field: string, reason: string) => problems.push({ ...at, field, reason });
  for (const key of Object.keys(item)) if (!RULE_FIELDS.has(key)) problem(key, 'unknown field (not part of a rule)');

  const tenant = item.tenant ?? '*';
  if (typeof tenant !== 'string' || (tenant !== '*' && !TENANT_ID_PATTERN.test(tenant))) {
    problem('tenant', 'must be a tenant id or "*"');
  } else if (tenant !== '*' && tenantIds && !tenantIds.has(tenant)) {
    problem('tenant', `tenant '${tenant}' is not listed in tenants.json`);
  }
  const domain = item.domain ?? '*';
  if (!DOMAINS.includes(domain as DomainName)) problem('domain', `must be one of ${DOMAINS.map((d) => `"${d}"`).join(', ')}`);

  let latencyMs: [number, number] | undefined;
  const latency = item.latency_ms;
  if (isDelay(latency)) latencyMs = [latency, latency];
  else if (Array.isArray(latency) && latency.length === 2 && latency.every(isDelay) && latency[0] <= latency[1]) {
    latencyMs = [latency[0], latency[1]];
  } else if (latency !== undefined) {
    problem('latency_ms', `must be milliseconds from 0 to ${MAX_DELAY_MS}, or a range [min, max] of them with min <= max`);
  }

  let fail: ScenarioRule['fail'];
  if (item.fail !== undefined) {
    if (!isObject(item.fail)) problem('fail', 'must be an object { "status": 502|503|504, "rate": 0..1 }');
    else {
      const { status, rate = 1, ...rest } = item.fail;
      for (const key of Object.keys(rest)) problem(`fail.${key}`, 'unknown field (fail holds status and rate)');
      const statusOk = (SCENARIO_CODES as readonly unknown[]).includes(status);
      const rateOk = typeof rate === 'number' && rate >= 0 && rate <= 1;
      if (!statusOk) problem('fail.status', `must be one of ${SCENARIO_CODES.join(', ')}`);
      if (!rateOk) problem('fail.rate', 'must be a number from 0 to 1 (the share of requests that fail)');
      if (statusOk && rateOk) fail = { status: status as ScenarioCode, rate: rate as number };
    }
  }
  if (item.stale !== undefined && typeof item.stale !== 'boolean') problem('stale', 'must be true or false');
  if (item.description !== undefined && typeof item.description !== 'string') problem('description', 'must be a string');
  if (problems.length > before) return undefined;
  return { tenant: tenant as string, domain: domain as ScenarioRule['domain'], latencyMs, fail, stale: item.stale === true };
}


/** The first rule matching this tenant and domain (first match wins), if any. */
export function matchRule(
  rules: readonly ScenarioRule[],
  tenantId: string,
  domains: readonly DomainName[],
): { rule: ScenarioRule; index: number } | undefined {
  const index = rules.findIndex((r) => (r.tenant === '*' || r.tenant === tenantId) && (r.domain === '*' || domains.includes(r.domain)));
  return index < 0 ? undefined : { rule: rules[index], index };
}
