import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { CsatSurvey } from '../../src/csat/csat-survey.record.js';
import { SecurityAlert } from '../../src/security-alerts/security-alert.record.js';
import { Ticket } from '../../src/tickets/ticket.record.js';
import { TimeEntry } from '../../src/time-entries/time-entry.record.js';
import type { CwTicket, CwTimeEntry } from '../../src/integrations/connectwise/connectwise.client.js';
import { memberEmailMap } from '../../src/integrations/connectwise/connectwise-members.js';
import { descriptionFromNotes, mapConnectWiseTicket } from '../../src/tickets/sources/connectwise.mappers.js';
import { mapConnectWiseTimeEntry } from '../../src/time-entries/sources/connectwise-time-entry.mappers.js';
import type { DefenderEndpointAlert, DefenderGraphAlert } from '../../src/integrations/defender/defender.client.js';
import { mapDefenderEndpointAlert, mapDefenderGraphAlert } from '../../src/security-alerts/sources/defender.mappers.js';
import { VendorDataError, toInstant } from '../../src/integrations/http/vendor-errors.js';
import type { SentinelOneThreat } from '../../src/integrations/sentinelone/sentinelone.client.js';
import { SENTINELONE_MAPPING, mapSentinelOneThreat } from '../../src/security-alerts/sources/sentinelone.mappers.js';
import type { SmileBackReview } from '../../src/integrations/smileback/smileback.client.js';
import { mapSmileBackReview } from '../../src/csat/sources/smileback.mappers.js';

const TENANT = 'tenant_a';
const EMAILS = new Map([
  [176, 'jdoe@msp.example'],
  [177, 'asmith@msp.example'],
]);

function expectValid<T extends object>(cls: new () => T, record: T): void {
  const errors = validateSync(plainToInstance(cls, record), { whitelist: true, forbidNonWhitelisted: true });
  expect(errors.map((e) => `${e.property}: ${JSON.stringify(e.constraints)}`)).toEqual([]);
}

function dataError(fn: () => unknown): VendorDataError {
  try {
    fn();
  } catch (error) {
    if (error instanceof VendorDataError) return error;
    throw error;
  }
  throw new Error('expected a VendorDataError');
}

function without<T extends object>(raw: T, path: string): T {
  const copy = structuredClone(raw) as Record<string, unknown>;
  const keys = path.split('.');
  let node = copy;
  for (const key of keys.slice(0, -1)) node = node[key] as Record<string, unknown>;
  delete node[keys.at(-1) as string];
  return copy as T;
}

function withField<T extends object>(raw: T, path: string, value: unknown): T {
  const copy = structuredClone(raw) as Record<string, unknown>;
  const keys = path.split('.');
  let node = copy;
  for (const key of keys.slice(0, -1)) node = node[key] as Record<string, unknown>;
  node[keys.at(-1) as string] = value;
  return copy as T;
}

const aCwTicket = (over: Partial<CwTicket> = {}): CwTicket => ({
  id: 184233,
  summary: 'Outlook keeps prompting for password',
  recordType: 'ServiceTicket',
  board: { id: 1, name: 'Service' },
  status: { id: 17, name: 'In Progress' },
  priority: { id: 8, name: 'Priority 3 - Normal Response', sort: 6 },
  company: { id: 250, identifier: 'AcmeCorp', name: 'Acme Corporation' },
  owner: { id: 176, identifier: 'jdoe', name: 'John Doe' },
  resources: 'jdoe',
  slaStatus: 'Resolve by Wed 01/14 5:00 PM UTC-05',
  budgetHours: 1.5,
  closedFlag: false,
  closedDate: null,
  _info: { dateEntered: '2026-01-12T14:30:12Z', lastUpdated: '2026-01-12T16:02:41Z', updatedBy: 'jdoe' },
  ...over,
});

const aCwTimeEntry = (over: Partial<CwTimeEntry> = {}): CwTimeEntry => ({
  id: 902331,
  chargeToId: 184233,
  chargeToType: 'ServiceTicket',
  ticket: { id: 184233, summary: 'Outlook keeps prompting for password' },
  member: { id: 176, identifier: 'jdoe', name: 'John Doe' },
  workType: { id: 3, name: 'Remote Support' },
  billableOption: 'Billable',
  timeStart: '2026-01-12T15:00:00Z',
  timeEnd: '2026-01-12T15:50:00Z',
  hoursDeduct: 0.08,
  actualHours: 0.75,
  notes: 'Reset MFA registration and rebuilt Outlook profile.',
  _info: { lastUpdated: '2026-01-12T15:51:07Z' },
  ...over,
});

const aReview = (over: Partial<SmileBackReview> = {}): SmileBackReview => ({
  id: 35929235,
  rating: 1,
  comment: 'Quick fix, thanks!',
  ticket: { id: '184233', title: 'Outlook keeps prompting for password', agents: ['jdoe'] },
  contact: { id: '4120', name: 'Dana Lee', email: 'dana.lee@acme.example' },
  status: 'open',
  rated_on: '2026-01-13T17:41:09.512301Z',
  last_modified: '2026-01-13T17:41:40.118220Z',
  ...over,
});

const aThreat = (info: Record<string, unknown> = {}, over: Partial<SentinelOneThreat> = {}): SentinelOneThreat => ({
  id: '1987654321098765432',
  agentRealtimeInfo: { accountId: '1234567890123456789', siteId: '1234567890123456790', agentComputerName: 'CD-FRONTDESK-01' },
  threatInfo: {
    threatId: '1987654321098765432',
    threatName: 'invoice_0105.exe',
    classification: 'Ransomware',
    confidenceLevel: 'malicious',
    analystVerdict: 'undefined',
    incidentStatus: 'unresolved',
    mitigationStatus: 'mitigated',
    identifiedAt: '2026-01-05T09:14:02.871000Z',
    createdAt: '2026-01-05T09:14:03.402118Z',
    updatedAt: '2026-01-05T09:14:04.120554Z',
    ...info,
  },
  ...over,
});

const aGraphAlert = (over: Partial<DefenderGraphAlert> = {}): DefenderGraphAlert => ({
  '@odata.type': '#microsoft.graph.security.alert',
  id: 'da638712345678901234_-1234567890',
  tenantId: '11111111-2222-3333-4444-555555555555',
  status: 'new',
  severity: 'high',
  serviceSource: 'microsoftDefenderForEndpoint',
  title: 'Ransomware behavior detected in the file system',
  createdDateTime: '2026-01-05T09:15:10.1234567Z',
  lastUpdateDateTime: '2026-01-05T09:15:12.45Z',
  resolvedDateTime: null,
  evidence: [
    {
      '@odata.type': '#microsoft.graph.security.deviceEvidence',
      roles: ['compromised'],
      deviceDnsName: 'cd-frontdesk-01.contoso.local',
    },
  ],
  ...over,
});

const anEndpointAlert = (over: Partial<DefenderEndpointAlert> = {}): DefenderEndpointAlert => ({
  id: 'da638712399999999999_987654321',
  severity: 'High',
  status: 'New',
  title: 'An active PUA was detected',
  alertCreationTime: '2026-01-04T16:20:00.5000000Z',
  lastUpdateTime: '2026-01-05T08:02:11.0000000Z',
  resolvedTime: null,
  machineId: '9a8b7c6d5e4f30211203948576afbecd11223344',
  computerDnsName: 'cd-srv-01.contoso.local',
  ...over,
});

describe('ConnectWise ticket mapping', () => {
  const ctx = { tenantId: TENANT, memberEmails: EMAILS, description: 'User reports Outlook asking for credentials.' };

  it('maps every documented field, keys in record order, and validates', () => {
    const ticket = mapConnectWiseTicket(aCwTicket(), ctx);
    expect(ticket).toEqual({
      tenant_id: TENANT,
      cw_ticket_id: '184233',
      board: 'Service',
      status: 'In Progress',
      priority: 'Priority 3 - Normal Response',
      summary: 'Outlook keeps prompting for password',
      description: 'User reports Outlook asking for credentials.',
      company: 'Acme Corporation',
      owner: 'jdoe@msp.example',
      created_at_remote: '2026-01-12T14:30:12Z',
      updated_at_remote: '2026-01-12T16:02:41Z',
      sla_status: 'Resolve by Wed 01/14 5:00 PM UTC-05',
      estimated_hours: 1.5,
    });
    expect(Object.keys(ticket)).toEqual([
      'tenant_id', 'cw_ticket_id', 'board', 'status', 'priority', 'summary', 'description', 'company', 'owner',
      'created_at_remote', 'updated_at_remote', 'sla_status', 'estimated_hours',
    ]);
    expectValid(Ticket, ticket);
  });

  it('keeps owner present as null for an unassigned ticket and omits absent optional fields', () => {
    const ticket = mapConnectWiseTicket(aCwTicket({ owner: null, slaStatus: null, budgetHours: null }), ctx);
    expect(ticket.owner).toBeNull();
    expect('owner' in ticket).toBe(true);
    expect('sla_status' in ticket).toBe(false);
    expect('estimated_hours' in ticket).toBe(false);
    expectValid(Ticket, ticket);
  });

  it('sets closed_at_remote from closedDate only when closedFlag is true', () => {
    const closed = mapConnectWiseTicket(aCwTicket({ closedFlag: true, closedDate: '2026-01-14T17:00:00Z', status: { name: 'Closed' } }), ctx);
    expect(closed.closed_at_remote).toBe('2026-01-14T17:00:00Z');
    expectValid(Ticket, closed);
    const reopened = mapConnectWiseTicket(aCwTicket({ closedFlag: false, closedDate: '2026-01-14T17:00:00Z' }), ctx);
    expect('closed_at_remote' in reopened).toBe(false);
  });

  it('normalises offsets and 7-digit fractions to UTC Z instants', () => {
    const ticket = mapConnectWiseTicket(
      aCwTicket({ _info: { dateEntered: '2026-01-12T09:30:12-05:00', lastUpdated: '2026-01-12T16:02:41.1234567Z' } }),
      ctx,
    );
    expect(ticket.created_at_remote).toBe('2026-01-12T14:30:12Z');
    expect(ticket.updated_at_remote).toBe('2026-01-12T16:02:41.123Z');
    expectValid(Ticket, ticket);
  });

  it.each([
    ['id', without(aCwTicket(), 'id')],
    ['board.name', without(aCwTicket(), 'board')],
    ['status.name', withField(aCwTicket(), 'status.name', '')],
    ['priority.name', withField(aCwTicket(), 'priority.name', 7)],
    ['summary', without(aCwTicket(), 'summary')],
    ['company.name', without(aCwTicket(), 'company.name')],
    ['owner.id', withField(aCwTicket(), 'owner.id', 999)],
    ['_info.dateEntered', without(aCwTicket(), '_info.dateEntered')],
    ['_info.lastUpdated', withField(aCwTicket(), '_info.lastUpdated', '2026-01-12 16:02')],
    ['_info.lastUpdated', withField(aCwTicket(), '_info.lastUpdated', '2026-01-01T00:00:00Z')],
    ['budgetHours', withField(aCwTicket(), 'budgetHours', -1)],
    ['closedDate', aCwTicket({ closedFlag: true, closedDate: 'yesterday' })],
  ])('throws VendorDataError naming %s', (field, raw) => {
    const error = dataError(() => mapConnectWiseTicket(raw, ctx));
    expect(error).toMatchObject({ vendor: 'connectwise', field, httpStatus: 502, problemType: '/problems/vendor-data' });
    expect(error.message).toContain('connectwise');
    expect(error.message).toContain(field);
    if (field !== 'id') expect(error.itemId).toBe('184233');
  });

  it('picks the first detail-description note for the description', () => {
    expect(
      descriptionFromNotes([
        { id: 12, detailDescriptionFlag: false, text: 'internal' },
        { id: 11, detailDescriptionFlag: true, text: 'second' },
        { id: 10, detailDescriptionFlag: true, text: 'first' },
      ]),
    ).toBe('first');
    expect(descriptionFromNotes([])).toBe('');
  });

  it('maps members to officeEmail, else primaryEmail, skipping non-emails', () => {
    const emails = memberEmailMap([
      { id: 1, officeEmail: 'a@msp.example', primaryEmail: 'a@home.example' },
      { id: 2, officeEmail: null, primaryEmail: 'b@home.example' },
      { id: 3, officeEmail: 'not-an-email', primaryEmail: null },
    ]);
    expect([...emails]).toEqual([
      [1, 'a@msp.example'],
      [2, 'b@home.example'],
    ]);
  });
});

describe('ConnectWise time entry mapping', () => {
  const ctx = { tenantId: TENANT, memberEmails: EMAILS, timeZone: 'UTC' };

  it('maps every documented field and validates', () => {
    const entry = mapConnectWiseTimeEntry(aCwTimeEntry(), ctx);
    expect(entry).toEqual({
      tenant_id: TENANT,
      cw_time_entry_id: '902331',
      cw_ticket_id: '184233',
      member: 'jdoe@msp.example',
      work_type: 'Remote Support',
      billable: true,
      minutes: 45,
      notes: 'Reset MFA registration and rebuilt Outlook profile.',
      date_worked: '2026-01-12',
    });
    expect(Object.keys(entry)).toEqual([
      'tenant_id', 'cw_time_entry_id', 'cw_ticket_id', 'member', 'work_type', 'billable', 'minutes', 'notes', 'date_worked',
    ]);
    expectValid(TimeEntry, entry);
  });

  it.each([
    ['ServiceTicket', '184233'],
    ['ProjectTicket', '184233'],
    ['ChargeCode', null],
    ['Activity', null],
  ])('charges %s time to ticket %s', (chargeToType, expected) => {
    const entry = mapConnectWiseTimeEntry(aCwTimeEntry({ chargeToType }), ctx);
    expect(entry.cw_ticket_id).toBe(expected);
    expectValid(TimeEntry, entry);
  });

  it.each([
    ['Billable', true],
    ['DoNotBill', false],
    ['NoCharge', false],
    ['NoDefault', false],
  ])('billableOption %s -> billable %s', (billableOption, billable) => {
    expect(mapConnectWiseTimeEntry(aCwTimeEntry({ billableOption }), ctx).billable).toBe(billable);
  });

  it.each([
    [0.75, 45],
    [1.0083, 60],
    [0, 0],
    [2.26, 136],
  ])('actualHours %s -> %s minutes', (actualHours, minutes) => {
    expect(mapConnectWiseTimeEntry(aCwTimeEntry({ actualHours }), ctx).minutes).toBe(minutes);
  });

  it.each([
    ['2026-01-20T02:30:00Z', 'America/New_York', '2026-01-19'],
    ['2026-01-20T02:30:00Z', 'UTC', '2026-01-20'],
    ['2026-01-20T23:30:00Z', 'Australia/Sydney', '2026-01-21'],
    ['2026-01-20T02:30:00Z', undefined, '2026-01-20'],
  ])('timeStart %s counts for the day in %s: %s', (timeStart, timeZone, day) => {
    const entry = mapConnectWiseTimeEntry(aCwTimeEntry({ timeStart }), { tenantId: TENANT, memberEmails: EMAILS, timeZone });
    expect(entry.date_worked).toBe(day);
    expectValid(TimeEntry, entry);
  });

  it('treats absent notes as empty', () => {
    expect(mapConnectWiseTimeEntry(aCwTimeEntry({ notes: null }), ctx).notes).toBe('');
  });

  it.each([
    ['id', without(aCwTimeEntry(), 'id')],
    ['chargeToType', without(aCwTimeEntry(), 'chargeToType')],
    ['chargeToId', aCwTimeEntry({ chargeToId: null })],
    ['member.id', without(aCwTimeEntry(), 'member')],
    ['member.id', withField(aCwTimeEntry(), 'member.id', 404)],
    ['workType.name', without(aCwTimeEntry(), 'workType')],
    ['actualHours', aCwTimeEntry({ actualHours: null })],
    ['actualHours', aCwTimeEntry({ actualHours: -0.5 })],
    ['timeStart', aCwTimeEntry({ timeStart: '2026-01-20T02:30:00' })],
  ])('throws VendorDataError naming %s', (field, raw) => {
    const error = dataError(() => mapConnectWiseTimeEntry(raw, ctx));
    expect(error).toMatchObject({ vendor: 'connectwise', field });
    if (field !== 'id') expect(error.itemId).toBe('902331');
  });

  it('rejects an integration time zone that is not IANA', () => {
    const error = dataError(() => mapConnectWiseTimeEntry(aCwTimeEntry(), { ...ctx, timeZone: 'Mars/Olympus' }));
    expect(error.field).toBe('time_zone');
  });
});

describe('SmileBack review mapping', () => {
  it('maps every documented field and validates', () => {
    const survey = mapSmileBackReview(aReview(), TENANT);
    expect(survey).toEqual({
      tenant_id: TENANT,
      survey_id: '35929235',
      ticket_id: '184233',
      score: 5,
      sentiment: 'positive',
      comment: 'Quick fix, thanks!',
      submitted_at: '2026-01-13T17:41:09.512Z',
    });
    expect(Object.keys(survey as object)).toEqual(['tenant_id', 'survey_id', 'ticket_id', 'score', 'sentiment', 'comment', 'submitted_at']);
    expectValid(CsatSurvey, survey as CsatSurvey);
  });

  it.each([
    [1, 5, 'positive'],
    [0, 3, 'neutral'],
    [-1, 1, 'negative'],
    ['1', 5, 'positive'],
    ['0', 3, 'neutral'],
    ['-1', 1, 'negative'],
  ])('rating %p -> score %s, %s', (rating, score, sentiment) => {
    const survey = mapSmileBackReview(aReview({ rating }), TENANT);
    expect(survey).toMatchObject({ score, sentiment });
    expectValid(CsatSurvey, survey as CsatSurvey);
  });

  it.each([
    ['unrated (null)', aReview({ rating: null, rated_on: null })],
    ['unrated (absent)', without(aReview(), 'rating')],
    ['deleted', aReview({ status: 'deleted' })],
  ])('returns null for a %s review', (_label, raw) => {
    expect(mapSmileBackReview(raw, TENANT)).toBeNull();
  });

  it('keeps ticket_id present as null without a ticket, and an empty comment', () => {
    const survey = mapSmileBackReview(aReview({ ticket: null, comment: null }), TENANT);
    expect(survey).toMatchObject({ ticket_id: null, comment: '' });
    expectValid(CsatSurvey, survey as CsatSurvey);
  });

  it.each([
    ['rating', aReview({ rating: 2 })],
    ['rating', aReview({ rating: 'great' })],
    ['rated_on', aReview({ rated_on: null })],
    ['id', without(aReview(), 'id')],
    ['ticket.id', aReview({ ticket: { id: '../etc' } })],
  ])('throws VendorDataError naming %s', (field, raw) => {
    expect(dataError(() => mapSmileBackReview(raw, TENANT))).toMatchObject({ vendor: 'smileback', field });
  });
});

describe('SentinelOne threat mapping', () => {
  it('maps the reference example and validates', () => {
    const alert = mapSentinelOneThreat(aThreat(), TENANT);
    expect(alert).toEqual({
      tenant_id: TENANT,
      source: 'sentinelone',
      alert_id: '1987654321098765432',
      severity: 'critical',
      title: 'Ransomware: invoice_0105.exe',
      device: 'CD-FRONTDESK-01',
      status: 'new',
      detected_at: '2026-01-05T09:14:02.871Z',
    });
    expect(Object.keys(alert)).toEqual(['tenant_id', 'source', 'alert_id', 'severity', 'title', 'device', 'status', 'detected_at']);
    expectValid(SecurityAlert, alert);
  });

  it.each([
    [{ confidenceLevel: 'malicious', classification: 'Ransomware', mitigationStatus: 'mitigated' }, 'critical'],
    [{ confidenceLevel: 'malicious', classification: 'Malware', mitigationStatus: 'not_mitigated' }, 'critical'],
    [{ confidenceLevel: 'malicious', classification: 'Malware', mitigationStatus: 'mitigated' }, 'high'],
    [{ confidenceLevel: 'suspicious', classification: 'Ransomware', mitigationStatus: 'not_mitigated' }, 'medium'],
    [{ confidenceLevel: 'n/a', classification: 'PUA', mitigationStatus: 'mitigated' }, 'low'],
    [{ confidenceLevel: undefined, classification: 'PUA', mitigationStatus: 'mitigated' }, 'low'],
    [{ confidenceLevel: 'MALICIOUS', classification: 'ransomware', mitigationStatus: 'mitigated' }, 'critical'],
  ])('severity table: %j -> %s', (info, severity) => {
    const alert = mapSentinelOneThreat(aThreat(info), TENANT);
    expect(alert.severity).toBe(severity);
    expectValid(SecurityAlert, alert);
  });

  it.each([
    ['unresolved', 'new'],
    ['in_progress', 'investigating'],
    ['resolved', 'resolved'],
  ])('status %s -> %s', (incidentStatus, status) => {
    expect(mapSentinelOneThreat(aThreat({ incidentStatus }), TENANT).status).toBe(status);
  });

  it('sets resolved_at from updatedAt only when resolved', () => {
    const resolved = mapSentinelOneThreat(aThreat({ incidentStatus: 'resolved', updatedAt: '2026-01-06T08:00:00.123456Z' }), TENANT);
    expect(resolved.resolved_at).toBe('2026-01-06T08:00:00.123Z');
    expectValid(SecurityAlert, resolved);
    expect('resolved_at' in mapSentinelOneThreat(aThreat(), TENANT)).toBe(false);
  });

  it('falls back to createdAt when identifiedAt is absent', () => {
    expect(mapSentinelOneThreat(aThreat({ identifiedAt: null }), TENANT).detected_at).toBe('2026-01-05T09:14:03.402Z');
  });

  it('takes a custom table', () => {
    const table = { ...SENTINELONE_MAPPING, severityRules: [{ classification: 'PUA', severity: 'informational' as const }], fallbackSeverity: 'medium' as const };
    expect(mapSentinelOneThreat(aThreat({ classification: 'PUA' }), TENANT, table).severity).toBe('informational');
    expect(mapSentinelOneThreat(aThreat(), TENANT, table).severity).toBe('medium');
  });

  it.each([
    ['id', without(aThreat(), 'id')],
    ['threatInfo.incidentStatus', aThreat({ incidentStatus: 'archived' })],
    ['threatInfo.incidentStatus', without(aThreat(), 'threatInfo.incidentStatus')],
    ['threatInfo.classification', without(aThreat(), 'threatInfo.classification')],
    ['threatInfo.threatName', aThreat({ threatName: '' })],
    ['agentRealtimeInfo.agentComputerName', without(aThreat(), 'agentRealtimeInfo')],
    ['threatInfo.createdAt', aThreat({ identifiedAt: null, createdAt: null })],
    ['threatInfo.updatedAt', aThreat({ incidentStatus: 'resolved', updatedAt: '2026-01-01T00:00:00Z' })],
  ])('throws VendorDataError naming %s', (field, raw) => {
    const error = dataError(() => mapSentinelOneThreat(raw, TENANT));
    expect(error).toMatchObject({ vendor: 'sentinelone', field });
    if (field !== 'id') expect(error.itemId).toBe('1987654321098765432');
  });
});

describe('Defender Graph alert mapping', () => {
  it('maps the reference example and validates', () => {
    const alert = mapDefenderGraphAlert(aGraphAlert(), TENANT);
    expect(alert).toEqual({
      tenant_id: TENANT,
      source: 'defender',
      alert_id: 'da638712345678901234_-1234567890',
      severity: 'high',
      title: 'Ransomware behavior detected in the file system',
      device: 'cd-frontdesk-01.contoso.local',
      status: 'new',
      detected_at: '2026-01-05T09:15:10.123Z',
    });
    expectValid(SecurityAlert, alert);
  });

  it.each([
    ['high', 'high'],
    ['medium', 'medium'],
    ['low', 'low'],
    ['informational', 'informational'],
    ['unknown', 'low'],
    ['unknownFutureValue', 'low'],
  ])('severity %s -> %s', (severity, expected) => {
    expect(mapDefenderGraphAlert(aGraphAlert({ severity }), TENANT).severity).toBe(expected);
  });

  it.each([
    ['new', 'new'],
    ['inProgress', 'investigating'],
    ['resolved', 'resolved'],
    ['unknown', 'new'],
    ['unknownFutureValue', 'new'],
  ])('status %s -> %s', (status, expected) => {
    expect(mapDefenderGraphAlert(aGraphAlert({ status }), TENANT).status).toBe(expected);
  });

  const device = (name: string, roles: string[] = []) => ({
    '@odata.type': '#microsoft.graph.security.deviceEvidence',
    deviceDnsName: name,
    roles,
  });
  it.each([
    ['a compromised device first', [device('bystander'), device('victim', ['compromised'])], 'victim'],
    ['else the first device', [{ '@odata.type': '#microsoft.graph.security.userEvidence' }, device('first'), device('second')], 'first'],
    ['else "unknown"', [{ '@odata.type': '#microsoft.graph.security.mailboxEvidence' }], 'unknown'],
    ['"unknown" without evidence', [], 'unknown'],
  ])('device: %s', (_label, evidence, expected) => {
    const alert = mapDefenderGraphAlert(aGraphAlert({ evidence }), TENANT);
    expect(alert.device).toBe(expected);
    expectValid(SecurityAlert, alert);
  });

  it('sets resolved_at from resolvedDateTime when resolved', () => {
    const alert = mapDefenderGraphAlert(aGraphAlert({ status: 'resolved', resolvedDateTime: '2026-01-06T10:00:00+01:00' }), TENANT);
    expect(alert.resolved_at).toBe('2026-01-06T09:00:00Z');
    expectValid(SecurityAlert, alert);
  });

  it.each([
    ['id', without(aGraphAlert(), 'id')],
    ['title', without(aGraphAlert(), 'title')],
    ['severity', without(aGraphAlert(), 'severity')],
    ['status', aGraphAlert({ status: 3 as unknown as string })],
    ['createdDateTime', aGraphAlert({ createdDateTime: 'last tuesday' })],
    ['evidence', aGraphAlert({ evidence: 'none' as unknown as [] })],
  ])('throws VendorDataError naming %s', (field, raw) => {
    expect(dataError(() => mapDefenderGraphAlert(raw, TENANT))).toMatchObject({ vendor: 'defender', field });
  });
});

describe('Defender endpoint alert mapping', () => {
  it('maps the reference example and validates', () => {
    const alert = mapDefenderEndpointAlert(anEndpointAlert(), TENANT);
    expect(alert).toEqual({
      tenant_id: TENANT,
      source: 'defender',
      alert_id: 'da638712399999999999_987654321',
      severity: 'high',
      title: 'An active PUA was detected',
      device: 'cd-srv-01.contoso.local',
      status: 'new',
      detected_at: '2026-01-04T16:20:00.500Z',
    });
    expectValid(SecurityAlert, alert);
  });

  it.each([
    ['High', 'high'],
    ['Medium', 'medium'],
    ['Low', 'low'],
    ['Informational', 'informational'],
    ['UnSpecified', 'low'],
  ])('severity %s -> %s', (severity, expected) => {
    expect(mapDefenderEndpointAlert(anEndpointAlert({ severity }), TENANT).severity).toBe(expected);
  });

  it.each([
    ['New', 'new'],
    ['InProgress', 'investigating'],
    ['Resolved', 'resolved'],
    ['Unknown', 'new'],
  ])('status %s -> %s', (status, expected) => {
    expect(mapDefenderEndpointAlert(anEndpointAlert({ status }), TENANT).status).toBe(expected);
  });

  it('falls back from computerDnsName to machineId to "unknown"', () => {
    expect(mapDefenderEndpointAlert(anEndpointAlert({ computerDnsName: null }), TENANT).device).toBe('9a8b7c6d5e4f30211203948576afbecd11223344');
    expect(mapDefenderEndpointAlert(anEndpointAlert({ computerDnsName: null, machineId: null }), TENANT).device).toBe('unknown');
  });

  it('sets resolved_at from resolvedTime when resolved', () => {
    const alert = mapDefenderEndpointAlert(anEndpointAlert({ status: 'Resolved', resolvedTime: '2026-01-05T08:02:11.0000000Z' }), TENANT);
    expect(alert.resolved_at).toBe('2026-01-05T08:02:11Z');
    expectValid(SecurityAlert, alert);
  });

  it.each([
    ['alertCreationTime', without(anEndpointAlert(), 'alertCreationTime')],
    ['resolvedTime', anEndpointAlert({ status: 'Resolved', resolvedTime: '2025-12-31T00:00:00Z' })],
  ])('throws VendorDataError naming %s', (field, raw) => {
    expect(dataError(() => mapDefenderEndpointAlert(raw, TENANT))).toMatchObject({ vendor: 'defender', field });
  });
});

describe('instant normalisation', () => {
  it.each([
    ['2026-01-20T09:00:00Z', '2026-01-20T09:00:00Z'],
    ['2026-01-20T09:00:00.123Z', '2026-01-20T09:00:00.123Z'],
    ['2026-01-20T09:00:00.1234567Z', '2026-01-20T09:00:00.123Z'],
    ['2026-01-14T06:05:33.0000000Z', '2026-01-14T06:05:33Z'],
    ['2026-01-14T06:05:33.000Z', '2026-01-14T06:05:33Z'],
    ['2026-01-20T09:00:00.45Z', '2026-01-20T09:00:00.450Z'],
    ['2026-01-20T10:00:00+01:00', '2026-01-20T09:00:00Z'],
    ['2026-01-20T04:00:00-0500', '2026-01-20T09:00:00Z'],
    ['2026-01-20T09:00:00', null],
    ['2026-02-30T09:00:00Z', null],
    ['20 Jan 2026', null],
  ])('%s -> %s', (input, expected) => {
    expect(toInstant(input)).toBe(expected);
  });
});

describe('an item that is not an object', () => {
  const mappers: Array<[string, (raw: never) => unknown]> = [
    ['connectwise', (raw) => mapConnectWiseTicket(raw, { tenantId: TENANT, memberEmails: EMAILS, description: '' })],
    ['connectwise', (raw) => mapConnectWiseTimeEntry(raw, { tenantId: TENANT, memberEmails: EMAILS })],
    ['smileback', (raw) => mapSmileBackReview(raw, TENANT)],
    ['sentinelone', (raw) => mapSentinelOneThreat(raw, TENANT)],
    ['defender', (raw) => mapDefenderGraphAlert(raw, TENANT)],
    ['defender', (raw) => mapDefenderEndpointAlert(raw, TENANT)],
  ];

  it.each([
    [null, 'null'],
    [42, 'a number'],
    ['text', 'a string'],
    [[], 'an array'],
  ])('is refused by every mapper as vendor data (%p), never a TypeError', (raw, what) => {
    for (const [vendor, map] of mappers) {
      expect(() => map(raw as never)).toThrow(new VendorDataError(vendor, undefined, 'item', `is ${what}, not an object`));
    }
  });
});
