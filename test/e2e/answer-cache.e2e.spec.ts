import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import request from 'supertest';
import { TICKETS as TICKETS_DOMAIN } from '../../src/tickets/tickets.domain.js';
import { MockFileProvider } from '../../src/mock/mock-file.provider.js';
import { MockFileStore } from '../../src/mock/mock-file.store.js';
import { SEED_TICKET } from '../../src/cli/generate/seed-examples.js';
import { TICKET_SOURCE, TicketSource } from '../../src/tickets/sources/ticket-source.js';
import { bootApp, server, TEST_ADMIN_KEY, TestApp } from '../support/app.js';
import { seedContents, writeFolder } from '../support/seed-folder.js';

const TICKETS = '/api/tenants/tenant_demo_cca/tickets';
const auth = { authorization: `Bearer ${TEST_ADMIN_KEY}` };

describe('kept answers of data GETs (mock mode)', () => {
  let t: TestApp;
  let folder: string;
  let listCalls = 0;
  const http = () => request(server(t.app));

  beforeAll(async () => {
    folder = await writeFolder(seedContents());
    t = await bootApp({ MOCK_MODE: 'true', MOCK_DATA_PATH: folder, MOCK_WATCH: 'false' }, (builder) =>
      builder.overrideProvider(TICKET_SOURCE).useFactory({
        inject: [MockFileStore],
        factory: (store: MockFileStore): TicketSource => {
          const source = MockFileProvider.of(store, TICKETS_DOMAIN);
          return {
            list: (tenantId) => {
              listCalls += 1;
              return source.list(tenantId);
            },
          };
        },
      }),
    );
  });
  afterAll(async () => {
    await t?.close();
    await rm(folder, { recursive: true, force: true });
  });

  it('the same question at the same data version is answered again without reading the source, byte for byte, with Link from the URL as sent', async () => {
    const first = await http().get(`${TICKETS}?page_size=1&page=2`).set(auth);
    expect(first.status).toBe(200);
    const before = listCalls;
    // The same question in other words: parameters reordered, a value percent-encoded.
    const again = await http().get(`${TICKETS}?page=2&page_size=%31`).set(auth);
    expect(listCalls).toBe(before);
    expect(again.status).toBe(200);
    expect(again.text).toBe(first.text);
    expect(again.headers['content-type']).toBe(first.headers['content-type']);
    expect(again.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(again.headers['content-length']).toBe(first.headers['content-length']);
    expect(again.headers.etag).toBe(first.headers.etag);
    expect(again.headers['x-total-count']).toBe(first.headers['x-total-count']);
    expect(first.headers.link).toContain(`<${TICKETS}?page_size=1&page=1>; rel="first"`);
    expect(again.headers.link).toContain(`<${TICKETS}?page_size=%31&page=1>; rel="first"`);
  });

  it('a kept answer is still refused to a bad query, an unknown tenant and a missing key', async () => {
    await http().get(TICKETS).set(auth);
    expect((await http().get(`${TICKETS}?page=0`).set(auth)).status).toBe(400);
    expect((await http().get('/api/tenants/tenant_nope/tickets').set(auth)).status).toBe(404);
    expect((await http().get(TICKETS)).status).toBe(401);
  });

  it('a reload with changed data answers the new data, read from the source', async () => {
    const before = await http().get(TICKETS).set(auth);
    await http().get(TICKETS).set(auth);
    const calls = listCalls;
    await writeFile(join(folder, 'tickets/tenant_demo_cca.json'), JSON.stringify([{ ...SEED_TICKET, summary: 'Changed for the kept-answer test' }]));
    await t.app.get(MockFileStore).reload();
    const after = await http().get(TICKETS).set(auth);
    expect(after.status).toBe(200);
    expect(listCalls).toBeGreaterThan(calls);
    expect(after.body.data[0].summary).toBe('Changed for the kept-answer test');
    expect(after.headers.etag).not.toBe(before.headers.etag);
  });

  it('HEAD of a kept answer has its headers and no body', async () => {
    const get = await http().get(`${TICKETS}?page_size=1`).set(auth);
    const head = await http().head(`${TICKETS}?page_size=1`).set(auth);
    expect(head.status).toBe(200);
    expect(head.headers.etag).toBe(get.headers.etag);
    expect(head.headers['content-length']).toBe(get.headers['content-length']);
    expect(head.text ?? '').toBe('');
  });
});
