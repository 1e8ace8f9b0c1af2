import type { AlertSeverity, AlertStatus, SecurityAlert } from '../security-alert.record.js';
import { VendorPayload } from '../../integrations/http/vendor-errors.js';
import { SENTINELONE_VENDOR, SentinelOneThreat } from '../../integrations/sentinelone/sentinelone.client.js';

export interface SentinelOneSeverityRule {
  confidenceLevel?: string;
  classification?: string;
  mitigationStatus?: string;
  analystVerdict?: string;
  severity: AlertSeverity;
}

export interface SentinelOneMappingTable {
  severityRules: SentinelOneSeverityRule[];
  fallbackSeverity: AlertSeverity;
  statuses: Record<string, AlertStatus>;
}

// Threats carry no severity; this derivation is our convention (reference §1.9), kept in one configurable table.
export const SENTINELONE_MAPPING: Readonly<SentinelOneMappingTable> = {
  severityRules: [
    { confidenceLevel: 'malicious', classification: 'Ransomware', severity: 'critical' },
    { confidenceLevel: 'malicious', mitigationStatus: 'not_mitigated', severity: 'critical' },
    { confidenceLevel: 'malicious', severity: 'high' },
    { confidenceLevel: 'suspicious', severity: 'medium' },
  ],
  fallbackSeverity: 'low',
  statuses: { unresolved: 'new', in_progress: 'investigating', resolved: 'resolved' },
};

const RULE_FIELDS = ['confidenceLevel', 'classification', 'mitigationStatus', 'analystVerdict'] as const;

export function mapSentinelOneThreat(
  raw: SentinelOneThreat,
  tenantId: string,
  table: Readonly<SentinelOneMappingTable> = SENTINELONE_MAPPING,
): SecurityAlert {
  const p = VendorPayload.item(SENTINELONE_VENDOR, raw);
  // S1 {threatInfo:{incidentStatus:"in_progress"}} -> status "investigating"
  const vendorStatus = p.string('threatInfo.incidentStatus');
  const status = table.statuses[vendorStatus.toLowerCase()] ?? p.fail('threatInfo.incidentStatus', 'has an unmapped value');
  // S1 {threatInfo:{identifiedAt:"2026-01-05T09:14:02.871000Z"}} -> detected_at "2026-01-05T09:14:02.871Z" (else createdAt)
  const detectedAt = p.has('threatInfo.identifiedAt') ? p.instant('threatInfo.identifiedAt') : p.instant('threatInfo.createdAt');
  const alert: SecurityAlert = {
    tenant_id: tenantId,
    source: 'sentinelone',
    alert_id: p.id('id'),
    // S1 {threatInfo:{confidenceLevel:"malicious", classification:"Ransomware"}} -> severity "critical"
    severity: severityOf(p, table),
    // S1 {threatInfo:{classification:"Malware", threatName:"invoice.exe"}} -> title "Malware: invoice.exe"
    title: `${p.string('threatInfo.classification')}: ${p.string('threatInfo.threatName')}`,
    // S1 {agentRealtimeInfo:{agentComputerName:"CD-FRONTDESK-01"}} -> device
    device: p.string('agentRealtimeInfo.agentComputerName'),
    status,
    detected_at: detectedAt,
  };
  if (status === 'resolved') {
    // S1 resolved {threatInfo:{updatedAt:"2026-01-06T08:00:00.123456Z"}} -> resolved_at "2026-01-06T08:00:00.123Z"
    const resolvedAt = p.instant('threatInfo.updatedAt');
    if (Date.parse(resolvedAt) < Date.parse(detectedAt)) p.fail('threatInfo.updatedAt', 'is before the detection time');
    alert.resolved_at = resolvedAt;
  }
  return alert;
}

function severityOf(p: VendorPayload, table: Readonly<SentinelOneMappingTable>): AlertSeverity {
  const actual = Object.fromEntries(RULE_FIELDS.map((f) => [f, p.optionalString(`threatInfo.${f}`)?.toLowerCase()]));
  const rule = table.severityRules.find((r) => RULE_FIELDS.every((f) => r[f] === undefined || r[f]?.toLowerCase() === actual[f]));
  return rule?.severity ?? table.fallbackSeverity;
}
