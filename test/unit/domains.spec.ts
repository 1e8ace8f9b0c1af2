import { mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeDataset } from '../../src/cli/generate/dataset-writer.js';
import { generateDataset } from '../../src/cli/generate/mock-data.generator.js';
import { MOCKABLE_DOMAINS } from '../../src/config/env.validation.js';
import { CSAT } from '../../src/csat/csat.domain.js';
import { CSAT_QUERY, ListCsatQuery } from '../../src/csat/list-csat-query.dto.js';
import { DOMAIN_NAMES, DOMAINS } from '../../src/domains.js';
import { loadMockData } from '../../src/mock/mock-data.loader.js';
import { SEED_DEFENDER_ALERT } from '../../src/cli/generate/seed-examples.js';
import { DOMAIN_VENDOR_CALLS, DOMAINS_BY_VENDOR } from '../../src/config/domains-and-vendors.js';
import { ListSecurityAlertsQuery, SECURITY_ALERT_QUERY } from '../../src/security-alerts/list-security-alerts-query.dto.js';
import { SECURITY_ALERTS } from '../../src/security-alerts/security-alerts.domain.js';
import { ListTicketsQuery, TICKET_QUERY } from '../../src/tickets/list-tickets-query.dto.js';
import { TICKETS } from '../../src/tickets/tickets.domain.js';
import { ListTimeEntriesQuery, TIME_ENTRY_QUERY } from '../../src/time-entries/list-time-entries-query.dto.js';
import { TIME_ENTRIES } from '../../src/time-entries/time-entries.domain.js';
import { seedContents, writeFolder } from '../support/seed-folder.js';

describe('domain descriptors (src/domains.ts)', () => {
  it('lists each domain once, tickets first, and is what MOCK_DOMAINS and the mock folder read', () => {
    expect(DOMAIN_NAMES).toEqual(['tickets', 'time_entries', 'csat', 'security_alerts']);
    expect(MOCKABLE_DOMAINS).toEqual(DOMAIN_NAMES);
    expect(DOMAINS.map((d) => d.name)).toEqual(DOMAIN_NAMES);
    expect(DOMAINS.map(({ name, folder, idFields, ticketRef }) => ({ name, folder, idFields, ticketRef }))).toEqual([
      { name: 'tickets', folder: 'tickets', idFields: ['cw_ticket_id'], ticketRef: undefined },
      { name: 'time_entries', folder: 'time_entries', idFields: ['cw_time_entry_id'], ticketRef: 'cw_ticket_id' },
      { name: 'csat', folder: 'csat', idFields: ['survey_id'], ticketRef: 'ticket_id' },
      { name: 'security_alerts', folder: 'security_alerts', idFields: ['source', 'alert_id'], ticketRef: undefined },
    ]);
  });

  it.each([
    [TICKETS, TICKET_QUERY, ListTicketsQuery],
    [TIME_ENTRIES, TIME_ENTRY_QUERY, ListTimeEntriesQuery],
    [CSAT, CSAT_QUERY, ListCsatQuery],
    [SECURITY_ALERTS, SECURITY_ALERT_QUERY, ListSecurityAlertsQuery],
  ] as const)('gives %s.name\'s list route its id fields and default sort', (domain, query, queryClass) => {
    expect(query.idFields).toBe(domain.idFields);
    expect(query.defaultSort).toBe(domain.defaultSort);
    // The DTO's default is what a request without `sort` gets (and what the OpenAPI document shows).
    expect(new queryClass().sort).toBe(domain.defaultSort);
  });

  it('derives which vendor serves which domain, for the integrations health check, the recorder and the scenarios', () => {
    expect(DOMAINS_BY_VENDOR).toEqual({
      connectwise: ['tickets', 'time_entries'],
      smileback: ['csat'],
      sentinelone: ['security_alerts'],
      defender: ['security_alerts'],
    });
    expect(Object.fromEntries(Object.entries(DOMAIN_VENDOR_CALLS).map(([d, calls]) => [d, calls.map((c) => c.vendor)]))).toEqual({
      tickets: ['connectwise'],
      time_entries: ['connectwise'],
      csat: ['smileback'],
      security_alerts: ['sentinelone', 'defender'],
    });
  });

  it('has the generator write one folder per domain, the folders the loader reads back', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'domains-gen-'));
    const ds = generateDataset({ seed: 7, now: '2026-01-31T00:00:00Z', tenants: 1, tickets: 3, timeEntries: 2, csat: 1, alerts: 2 });
    const { files } = await writeDataset(dir, ds);
    expect(files.filter((f) => f !== 'tenants.json').map((f) => f.split('/')[0])).toEqual(DOMAINS.map((d) => d.folder));
    expect((await readdir(dir)).sort()).toEqual(['tenants.json', ...DOMAINS.map((d) => d.folder)].sort());
    expect((await loadMockData(DOMAINS, dir)).ok).toBe(true);
  });

  it('identifies an alert by source, then alert_id: the same id from two vendors is two alerts, twice from one is a duplicate', async () => {
    const contents = seedContents();
    const file = 'security_alerts/tenant_demo_cca.json';
    const alerts = contents[file] as Record<string, unknown>[];
    alerts.push({ ...SEED_DEFENDER_ALERT, source: 'sentinelone' });
    expect((await loadMockData(DOMAINS, await writeFolder(contents))).problems).toEqual([]);
    alerts.push({ ...SEED_DEFENDER_ALERT, title: 'again' });
    expect((await loadMockData(DOMAINS, await writeFolder(contents))).problems).toEqual([
      { file, record: 3, id: 'defender/DEF-001', field: 'source+alert_id', reason: 'duplicate id (first at record 1)' },
    ]);
  });
});
