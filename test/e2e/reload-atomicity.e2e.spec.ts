import { SEED_TICKET } from '../../src/cli/generate/seed-examples.js';
import { MockFileStore } from '../../src/mock/mock-file.store.js';
import type { Ticket } from '../../src/tickets/ticket.record.js';
import { TestApp, bootApp } from '../support/app.js';
import { seedContents, writeFolder } from '../support/seed-folder.js';

/** Tickets all labelled with one version; the first is TKT-001, which the seed's time entry and survey point at. */
function version(label: string, count: number): Ticket[] {
  const tickets: Ticket[] = Array.from({ length: count }, (_, i) => ({
    ...SEED_TICKET,
    cw_ticket_id: `TKT-${String(i).padStart(5, '0')}`,
    summary: `version ${label}`,
    status: i % 2 ? 'New' : 'Closed',
  }));
  tickets[0].cw_ticket_id = 'TKT-001';
  return tickets;
}

describe('a reload under concurrent requests', () => {
  let t: TestApp;
  let dir: string;
  beforeAll(async () => {
    dir = await writeFolder({ ...seedContents(), 'tickets/tenant_demo_cca.json': version('A', 3000) });
    t = await bootApp({ MOCK_MODE: 'true', MOCK_DATA_PATH: dir, MOCK_WATCH: 'false' });
  });
  afterAll(() => t.close());

  it('answers every request wholly from the old version or wholly from the new one', async () => {
    await writeFolder({ 'tickets/tenant_demo_cca.json': version('B', 5000) }, dir);
    const store = t.app.get(MockFileStore);
    const paths = [
      '/api/tenants/tenant_demo_cca/tickets?page_size=1000&sort=summary',
      '/api/tenants/tenant_demo_cca/tickets?status=New&page=2&page_size=500',
      '/api/tenants/tenant_demo_cca/tickets?q=version&sort=-cw_ticket_id&page_size=1000',
    ];
    const seen = new Set<string>();
    let reloaded = false;
    const reload = store.reload().then(() => (reloaded = true));
    const readers = Array.from({ length: 4 }, async (_, reader) => {
      // Each reader ends with a request sent after the reload finished, so version B is always seen.
      for (let n = 0, sentAfterReload = false; !sentAfterReload || n < 3; n++) {
        sentAfterReload = reloaded;
        const res = await t.get(paths[(n + reader) % paths.length]).expect(200);
        const summaries = new Set((res.body.data as Ticket[]).map((ticket) => ticket.summary));
        expect(summaries.size).toBe(1);
        const [label] = [...summaries];
        const expectedTotal = { 'version A': 3000, 'version B': 5000 }[label as string];
        const full = res.request.url.includes('status=New') ? (expectedTotal ?? 0) / 2 : expectedTotal;
        expect(res.body.meta.total).toBe(full);
        seen.add(label as string);
      }
    });
    await Promise.all([reload, ...readers]);
    expect(seen.has('version B')).toBe(true);
    expect((await t.get('/api/tenants/tenant_demo_cca/tickets/TKT-04999').expect(200)).body.summary).toBe('version B');
  });
});
