import type { CsatSurvey } from '../../csat/csat-survey.record.js';
import type { SecurityAlert } from '../../security-alerts/security-alert.record.js';
import type { Tenant } from '../../platform/tenant.record.js';
import type { Ticket } from '../../tickets/ticket.record.js';
import type { TimeEntry } from '../../time-entries/time-entry.record.js';

/**
 * The seed document's examples: the two demo tenants and one record of each kind.
 * The generator starts the shipped data set with them, and a folder holding exactly these loads and serves.
 */
export const SEED_TENANTS: Tenant[] = [
  { id: 'tenant_demo_cca', name: 'CCA Demo', is_active: true, llm_enabled: true },
  { id: 'tenant_demo_client2', name: 'Client 2 Demo', is_active: true, llm_enabled: false },
];

export const SEED_TICKET: Ticket = {
  tenant_id: 'tenant_demo_cca',
  cw_ticket_id: 'TKT-001',
  board: 'Service',
  status: 'Closed',
  priority: 'High',
  summary: 'Outlook keeps prompting for password after MFA change',
  description:
    'User reports Outlook asking for credentials every few minutes since MFA was enforced. Webmail works fine.',
  company: 'Acme Corp',
  owner: 'tech1@msp.com',
  created_at_remote: '2026-01-20T09:00:00Z',
  updated_at_remote: '2026-01-20T11:30:00Z',
  sla_status: 'Resolved',
  estimated_hours: 2,
  closed_at_remote: '2026-01-20T11:30:00Z',
};

export const SEED_TIME_ENTRY: TimeEntry = {
  tenant_id: 'tenant_demo_cca',
  cw_time_entry_id: 'TE-001',
  cw_ticket_id: 'TKT-001',
  member: 'tech1@msp.com',
  work_type: 'Remote Support',
  billable: true,
  minutes: 45,
  notes: 'Reset MFA registration and rebuilt the Outlook profile; confirmed with user.',
  date_worked: '2026-01-20',
};

export const SEED_CSAT_SURVEY: CsatSurvey = {
  tenant_id: 'tenant_demo_cca',
  survey_id: 'SRV-001',
  ticket_id: 'TKT-001',
  score: 5,
  sentiment: 'positive',
  comment: 'Quick and friendly fix, thanks!',
  submitted_at: '2026-01-21T10:15:00Z',
};

export const SEED_SENTINELONE_ALERT: SecurityAlert = {
  tenant_id: 'tenant_demo_cca',
  source: 'sentinelone',
  alert_id: 'S1-001',
  severity: 'high',
  title: 'Malware: Emotet.dll',
  device: 'LAPTOP-001',
  status: 'new',
  detected_at: '2026-01-19T22:14:00Z',
};

export const SEED_DEFENDER_ALERT: SecurityAlert = {
  tenant_id: 'tenant_demo_cca',
  source: 'defender',
  alert_id: 'DEF-001',
  severity: 'medium',
  title: 'Suspicious PowerShell command line',
  device: 'SRV-DC01',
  status: 'resolved',
  detected_at: '2026-01-18T08:00:00Z',
  resolved_at: '2026-01-18T12:30:00Z',
};
