import type { AlertSeverity, AlertStatus, SecurityAlert } from '../security-alert.record.js';
import { VendorPayload } from '../../integrations/http/vendor-errors.js';
import { DEFENDER_VENDOR, DefenderEndpointAlert, DefenderGraphAlert } from '../../integrations/defender/defender.client.js';

const DEVICE_EVIDENCE = '#microsoft.graph.security.deviceEvidence';
const UNKNOWN_DEVICE = 'unknown';

// Graph "high"/"medium"/"low"/"informational" and the endpoint API's capitalised forms are kept; unknown, UnSpecified and anything newer -> low.
const SEVERITIES: Record<string, AlertSeverity> = { high: 'high', medium: 'medium', low: 'low', informational: 'informational' };
// Graph "inProgress" / endpoint "InProgress" -> investigating; unknown and anything newer -> new.
const STATUSES: Record<string, AlertStatus> = { new: 'new', inprogress: 'investigating', resolved: 'resolved' };

export function mapDefenderGraphAlert(raw: DefenderGraphAlert, tenantId: string): SecurityAlert {
  const p = VendorPayload.item(DEFENDER_VENDOR, raw);
  // Graph {evidence:[{@odata.type:"#…deviceEvidence", deviceDnsName:"pc-01", roles:["compromised"]}]} -> device "pc-01"
  return alert(p, tenantId, graphDevice(p), 'createdDateTime', 'resolvedDateTime');
}

export function mapDefenderEndpointAlert(raw: DefenderEndpointAlert, tenantId: string): SecurityAlert {
  const p = VendorPayload.item(DEFENDER_VENDOR, raw);
  // MDE {computerDnsName:"cd-srv-01.contoso.local"} -> device (else machineId, else "unknown")
  const device = nonEmpty(p.optionalString('computerDnsName')) ?? nonEmpty(p.optionalString('machineId')) ?? UNKNOWN_DEVICE;
  return alert(p, tenantId, device, 'alertCreationTime', 'resolvedTime');
}

function alert(p: VendorPayload, tenantId: string, device: string, detectedField: string, resolvedField: string): SecurityAlert {
  const status = STATUSES[p.string('status').toLowerCase()] ?? 'new';
  const detectedAt = p.instant(detectedField);
  const record: SecurityAlert = {
    tenant_id: tenantId,
    source: 'defender',
    alert_id: p.id('id'),
    // Graph {severity:"high"} / MDE {severity:"High"} -> "high"
    severity: SEVERITIES[p.string('severity').toLowerCase()] ?? 'low',
    title: p.string('title'),
    device,
    // Graph {status:"inProgress"} / MDE {status:"InProgress"} -> "investigating"
    status,
    // Graph {createdDateTime:"2026-01-05T09:15:10.1234567Z"} / MDE alertCreationTime -> detected_at "2026-01-05T09:15:10.123Z"
    detected_at: detectedAt,
  };
  const resolvedAt = status === 'resolved' ? p.optionalInstant(resolvedField) : undefined;
  if (resolvedAt !== undefined) {
    if (Date.parse(resolvedAt) < Date.parse(detectedAt)) p.fail(resolvedField, `is before ${detectedField}`);
    record.resolved_at = resolvedAt;
  }
  return record;
}

function graphDevice(p: VendorPayload): string {
  const evidence = p.get('evidence');
  if (evidence === undefined || evidence === null) return UNKNOWN_DEVICE;
  if (!Array.isArray(evidence)) p.fail('evidence', 'is not an array');
  const devices = evidence.filter(
    (e): e is { deviceDnsName: string; roles?: unknown } =>
      typeof e === 'object' && e !== null && e['@odata.type'] === DEVICE_EVIDENCE && nonEmpty(e.deviceDnsName) !== undefined,
  );
  const compromised = devices.find((d) => Array.isArray(d.roles) && d.roles.includes('compromised'));
  return (compromised ?? devices[0])?.deviceDnsName ?? UNKNOWN_DEVICE;
}

function nonEmpty(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}
