// SentinelOne and Defender alerts, severities as the live mappings derive them.
import { SEED_DEFENDER_ALERT, SEED_SENTINELONE_ALERT } from './seed-examples.js';
import type { AlertSeverity, AlertSource, AlertStatus, SecurityAlert } from '../../security-alerts/security-alert.record.js';
import { DEFENDER_ALERTS, SENTINELONE_THREATS } from './msp-vocabulary.js';
import { ensureCoverage, type Rng } from './seeded-random.js';
import type { TenantContext } from './tenant-world.js';
import { DAY, Progress, floorToMinute, idFormatter, toInstant } from './time-and-ids.js';

const ALERT_HISTORY_DAYS = 90;
const ALERT_ID_PREFIX: Record<AlertSource, string> = { sentinelone: 'S1', defender: 'DEF' };

interface AlertPlan {
  source: AlertSource;
  status: AlertStatus;
  detectedMs: number;
}

export function generateAlerts(rng: Rng, ctx: TenantContext, count: number, nowCap: number, progress: Progress): SecurityAlert[] {
  const seeds = ctx.withSeeds ? [SEED_SENTINELONE_ALERT, SEED_DEFENDER_ALERT].slice(0, count) : [];
  const plans: AlertPlan[] = [];
  for (let i = seeds.length; i < count; i++) {
    const ageMs = alertAge(rng);
    plans.push({
      source: rng.chance(0.5) ? 'sentinelone' : 'defender',
      status: statusForAlertAge(rng, ageMs / DAY),
      detectedMs: floorToMinute(nowCap - ageMs),
    });
  }
  ensureCoverage(rng, plans, 'source', ['sentinelone', 'defender'], seeds.map((s) => s.source));
  ensureCoverage(rng, plans, 'status', ['new', 'investigating', 'resolved'], seeds.map((s) => s.status));
  plans.sort((a, b) => a.detectedMs - b.detectedMs);

  const counts = { sentinelone: 0, defender: 0 };
  for (const s of [...seeds, ...plans]) counts[s.source]++;
  const formatters = {
    sentinelone: idFormatter(ALERT_ID_PREFIX.sentinelone, counts.sentinelone),
    defender: idFormatter(ALERT_ID_PREFIX.defender, counts.defender),
  };
  const used = { sentinelone: 0, defender: 0 };
  const alerts: SecurityAlert[] = seeds.map((seed) => {
    used[seed.source]++;
    return { ...seed };
  });
  progress.add(alerts.length);
  for (const plan of plans) {
    const id = formatters[plan.source](++used[plan.source]);
    alerts.push(buildAlert(rng, ctx, plan, id, nowCap));
    progress.add(1);
  }
  return alerts;
}

/** A third in the last three days, the rest spread over the last ALERT_HISTORY_DAYS days. */
function alertAge(rng: Rng): number {
  const r = rng.float();
  if (r < 0.35) return rng.minutes(0, 3 * 24 * 60);
  if (r < 0.7) return rng.minutes(3 * 24 * 60, 30 * 24 * 60);
  return rng.minutes(30 * 24 * 60, ALERT_HISTORY_DAYS * 24 * 60);
}

/** Older alerts have had time to be resolved. */
function statusForAlertAge(rng: Rng, ageDays: number): AlertStatus {
  const resolvedShare = ageDays < 1 ? 0.15 : ageDays < 3 ? 0.4 : ageDays < 14 ? 0.7 : ageDays < 30 ? 0.85 : 0.95;
  if (rng.chance(resolvedShare)) return 'resolved';
  return rng.chance(0.55) ? 'new' : 'investigating';
}

function buildAlert(rng: Rng, ctx: TenantContext, plan: AlertPlan, id: string, nowCap: number): SecurityAlert {
  const { title, severity } = plan.source === 'sentinelone' ? sentinelOneThreat(rng) : defenderAlert(rng);
  const alert: SecurityAlert = {
    tenant_id: ctx.tenant.id,
    source: plan.source,
    alert_id: id,
    severity,
    title,
    // A few devices raise most alerts, as in real fleets.
    device: ctx.devices[Math.floor(rng.float() ** 2 * ctx.devices.length)],
    status: plan.status,
    detected_at: toInstant(plan.detectedMs),
  };
  if (plan.status === 'resolved') alert.resolved_at = toInstant(Math.min(plan.detectedMs + timeToResolve(rng), nowCap));
  return alert;
}

/** Severity as the live mapping derives it: ransomware or unmitigated malicious → critical. */
function sentinelOneThreat(rng: Rng): { title: string; severity: AlertSeverity } {
  const threat = rng.pick(SENTINELONE_THREATS);
  const title = `${threat.classification}: ${threat.threatName}`;
  if (threat.confidence === 'suspicious') return { title, severity: 'medium' };
  const critical = threat.classification === 'Ransomware' || rng.chance(0.15);
  return { title, severity: critical ? 'critical' : 'high' };
}

function defenderAlert(rng: Rng): { title: string; severity: AlertSeverity } {
  return rng.pick(DEFENDER_ALERTS);
}

function timeToResolve(rng: Rng): number {
  const r = rng.float();
  if (r < 0.5) return rng.minutes(15, 8 * 60);
  if (r < 0.85) return rng.minutes(8 * 60, 3 * 24 * 60);
  return rng.minutes(3 * 24 * 60, 10 * 24 * 60);
}
