import { loadMockData, formatProblem, MockDataProblem } from '../../src/mock/mock-data.loader.js';
import { FolderContents, seedContents, writeFolder } from '../support/seed-folder.js';
import { SEED_CSAT_SURVEY, SEED_TICKET } from '../../src/cli/generate/seed-examples.js';
import { DOMAINS } from '../../src/domains.js';

async function problemsOf(contents: FolderContents): Promise<MockDataProblem[]> {
  const result = await loadMockData(DOMAINS, await writeFolder(contents));
  return result.problems;
}

/** The seed folder with one file's first record changed. */
function withRecord(file: string, change: (record: Record<string, unknown>) => void): FolderContents {
  const contents = seedContents();
  change((contents[file] as Record<string, unknown>[])[0]);
  return contents;
}

describe('mock-data validator', () => {
  it('accepts the seed examples and reports what it loaded', async () => {
    const result = await loadMockData(DOMAINS, await writeFolder(seedContents()));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.snapshot.recordCount).toBe(5);
    expect(result.snapshot.files).toBe(5);
  });

  it('reports a field of the wrong type', async () => {
    const problems = await problemsOf(withRecord('time_entries/tenant_demo_cca.json', (r) => (r.billable = 'yes')));
    expect(problems).toEqual([
      { file: 'time_entries/tenant_demo_cca.json', record: 0, id: 'TE-001', field: 'billable', reason: 'must be a boolean value' },
    ]);
  });

  it('reports a missing required field', async () => {
    const problems = await problemsOf(withRecord('tickets/tenant_demo_cca.json', (r) => delete r.summary));
    expect(problems).toEqual([
      { file: 'tickets/tenant_demo_cca.json', record: 0, id: 'TKT-001', field: 'summary', reason: 'is required (missing)' },
    ]);
  });

  it('reports a required-nullable field that is absent rather than null', async () => {
    const problems = await problemsOf(withRecord('tickets/tenant_demo_cca.json', (r) => delete r.owner));
    expect(problems).toEqual([expect.objectContaining({ field: 'owner', reason: 'is required (missing)' })]);
    const notEmail = await problemsOf(withRecord('tickets/tenant_demo_cca.json', (r) => (r.owner = 'nobody')));
    expect(notEmail).toEqual([expect.objectContaining({ field: 'owner', reason: 'must be an email address or null' })]);
    expect(await problemsOf(withRecord('tickets/tenant_demo_cca.json', (r) => (r.owner = null)))).toEqual([]);
  });

  it('reports a field the record does not have', async () => {
    const problems = await problemsOf(withRecord('csat/tenant_demo_cca.json', (r) => (r.rating = 1)));
    expect(problems).toEqual([expect.objectContaining({ field: 'rating', reason: 'unknown field (not part of the record)' })]);
  });

  it('reports a duplicate id', async () => {
    const contents = seedContents();
    contents['tickets/tenant_demo_cca.json'] = [SEED_TICKET, { ...SEED_TICKET, summary: 'again' }];
    expect(await problemsOf(contents)).toEqual([
      expect.objectContaining({ record: 1, id: 'TKT-001', reason: 'duplicate id (first at record 0)' }),
    ]);
  });

  it('allows the same alert id from two sources but not twice from one', async () => {
    const contents = seedContents();
    const [s1, def] = contents['security_alerts/tenant_demo_cca.json'] as Record<string, unknown>[];
    contents['security_alerts/tenant_demo_cca.json'] = [s1, { ...def, alert_id: 'S1-001' }, { ...s1 }];
    const problems = await problemsOf(contents);
    expect(problems).toEqual([expect.objectContaining({ record: 2, field: 'source+alert_id' })]);
  });

  it('reports a file for a tenant that tenants.json does not list', async () => {
    const contents = { ...seedContents(), 'tickets/tenant_ghost.json': [] };
    expect(await problemsOf(contents)).toEqual([
      { file: 'tickets/tenant_ghost.json', reason: "tenant 'tenant_ghost' is not listed in tenants.json" },
    ]);
  });

  it('reports a file whose name is not a tenant id', async () => {
    const contents = { ...seedContents(), 'csat/Not A Tenant.json': [] };
    expect((await problemsOf(contents))[0]).toEqual(expect.objectContaining({ file: 'csat/Not A Tenant.json' }));
  });

  it("reports a record whose tenant_id is another tenant's", async () => {
    const problems = await problemsOf(
      withRecord('security_alerts/tenant_demo_cca.json', (r) => (r.tenant_id = 'tenant_demo_client2')),
    );
    expect(problems).toEqual([
      expect.objectContaining({
        file: 'security_alerts/tenant_demo_cca.json',
        record: 0,
        field: 'tenant_id',
        reason: "'tenant_demo_client2' differs from the file's tenant 'tenant_demo_cca'",
      }),
    ]);
  });

  it('reports a time entry pointing at a ticket that does not exist', async () => {
    const problems = await problemsOf(withRecord('time_entries/tenant_demo_cca.json', (r) => (r.cw_ticket_id = 'TKT-404')));
    expect(problems).toEqual([
      expect.objectContaining({ field: 'cw_ticket_id', reason: expect.stringContaining("'TKT-404', which does not exist") }),
    ]);
  });

  it('reports a survey pointing at a ticket that does not exist, but accepts a null ticket', async () => {
    const problems = await problemsOf(withRecord('csat/tenant_demo_cca.json', (r) => (r.ticket_id = 'TKT-404')));
    expect(problems).toEqual([expect.objectContaining({ id: 'SRV-001', field: 'ticket_id' })]);
    expect(await problemsOf(withRecord('csat/tenant_demo_cca.json', (r) => (r.ticket_id = null)))).toEqual([]);
  });

  it('accepts references outside the folder in a recorded folder (recording.json), and reports a malformed manifest', async () => {
    const dangling = withRecord('csat/tenant_demo_cca.json', (r) => (r.ticket_id = 'TKT-404'));
    const manifest = { recorded_from: 'tenant_demo_cca', redacted: true, live_window_days: 90, domains: ['csat'] };
    expect(await problemsOf({ ...dangling, 'recording.json': manifest })).toEqual([]);
    const otherwiseChecked = withRecord('csat/tenant_demo_cca.json', (r) => (r.score = 9));
    expect(await problemsOf({ ...otherwiseChecked, 'recording.json': manifest })).toEqual([expect.objectContaining({ field: 'score' })]);
    expect(await problemsOf({ ...dangling, 'recording.json': ['not', 'a', 'manifest'] })).toEqual([
      expect.objectContaining({ file: 'recording.json', reason: expect.stringContaining('recorded_from') }),
      expect.objectContaining({ field: 'ticket_id' }),
    ]);
  });

  it('reports a ticket updated before it was created', async () => {
    const problems = await problemsOf(
      withRecord('tickets/tenant_demo_cca.json', (r) => (r.updated_at_remote = '2026-01-19T00:00:00Z')),
    );
    expect(problems).toEqual([
      expect.objectContaining({ field: 'updated_at_remote', reason: 'must not be before created_at_remote' }),
    ]);
  });

  it('reports an alert resolved before it was detected', async () => {
    const contents = seedContents();
    (contents['security_alerts/tenant_demo_cca.json'] as Record<string, unknown>[])[1].resolved_at = '2026-01-01T00:00:00Z';
    expect(await problemsOf(contents)).toEqual([expect.objectContaining({ id: 'defender/DEF-001', field: 'resolved_at' })]);
  });

  it('reports the type first: a number held as a string is not "less than 0"', async () => {
    const problems = await problemsOf(withRecord('tickets/tenant_demo_cca.json', (r) => (r.estimated_hours = '2')));
    expect(problems).toEqual([expect.objectContaining({ field: 'estimated_hours', reason: expect.stringMatching(/must be a number/) })]);
  });

  it('reports instants that are not UTC ISO 8601, and impossible days', async () => {
    const problems = await problemsOf(
      withRecord('tickets/tenant_demo_cca.json', (r) => (r.created_at_remote = '2026-01-20 09:00:00')),
    );
    expect(problems[0]).toEqual(expect.objectContaining({ field: 'created_at_remote' }));
    const days = await problemsOf(withRecord('time_entries/tenant_demo_cca.json', (r) => (r.date_worked = '2026-02-30')));
    expect(days).toEqual([expect.objectContaining({ field: 'date_worked' })]);
  });

  it('reports a sentiment that disagrees with the score', async () => {
    const problems = await problemsOf(withRecord('csat/tenant_demo_cca.json', (r) => (r.score = 2)));
    expect(problems).toEqual([expect.objectContaining({ field: 'sentiment', reason: expect.stringContaining("expected 'negative'") })]);
  });

  it('reports malformed JSON with its line and column', async () => {
    const contents: FolderContents = {
      ...seedContents(),
      'time_entries/tenant_demo_cca.json': '[\n  {"tenant_id": "tenant_demo_cca",\n   "minutes" 45}\n]',
    };
    const problems = await problemsOf(contents);
    expect(problems).toEqual([
      { file: 'time_entries/tenant_demo_cca.json', line: 3, column: 14, reason: 'malformed JSON: ColonExpected' },
    ]);
    expect(formatProblem(problems[0])).toBe('time_entries/tenant_demo_cca.json:3:14: malformed JSON: ColonExpected');
  });

  it('reports a file that is not an array, and items that are not objects', async () => {
    const problems = await problemsOf({ ...seedContents(), 'csat/tenant_demo_cca.json': { survey_id: 'x' } });
    expect(problems).toEqual([{ file: 'csat/tenant_demo_cca.json', reason: 'must be a JSON array of records' }]);
    const items = await problemsOf({ ...seedContents(), 'csat/tenant_demo_cca.json': [SEED_CSAT_SURVEY, 7] });
    expect(items).toEqual([{ file: 'csat/tenant_demo_cca.json', record: 1, reason: 'must be a JSON object' }]);
  });

  it('reports a missing tenants.json, and bad or duplicate tenants', async () => {
    const { 'tenants.json': _gone, ...rest } = seedContents();
    expect(await problemsOf(rest)).toEqual([expect.objectContaining({ file: 'tenants.json', reason: expect.stringMatching(/^missing/) })]);
    const tenants = [
      { id: 'tenant_demo_cca', name: 'A', is_active: true, llm_enabled: true },
      { id: 'tenant_demo_cca', name: 'B', is_active: true, llm_enabled: true },
      { id: 'Bad/Id', name: 'C', is_active: 'yes', llm_enabled: false },
    ];
    const problems = await problemsOf({ 'tenants.json': tenants });
    expect(problems.map((p) => `${p.record}:${p.field}`)).toEqual(['1:id', '2:id', '2:is_active']);
  });

  it('reports every problem in the folder at once, not just the first', async () => {
    const contents = seedContents();
    (contents['tickets/tenant_demo_cca.json'] as Record<string, unknown>[])[0].priority = 3;
    (contents['time_entries/tenant_demo_cca.json'] as Record<string, unknown>[])[0].billable = 'yes';
    contents['csat/tenant_demo_cca.json'] = '{oops';
    const problems = await problemsOf(contents);
    expect(problems.map((p) => p.file)).toEqual([
      'tickets/tenant_demo_cca.json',
      'time_entries/tenant_demo_cca.json',
      'csat/tenant_demo_cca.json',
    ]);
  });

  it('does not report references into a tickets file it could not read', async () => {
    const problems = await problemsOf({ ...seedContents(), 'tickets/tenant_demo_cca.json': '[' });
    expect(problems).toHaveLength(1);
    expect(problems[0].file).toBe('tickets/tenant_demo_cca.json');
  });

  it('ignores dot-files such as an atomic writer’s temporary file', async () => {
    const contents = { ...seedContents(), 'tickets/.tenant_demo_cca.json.tmp-1': '[half', 'tickets/.hidden.json': '{' };
    expect(await problemsOf(contents)).toEqual([]);
  });
});
