import { FakeSentinelOne } from '../fakes/fake-sentinelone.js';
import type { TestApp } from '../support/app.js';
import { call } from '../support/live-fixtures.js';
import { bootSyncedApp, REPLICA_ENV, runHistory, streamStatus } from '../support/replica-runs.js';

describe('vendor URLs with VENDOR_ALLOW_PRIVATE_NETWORKS=false', () => {
  let t: TestApp;
  let fake: FakeSentinelOne;
  const admin = () => call(t.app);

  beforeAll(async () => {
    // A loaded machine can take longer than LIVE_ENV's 500 ms to resolve localhost; nothing is ever called here.
    t = await bootSyncedApp({ ...REPLICA_ENV, VENDOR_ALLOW_PRIVATE_NETWORKS: 'false', VENDOR_TIMEOUT_MS: '10000' });
    fake = await FakeSentinelOne.start();
    await admin().post('/api/admin/tenants', { id: 'tenant_ssrf', name: 'SSRF', is_active: true, llm_enabled: false }).expect(201);
  });
  afterAll(async () => {
    await fake.close();
    await t.close();
  });

  const put = (base_url: string) => admin().put('/api/admin/tenants/tenant_ssrf/integrations/sentinelone', fake.integration({ base_url }));

  it.each([
    ['plain http', 'http://s1.example.com', /must be an https URL/],
    ['cloud metadata (link-local)', 'https://169.254.169.254', /private, loopback or link-local/],
    ['loopback', 'https://127.0.0.1:8443', /private, loopback or link-local/],
    ['a private network', 'https://10.1.2.3', /private, loopback or link-local/],
    ['IPv6 loopback', 'https://[::1]', /private, loopback or link-local/],
    ['IPv4-mapped IPv6', 'https://[::ffff:169.254.169.254]', /private, loopback or link-local/],
  ])('refuses %s as base_url when the integration is stored (400 naming the field)', async (_label, url, message) => {
    const res = await put(url);
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ field: 'base_url', message: expect.stringMatching(message) }]);
  });

  it('refuses at connect time a host name that resolves to loopback: the test route and the sync say so without calling it', async () => {
    await put(`https://localhost:${new URL(fake.baseUrl).port}`).expect(200);
    const test = await admin().post('/api/admin/tenants/tenant_ssrf/integrations/sentinelone/test').expect(200);
    expect(test.body.ok).toBe(false);
    expect(test.body.error).toMatch(/was not called: localhost resolves to .*(127\.0\.0\.1|::1)/);
    // The first read starts the stream's first sync, whose every call the address guard refuses.
    const data = await admin().get('/api/tenants/tenant_ssrf/security-alerts');
    expect(data.status).toBe(502);
    expect(data.body.type).toBe('/problems/vendor-address-refused');
    expect(data.body.detail).toMatch(/^sentinelone was not called: localhost resolves to .*(127\.0\.0\.1|::1).*VENDOR_ALLOW_PRIVATE_NETWORKS=true/);
    const status = await streamStatus(t.app, 'tenant_ssrf', 'sentinelone.threats');
    expect({ state: status.state, records: status.records, last_error: status.last_error }).toEqual({ state: 'failed', records: 0, last_error: data.body.detail });
    const [run] = await runHistory(t.app, 'tenant_ssrf', 'sentinelone.threats');
    expect(run.error).toBe(data.body.detail);
    expect(fake.requests).toEqual([]);
  });
});
