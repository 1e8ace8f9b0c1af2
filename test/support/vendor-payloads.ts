/**
 * Our records → the vendor payloads that should map back to them (data-contract.md, "Live-mode
 * mapping decisions"), plus one small data set of records that every vendor could have produced.
 *
 * Pure: no I/O, no clock. A record a vendor cannot express (a Defender alert rated `critical`, a
 * SmileBack score other than 5/3/1, a non-numeric ConnectWise id…) makes the builder throw, so a
 * data set that cannot round-trip fails loudly instead of silently comparing the wrong thing.
 */
import type {
  CwMember,
  CwServiceNote,
  CwTicket,
  CwTimeEntry,
} from '../../src/integrations/connectwise/connectwise.client.js';
import type { DefenderEndpointAlert, DefenderGraphAlert } from '../../src/integrations/defender/defender.client.js';
import type { SentinelOneThreat } from '../../src/integrations/sentinelone/sentinelone.client.js';
import type { SmileBackReview } from '../../src/integrations/smileback/smileback.client.js';
import type { CsatSurvey } from '../../src/csat/csat-survey.record.js';
import type { SecurityAlert } from '../../src/security-alerts/security-alert.record.js';
import type { Tenant } from '../../src/tenants/tenant.record.js';
import type { Ticket } from '../../src/tickets/ticket.record.js';
import type { TimeEntry } from '../../src/time-entries/time-entry.record.js';

// ---------------------------------------------------------------------------------------------
// The data set
// ---------------------------------------------------------------------------------------------

export const CONTRACT_TENANT: Tenant = { id: 'tenant_contract', name: 'Northwind MSP (contract)', is_active: true, llm_enabled: false };
/** Listed in tenants.json / the platform store, but with no data files and no integration. */
export const CONTRACT_EMPTY_TENANT: Tenant = { id: 'tenant_contract_empty', name: 'Empty Co', is_active: true, llm_enabled: false };
/** The ConnectWise integration's `time_zone`: `date_worked` is the day in this zone. */
export const CONTRACT_TIME_ZONE = 'America/New_York';

const T = CONTRACT_TENANT.id;
const JDOE = 'jdoe@northwindmsp.com';
const ASMITH = 'asmith@northwindmsp.com';
const MLOPEZ = 'mlopez@northwindmsp.com';

/** Members known only by `primaryEmail` (no `officeEmail`): exercises the fallback. */
export const PRIMARY_EMAIL_ONLY = [MLOPEZ];

export const CONTRACT_TICKETS: Ticket[] = [
  {
    tenant_id: T,
    cw_ticket_id: '184233',
    board: 'Service',
    status: 'Closed',
    priority: 'High',
    summary: 'Outlook keeps prompting for password after MFA change',
    description: 'User reports Outlook asking for credentials every few minutes since MFA was enforced. Webmail works fine.',
    company: 'Acme Corporation',
    owner: JDOE,
    created_at_remote: '2026-01-05T14:02:11Z',
    updated_at_remote: '2026-01-06T16:45:30Z',
    sla_status: 'Resolved',
    estimated_hours: 1.5,
    closed_at_remote: '2026-01-06T16:45:30Z',
  },
  {
    tenant_id: T,
    cw_ticket_id: '184240',
    board: 'Service',
    status: 'In Progress',
    priority: 'Medium',
    summary: 'New starter laptop build for Finance',
    description: 'Please build a laptop for Maria (Finance) starting Monday: Office, Sage, VPN, mapped drives.',
    company: 'Contoso Ltd',
    owner: MLOPEZ,
    created_at_remote: '2026-01-07T09:30:00Z',
    updated_at_remote: '2026-01-08T17:10:05Z',
    sla_status: 'Resolve',
    estimated_hours: 2,
  },
  {
    tenant_id: T,
    cw_ticket_id: '184251',
    board: 'Service',
    status: 'New',
    priority: 'Critical',
    summary: 'Front desk printer offline for whole office',
    description: 'Nobody can print since this morning; the printer shows "offline" on every PC.',
    company: 'Acme Corporation',
    owner: null,
    created_at_remote: '2026-01-09T07:55:42Z',
    updated_at_remote: '2026-01-09T07:55:42Z',
    sla_status: 'Respond',
  },
  {
    tenant_id: T,
    cw_ticket_id: '184262',
    board: 'Project',
    status: 'Waiting',
    priority: 'Low',
    summary: 'Migrate file shares to SharePoint (phase 2)',
    description: '',
    company: 'Fabrikam Inc',
    owner: ASMITH,
    created_at_remote: '2026-01-10T11:00:00Z',
    updated_at_remote: '2026-01-12T15:20:00Z',
    estimated_hours: 0,
  },
  {
    tenant_id: T,
    cw_ticket_id: '184275',
    board: 'Sales',
    status: 'Closed',
    priority: 'Low',
    summary: 'Quote for 5 additional Microsoft 365 Business Premium licences',
    description: 'Customer asks for a quote; they are hiring five people in February.',
    company: 'Contoso Ltd',
    owner: ASMITH,
    created_at_remote: '2026-01-11T10:15:00Z',
    updated_at_remote: '2026-01-13T09:00:00Z',
    closed_at_remote: '2026-01-13T08:59:58Z',
  },
];

export const CONTRACT_TIME_ENTRIES: TimeEntry[] = [
  {
    tenant_id: T,
    cw_time_entry_id: '902114',
    cw_ticket_id: '184233',
    member: JDOE,
    work_type: 'Remote Support',
    billable: true,
    minutes: 45,
    notes: 'Reset MFA registration and rebuilt the Outlook profile; confirmed with user.',
    date_worked: '2026-01-05',
  },
  {
    tenant_id: T,
    cw_time_entry_id: '902120',
    cw_ticket_id: '184233',
    member: JDOE,
    work_type: 'Remote Support',
    billable: true,
    minutes: 50,
    notes: 'Follow-up: user still prompted on the phone; re-added the account in the Outlook app.',
    date_worked: '2026-01-06',
  },
  {
    tenant_id: T,
    cw_time_entry_id: '902131',
    cw_ticket_id: null,
    member: ASMITH,
    work_type: 'Admin',
    billable: false,
    minutes: 30,
    notes: 'Weekly dispatch meeting',
    date_worked: '2026-01-07',
  },
  {
    tenant_id: T,
    cw_time_entry_id: '902145',
    cw_ticket_id: '184240',
    member: MLOPEZ,
    work_type: 'Onsite',
    billable: true,
    minutes: 120,
    notes: 'Imaged laptop, installed Sage and VPN client, mapped drives.',
    date_worked: '2026-01-08',
  },
  {
    tenant_id: T,
    cw_time_entry_id: '902150',
    cw_ticket_id: '184262',
    member: ASMITH,
    work_type: 'Project Work',
    billable: false,
    minutes: 15,
    notes: '',
    date_worked: '2026-01-12',
  },
];

/**
 * Local wall-clock start per time entry (default 09:00): 902120 starts at 21:30 New York time, which is
 * already the next day in UTC — its `date_worked` must still be the local day.
 */
export const CONTRACT_LOCAL_START: Record<string, string> = { '902120': '21:30' };

export const CONTRACT_CSAT: CsatSurvey[] = [
  {
    tenant_id: T,
    survey_id: '35929235',
    ticket_id: '184233',
    score: 5,
    sentiment: 'positive',
    comment: 'Quick and friendly fix, thanks!',
    submitted_at: '2026-01-06T18:02:41.512Z',
  },
  {
    tenant_id: T,
    survey_id: '35929240',
    ticket_id: '184275',
    score: 1,
    sentiment: 'negative',
    comment: 'Took three days to get a callback.',
    submitted_at: '2026-01-13T10:30:00Z',
  },
  {
    tenant_id: T,
    survey_id: '35929251',
    ticket_id: null,
    score: 3,
    sentiment: 'neutral',
    comment: '',
    submitted_at: '2026-01-14T08:12:09.004Z',
  },
  {
    tenant_id: T,
    survey_id: '35929262',
    ticket_id: '184233',
    score: 5,
    sentiment: 'positive',
    comment: 'Jane was great.',
    submitted_at: '2026-01-15T12:00:00Z',
  },
];

export const CONTRACT_ALERTS: SecurityAlert[] = [
  {
    tenant_id: T,
    source: 'sentinelone',
    alert_id: '1854038527405061234',
    severity: 'critical',
    title: 'Ransomware: LockBit3.exe',
    device: 'ACME-FS01',
    status: 'new',
    detected_at: '2026-01-12T03:14:02.871Z',
  },
  {
    tenant_id: T,
    source: 'sentinelone',
    alert_id: '1854038527405061301',
    severity: 'high',
    title: 'Malware: invoice_0112.exe',
    device: 'ACME-LT-JDOE',
    status: 'resolved',
    detected_at: '2026-01-10T09:14:02.871Z',
    resolved_at: '2026-01-10T10:02:45.118Z',
  },
  {
    tenant_id: T,
    source: 'sentinelone',
    alert_id: '1854038527405061388',
    severity: 'medium',
    title: 'PUA: ToolbarHelper.dll',
    device: 'CONTOSO-RECEPTION',
    status: 'investigating',
    detected_at: '2026-01-11T15:40:10Z',
  },
  {
    tenant_id: T,
    source: 'defender',
    alert_id: 'da638721940101234567_-1283746512',
    severity: 'high',
    title: 'Suspicious PowerShell command line',
    device: 'acme-srv-dc01.acme.local',
    status: 'resolved',
    detected_at: '2026-01-08T08:00:00.123Z',
    resolved_at: '2026-01-08T12:30:00.456Z',
  },
  {
    tenant_id: T,
    source: 'defender',
    alert_id: 'da638722876543210987_1498371234',
    severity: 'informational',
    title: 'Connection to a custom network indicator was blocked',
    device: 'contoso-lt-asmith.contoso.local',
    status: 'new',
    detected_at: '2026-01-13T19:21:07.500Z',
  },
  {
    tenant_id: T,
    source: 'defender',
    alert_id: 'da638723012345678901_-901234567',
    severity: 'low',
    title: "'Presenoker' unwanted software was detected",
    device: 'fabrikam-ws-017.fabrikam.local',
    status: 'investigating',
    detected_at: '2026-01-14T06:05:33Z',
  },
];

export interface ContractDataSet {
  tickets: Ticket[];
  timeEntries: TimeEntry[];
  csat: CsatSurvey[];
  securityAlerts: SecurityAlert[];
}

/** A fresh copy of the data set. */
export function contractDataSet(): ContractDataSet {
  return structuredClone({
    tickets: CONTRACT_TICKETS,
    timeEntries: CONTRACT_TIME_ENTRIES,
    csat: CONTRACT_CSAT,
    securityAlerts: CONTRACT_ALERTS,
  });
}

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

function numericId(id: string, what: string): number {
  if (!/^[1-9]\d*$/.test(id) || !Number.isSafeInteger(Number(id))) throw new Error(`${what} '${id}' is not an id the vendor could produce (a number)`);
  return Number(id);
}

/** A small stable number from a name (ids of boards, statuses, companies…). */
function refId(name: string, base: number): number {
  let h = 0;
  for (const ch of name) h = (h * 31 + ch.charCodeAt(0)) % 997;
  return base + h;
}

/** `2026-01-10T10:02:45.118Z` → `2026-01-10T10:02:45.118000Z` (S1: 6 digits, Graph: 7); whole seconds stay as they are. */
function widenFraction(instant: string, digits: number): string {
  const m = /^(.*T\d{2}:\d{2}:\d{2})\.(\d{3})Z$/.exec(instant);
  return m ? `${m[1]}.${m[2].padEnd(digits, '0')}Z` : instant;
}

function plusMs(instant: string, ms: number): string {
  return new Date(Date.parse(instant) + ms).toISOString().replace('.000Z', 'Z');
}

function offsetMs(at: number, timeZone: string): number {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    })
      .formatToParts(at)
      .map((p) => [p.type, p.value]),
  );
  const wall = Date.UTC(+parts.year, +parts.month - 1, +parts.day, +parts.hour, +parts.minute, +parts.second);
  return wall - Math.floor(at / 1000) * 1000;
}

export function dayIn(instant: string, timeZone: string): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' })
      .formatToParts(new Date(instant))
      .map((p) => [p.type, p.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day}`;
}

/** The UTC instant of wall-clock `day` `time` (HH:MM) in `timeZone`. */
export function zonedInstant(day: string, time: string, timeZone: string): string {
  const wall = Date.parse(`${day}T${time}:00Z`);
  let utc = wall - offsetMs(wall, timeZone);
  utc = wall - offsetMs(utc, timeZone); // across a DST change the first guess is an hour off
  const instant = new Date(utc).toISOString().replace('.000Z', 'Z');
  if (dayIn(instant, timeZone) !== day) throw new Error(`${day} ${time} does not exist in ${timeZone}`);
  return instant;
}

// ---------------------------------------------------------------------------------------------
// ConnectWise PSA
// ---------------------------------------------------------------------------------------------

/**
 * `/system/members` for these emails (ids from 176, in the order given); emails listed in
 * `primaryOnly` have no `officeEmail`. One inactive member without any email is appended: it must map to nothing.
 */
export function connectWiseMembers(emails: string[], primaryOnly: string[] = []): CwMember[] {
  const members: CwMember[] = [...new Set(emails)].map((email, i) => ({
    id: 176 + i,
    identifier: email.split('@')[0],
    officeEmail: primaryOnly.includes(email) ? null : email,
    primaryEmail: primaryOnly.includes(email) ? email : `${email.split('@')[0]}@home.example`,
    inactiveFlag: false,
  }));
  members.push({ id: 176 + members.length, identifier: 'olduser', officeEmail: null, primaryEmail: null, inactiveFlag: true });
  return members;
}

function memberRef(members: CwMember[], email: string): { id: number; identifier: string } {
  const member = members.find((m) => (m.officeEmail ?? m.primaryEmail) === email);
  if (!member || typeof member.id !== 'number') throw new Error(`no ConnectWise member has the email ${email}`);
  return { id: member.id, identifier: String(member.identifier) };
}

/** The ticket as `/service/tickets` lists it, and its notes (the detail-description note first; none for ""). */
export function connectWiseTicket(ticket: Ticket, members: CwMember[]): { ticket: CwTicket; notes: CwServiceNote[] } {
  const id = numericId(ticket.cw_ticket_id, 'cw_ticket_id');
  const closed = ticket.closed_at_remote !== undefined && ticket.closed_at_remote !== null;
  const cw: CwTicket = {
    id,
    summary: ticket.summary,
    recordType: 'ServiceTicket',
    board: { id: refId(ticket.board, 1), name: ticket.board },
    status: { id: refId(ticket.status, 100), name: ticket.status },
    priority: { id: refId(ticket.priority, 2000), name: ticket.priority, sort: 3 },
    company: { id: refId(ticket.company, 250), identifier: ticket.company.replace(/\W/g, ''), name: ticket.company },
    owner: ticket.owner === null ? null : memberRef(members, ticket.owner),
    resources: ticket.owner === null ? null : memberRef(members, ticket.owner).identifier,
    slaStatus: ticket.sla_status ?? null,
    budgetHours: ticket.estimated_hours ?? null,
    closedFlag: closed,
    closedDate: closed ? ticket.closed_at_remote : null,
    _info: {
      dateEntered: ticket.created_at_remote,
      lastUpdated: ticket.updated_at_remote,
      enteredBy: 'portal',
      updatedBy: 'jdoe',
    },
  };
  const notes: CwServiceNote[] = [];
  if (ticket.description !== '') {
    notes.push({
      id: id * 10 + 1,
      ticketId: id,
      text: ticket.description,
      detailDescriptionFlag: true,
      internalAnalysisFlag: false,
      resolutionFlag: false,
      dateCreated: ticket.created_at_remote,
    });
  }
  // An internal note is never the description.
  notes.push({
    id: id * 10 + 2,
    ticketId: id,
    text: 'Internal: checked the customer agreement before starting.',
    detailDescriptionFlag: false,
    internalAnalysisFlag: true,
    resolutionFlag: false,
    dateCreated: ticket.created_at_remote,
  });
  return { ticket: cw, notes };
}

export interface CwTimeEntryOptions {
  timeZone?: string;
  /** Local wall-clock start (HH:MM) on `date_worked`; default 09:00. */
  localStart?: string;
  /** For entries charged to a ticket; default `ServiceTicket`. */
  chargeToType?: 'ServiceTicket' | 'ProjectTicket';
}

/** The entry as `/time/entries` lists it: charged to its ticket (or to a charge code), `actualHours = minutes / 60`. */
export function connectWiseTimeEntry(entry: TimeEntry, members: CwMember[], options: CwTimeEntryOptions = {}): CwTimeEntry {
  const timeZone = options.timeZone ?? 'UTC';
  const timeStart = zonedInstant(entry.date_worked, options.localStart ?? '09:00', timeZone);
  const timeEnd = plusMs(timeStart, entry.minutes * 60_000);
  const onTicket = entry.cw_ticket_id !== null;
  return {
    id: numericId(entry.cw_time_entry_id, 'cw_time_entry_id'),
    chargeToId: onTicket ? numericId(entry.cw_ticket_id as string, 'cw_ticket_id') : 12,
    chargeToType: onTicket ? (options.chargeToType ?? 'ServiceTicket') : 'ChargeCode',
    member: memberRef(members, entry.member),
    workType: { id: refId(entry.work_type, 10), name: entry.work_type },
    billableOption: entry.billable ? 'Billable' : 'DoNotBill',
    actualHours: entry.minutes / 60,
    notes: entry.notes === '' ? null : entry.notes,
    timeStart,
    timeEnd,
    _info: { lastUpdated: timeEnd, enteredBy: memberRef(members, entry.member).identifier },
  };
}

export interface ConnectWiseState {
  tickets: CwTicket[];
  notes: CwServiceNote[];
  members: CwMember[];
  timeEntries: CwTimeEntry[];
}

/** Everything a ConnectWise fake needs to serve these tickets and time entries. */
export function connectWiseState(
  tickets: Ticket[],
  timeEntries: TimeEntry[],
  options: { timeZone?: string; localStart?: Record<string, string>; primaryOnly?: string[] } = {},
): ConnectWiseState {
  const emails = [...tickets.map((t) => t.owner), ...timeEntries.map((e) => e.member)].filter((e): e is string => e !== null);
  const members = connectWiseMembers(emails.sort(), options.primaryOnly);
  const built = tickets.map((t) => connectWiseTicket(t, members));
  const boardOf = new Map(tickets.map((t) => [t.cw_ticket_id, t.board]));
  return {
    tickets: built.map((b) => b.ticket),
    notes: built.flatMap((b) => b.notes),
    members,
    timeEntries: timeEntries.map((e) =>
      connectWiseTimeEntry(e, members, {
        timeZone: options.timeZone,
        localStart: options.localStart?.[e.cw_time_entry_id],
        chargeToType: e.cw_ticket_id !== null && boardOf.get(e.cw_ticket_id) === 'Project' ? 'ProjectTicket' : 'ServiceTicket',
      }),
    ),
  };
}

// ---------------------------------------------------------------------------------------------
// SmileBack
// ---------------------------------------------------------------------------------------------

const RATING_OF_SCORE: Record<number, number> = { 5: 1, 3: 0, 1: -1 };
const SENTIMENT_OF_SCORE: Record<number, string> = { 5: 'positive', 3: 'neutral', 1: 'negative' };

/** A rated review: score 5/3/1 → rating +1/0/−1 (no other score round-trips). */
export function smileBackReview(survey: CsatSurvey): SmileBackReview {
  const rating = RATING_OF_SCORE[survey.score];
  if (rating === undefined || SENTIMENT_OF_SCORE[survey.score] !== survey.sentiment) {
    throw new Error(`survey ${survey.survey_id}: score ${survey.score}/${survey.sentiment} cannot come from a SmileBack rating`);
  }
  const submitted = widenFraction(survey.submitted_at, 6);
  return {
    id: numericId(survey.survey_id, 'survey_id'),
    rating,
    comment: survey.comment === '' ? null : survey.comment,
    ticket: survey.ticket_id === null ? null : { id: survey.ticket_id, title: `Ticket #${survey.ticket_id}` },
    contact: { id: 5531, name: 'Pat Customer' },
    status: 'open',
    rated_on: submitted,
    last_modified: submitted,
  };
}

/** Reviews that are not records: an unrated one and a deleted one (ids beyond any survey's). */
export function smileBackNonRecords(): SmileBackReview[] {
  return [
    { id: 35929900, rating: null, comment: null, ticket: { id: '184251' }, status: 'open', rated_on: null, last_modified: '2026-01-14T09:00:00Z' },
    { id: 35929901, rating: 1, comment: 'dup', ticket: { id: '184233' }, status: 'deleted', rated_on: '2026-01-14T09:00:00Z', last_modified: '2026-01-14T09:05:00Z' },
  ];
}

// ---------------------------------------------------------------------------------------------
// SentinelOne
// ---------------------------------------------------------------------------------------------

const S1_STATUS: Record<SecurityAlert['status'], string> = { new: 'unresolved', investigating: 'in_progress', resolved: 'resolved' };

/**
 * A `/threats` item. Severity by src/security-alerts/sources/sentinelone.mappers.ts:
 * critical ← malicious + Ransomware, or malicious + not_mitigated; high ← malicious (mitigated);
 * medium ← suspicious; low ← any other confidence. `informational` cannot come from SentinelOne.
 */
export function sentinelOneThreat(alert: SecurityAlert, scope = { accountId: '225494730938493804', siteId: '225494730938493915' }): SentinelOneThreat {
  if (alert.source !== 'sentinelone') throw new Error(`alert ${alert.alert_id} is not a SentinelOne alert`);
  const m = /^([^:]+): (.+)$/.exec(alert.title);
  if (!m) throw new Error(`alert ${alert.alert_id}: title '${alert.title}' is not "{classification}: {threatName}"`);
  const [, classification, threatName] = m;
  const ransomware = classification.toLowerCase() === 'ransomware';
  const verdict: Record<SecurityAlert['severity'], { confidenceLevel: string; mitigationStatus: string } | undefined> = {
    critical: { confidenceLevel: 'malicious', mitigationStatus: ransomware ? 'mitigated' : 'not_mitigated' },
    high: ransomware ? undefined : { confidenceLevel: 'malicious', mitigationStatus: 'mitigated' },
    medium: { confidenceLevel: 'suspicious', mitigationStatus: 'mitigated' },
    low: { confidenceLevel: 'n/a', mitigationStatus: 'mitigated' },
    informational: undefined,
  };
  const rule = verdict[alert.severity];
  if (!rule) throw new Error(`alert ${alert.alert_id}: severity ${alert.severity} cannot come from a SentinelOne ${classification} threat`);
  const resolved = alert.status === 'resolved';
  if (resolved && !alert.resolved_at) throw new Error(`alert ${alert.alert_id}: resolved SentinelOne threats carry resolved_at (updatedAt)`);
  if (!resolved && alert.resolved_at) throw new Error(`alert ${alert.alert_id}: only resolved threats have resolved_at`);
  const detected = widenFraction(alert.detected_at, 6);
  return {
    id: alert.alert_id,
    threatInfo: {
      threatId: alert.alert_id,
      threatName,
      classification,
      classificationSource: 'Engine',
      confidenceLevel: rule.confidenceLevel,
      mitigationStatus: rule.mitigationStatus,
      incidentStatus: S1_STATUS[alert.status],
      analystVerdict: resolved ? 'true_positive' : 'undefined',
      identifiedAt: detected,
      createdAt: detected,
      updatedAt: resolved ? widenFraction(alert.resolved_at as string, 6) : detected,
    },
    agentRealtimeInfo: { agentComputerName: alert.device, accountId: scope.accountId, siteId: scope.siteId, agentOsType: 'windows' },
  };
}

// ---------------------------------------------------------------------------------------------
// Microsoft Defender
// ---------------------------------------------------------------------------------------------

const DEFENDER_SEVERITIES = new Set(['high', 'medium', 'low', 'informational']);
const GRAPH_STATUS: Record<SecurityAlert['status'], string> = { new: 'new', investigating: 'inProgress', resolved: 'resolved' };
const ENDPOINT_STATUS: Record<SecurityAlert['status'], string> = { new: 'New', investigating: 'InProgress', resolved: 'Resolved' };

function checkDefender(alert: SecurityAlert): void {
  if (alert.source !== 'defender') throw new Error(`alert ${alert.alert_id} is not a Defender alert`);
  if (!DEFENDER_SEVERITIES.has(alert.severity)) throw new Error(`alert ${alert.alert_id}: Defender has no severity '${alert.severity}'`);
}

/** A Graph `alerts_v2` item from Defender for Endpoint; the device is the compromised device evidence. */
export function defenderGraphAlert(alert: SecurityAlert): DefenderGraphAlert {
  checkDefender(alert);
  const created = widenFraction(alert.detected_at, 7);
  const resolved = alert.resolved_at ? widenFraction(alert.resolved_at, 7) : null;
  return {
    '@odata.type': '#microsoft.graph.security.alert',
    id: alert.alert_id,
    providerAlertId: alert.alert_id.replace(/^da/, ''),
    incidentId: '1089',
    title: alert.title,
    severity: alert.severity,
    status: GRAPH_STATUS[alert.status],
    serviceSource: 'microsoftDefenderForEndpoint',
    detectionSource: 'microsoftDefenderForEndpoint',
    createdDateTime: created,
    lastUpdateDateTime: resolved ?? created,
    resolvedDateTime: resolved,
    evidence: [
      { '@odata.type': '#microsoft.graph.security.userEvidence', roles: [], userAccount: { accountName: 'svc-backup' } },
      // A device that was only contacted comes first: the compromised one must still win.
      { '@odata.type': '#microsoft.graph.security.deviceEvidence', deviceDnsName: 'gw-01.corp.local', roles: ['contextual'] },
      { '@odata.type': '#microsoft.graph.security.deviceEvidence', deviceDnsName: alert.device, roles: ['compromised'] },
    ],
  };
}

/** A Graph alert from another service (Defender for Office 365): the default `serviceSource` filter excludes it. */
export function defenderGraphNonRecords(): DefenderGraphAlert[] {
  return [
    {
      id: 'fa638723000000000000_1111111111',
      title: 'Email messages containing malicious URL removed after delivery',
      severity: 'informational',
      status: 'new',
      serviceSource: 'microsoftDefenderForOffice365',
      createdDateTime: '2026-01-14T07:00:00.0000000Z',
      lastUpdateDateTime: '2026-01-14T07:00:00.0000000Z',
      resolvedDateTime: null,
      evidence: [],
    },
  ];
}

/** A Defender for Endpoint `/api/alerts` item (capitalised enums). */
export function defenderEndpointAlert(alert: SecurityAlert): DefenderEndpointAlert {
  checkDefender(alert);
  const created = widenFraction(alert.detected_at, 7);
  const resolved = alert.resolved_at ? widenFraction(alert.resolved_at, 7) : null;
  return {
    id: alert.alert_id,
    incidentId: 1089,
    title: alert.title,
    severity: alert.severity[0].toUpperCase() + alert.severity.slice(1),
    status: ENDPOINT_STATUS[alert.status],
    category: 'SuspiciousActivity',
    detectionSource: 'WindowsDefenderAtp',
    alertCreationTime: created,
    firstEventTime: created,
    lastUpdateTime: resolved ?? created,
    resolvedTime: resolved,
    machineId: '111e6dd8c833c8a052ea231ec1b19adaf497b625',
    computerDnsName: alert.device,
  };
}
