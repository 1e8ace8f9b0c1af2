import type { RecordedRequest, FakeReply } from '../fakes/fake-server.js';
import { FakeSmileBack } from '../fakes/fake-smileback.js';
import type { StreamName } from '../../src/sync/stream.js';
import { CapturingLogger, TestApp } from '../support/app.js';
import { bulkReviews, bulkThreats, bulkTickets, call, closeFakes, Fakes, MEMBERS, mintTenantKey, registerTenant, startFakes } from '../support/live-fixtures.js';
import { bootSyncedApp, REPLICA_ENV, runHistory, runStream, streamStatus } from '../support/replica-runs.js';
import { SECRET_SPELLINGS, showsSecret } from '../support/secret-spellings.js';

/** A SmileBack whose token endpoint answers 400 and echoes back everything it was sent, in several encodings. */
class EchoingSmileBack extends FakeSmileBack {
  static override start(): Promise<EchoingSmileBack> {
    return new EchoingSmileBack().listen();
  }

  protected override handle(req: RecordedRequest): FakeReply {
    if (req.path !== '/api/token/') return super.handle(req);
    const form = new URLSearchParams(req.body);
    const password = form.get('password') ?? '';
    const secret = form.get('client_secret') ?? '';
    return this.json(400, {
      error: 'invalid_grant',
      error_description: [
        `raw body ${req.body}`,
        `fields ${password} ${secret}`,
        `json ${JSON.stringify({ password, secret })}`,
        `uri ${encodeURIComponent(password)}`,
        `b64 ${Buffer.from(password).toString('base64')} ${Buffer.from(secret).toString('base64url')}`,
        `basic ${Buffer.from(`${form.get('client_id')}:${secret}`).toString('base64')}`,
        `auth ${req.headers.authorization ?? ''}`,
      ].join(' | '),
    });
  }
}

/** Every spelling of a secret this test knows a vendor could echo. */
function spellings(secret: string, identity: string): string[] {
  const b64 = (v: string) => Buffer.from(v).toString('base64');
  return [
    secret,
    encodeURIComponent(secret),
    new URLSearchParams({ v: secret }).toString().slice(2),
    JSON.stringify(secret).slice(1, -1),
    b64(secret),
    Buffer.from(secret).toString('base64url'),
    b64(`${identity}:${secret}`),
  ];
}

/*
 * Live reads come from the replica: a vendor's error text reaches the stream's sync status (admins
 * only), its run history and the log, each scrubbed of every spelling of the integration's secrets;
 * a read answers a failed first sync with the vendor and status only, whoever asks.
 */

describe('vendor error text never carries an integration secret', () => {
  let t: TestApp;
  let fake: EchoingSmileBack;
  const logger = new CapturingLogger();
  // Characters that every encoding spells differently.
  const password = 'p@ss w/rd+=&%Z?é';
  const clientSecret = 'cl!ent sécret/+=';

  beforeAll(async () => {
    t = await bootSyncedApp(REPLICA_ENV, logger);
    fake = await EchoingSmileBack.start();
    await registerTenant(t.app, 'tenant_echo', { smileback: fake }, { smileback: { password, client_secret: clientSecret } });
  });
  afterAll(async () => {
    await fake.close();
    await t.close();
  });

  const leaks = (text: string) => [
    ...spellings(password, fake.credentials.username).filter((s) => text.includes(s)),
    ...spellings(clientSecret, fake.credentials.client_id).filter((s) => text.includes(s)),
  ];

  it('answers a read with the vendor and status only, and shows an admin the scrubbed vendor text in the sync status', async () => {
    const key = await mintTenantKey(t.app, ['tenant_echo']);
    const tenant = await call(t.app, key).get('/api/tenants/tenant_echo/csat');
    expect(tenant.status).toBe(502);
    expect(tenant.body.type).toBe('/problems/vendor-error');
    expect(tenant.body.detail).toMatch(/^smileback answered 400 to POST \/api\/token\/$/);

    // The read's answer is the same for an admin: the vendor's own words are in the sync status.
    const admin = await call(t.app).get('/api/tenants/tenant_echo/csat');
    expect(admin.status).toBe(502);
    expect(admin.body.detail).toBe(tenant.body.detail);
    const status = await streamStatus(t.app, 'tenant_echo', 'smileback.reviews');
    expect(status.state).toBe('failed');
    expect(status.last_error).toMatch(/^smileback answered 400 to POST \/api\/token\/: .*invalid_grant/);
    expect(status.last_error).toContain('[redacted]');
    const [run] = await runHistory(t.app, 'tenant_echo', 'smileback.reviews');
    expect(run.error).toBe(status.last_error);

    expect(leaks(JSON.stringify(tenant.body))).toEqual([]);
    expect(leaks(JSON.stringify(admin.body))).toEqual([]);
    expect(leaks((await call(t.app).get('/api/admin/tenants/tenant_echo/sync')).text)).toEqual([]);
    expect(leaks(JSON.stringify(run))).toEqual([]);
    expect(leaks(logger.lines.join('\n'))).toEqual([]);
    expect(logger.lines.join('\n')).toMatch(/smileback answered 400 to POST \/api\/token\/: .*invalid_grant.*\[redacted\]/);
  });

  it('answers the integration test with the status and a short reason, not what the vendor wrote', async () => {
    const res = await call(t.app).post('/api/admin/tenants/tenant_echo/integrations/smileback/test').expect(200);
    expect(res.body.ok).toBe(false);
    expect(res.body.error).toMatch(/^400 from SmileBack/);
    expect(res.body.error).not.toMatch(/invalid_grant|raw body|redacted/);
    expect(leaks(JSON.stringify(res.body))).toEqual([]);
  });
});

describe('a secret a vendor echoes in any spelling reaches neither the admin nor a log line', () => {
  let t: TestApp;
  let fakes: Fakes;
  const logger = new CapturingLogger();
  // Characters that encodings spell differently, a `%41` that looks like an escape, and a non-ASCII letter.
  const token = 'S1/tok+en=&Zq?x%41-eyJr';
  const password = 'p@ss w/rd+=&%Z?é-81f0';
  const privateKey = 'cw/Priv+key=&é:41aa';

  beforeAll(async () => {
    t = await bootSyncedApp({ ...REPLICA_ENV, VENDOR_BREAKER_THRESHOLD: '100' }, logger);
    fakes = await startFakes();
    fakes.sentinelone.apiToken = token;
    fakes.smileback.credentials.password = password;
    fakes.connectwise.credentials.private_key = privateKey;
    const bulk = bulkTickets(3, 300_001);
    Object.assign(fakes.connectwise, { members: [...MEMBERS], tickets: bulk.tickets, notes: bulk.notes });
    fakes.smileback.reviews = bulkReviews(3, 40_000_001);
    fakes.sentinelone.threats = bulkThreats(3, 1);
    await registerTenant(t.app, 'tenant_spellings', { sentinelone: fakes.sentinelone, smileback: fakes.smileback, connectwise: fakes.connectwise });
    // Every stream synced once: each case's failing run leaves the last good data served.
    for (const route of ['security-alerts', 'csat', 'tickets']) {
      const res = await call(t.app).get(`/api/tenants/tenant_spellings/${route}`);
      if (res.status !== 200) throw new Error(`first sync of ${route}: ${res.status} ${res.text}`);
    }
  });
  afterAll(async () => {
    await closeFakes(fakes);
    await t?.close();
  });

  const vendors = [
    {
      vendor: 'sentinelone',
      secret: token,
      route: 'security-alerts',
      stream: 'sentinelone.threats' as StreamName,
      fail: (raw: string) => fakes.sentinelone.failNext(1, { status: 400, rawBody: raw }),
    },
    { vendor: 'smileback', secret: password, route: 'csat', stream: 'smileback.reviews' as StreamName, fail: (raw: string) => fakes.smileback.failNext(1, { status: 400, rawBody: raw }) },
    {
      vendor: 'connectwise',
      secret: privateKey,
      route: 'tickets',
      stream: 'connectwise.tickets' as StreamName,
      fail: (raw: string) => fakes.connectwise.failNext(1, { status: 400, rawBody: raw, path: '/service/tickets' }),
    },
  ];
  const cases = vendors.flatMap((v) => SECRET_SPELLINGS.map((spelling) => [v.vendor, spelling.name, v, spelling] as const));

  it.each(cases)('%s echoing its secret %s', async (vendor, _name, { secret, route, stream, fail }, spelling) => {
    fail(`echo ${spelling.spell(secret)} end`);
    const linesBefore = logger.lines.length;
    expect(await runStream(t.app, 'tenant_spellings', stream)).toBeInstanceOf(Error);

    const status = await streamStatus(t.app, 'tenant_spellings', stream);
    expect(status.state).toBe('failed');
    const detail = status.last_error as string;
    expect(detail).toMatch(new RegExp(`^${vendor} answered 400 to GET \\S+: echo .*\\[redacted\\].* end$`));
    if (spelling.exact) expect(detail).toMatch(/: echo \[redacted\] end$/);
    expect(showsSecret(detail, secret)).toBe(false);
    const [run] = await runHistory(t.app, 'tenant_spellings', stream);
    expect(run.error).toBe(detail);

    const logged = logger.lines.slice(linesBefore).join('\n');
    expect(logged).toMatch(new RegExp(`^warn .*${vendor} answered 400 to GET \\S+: echo .*\\[redacted\\].* end$`, 'm'));
    expect(showsSecret(logged, secret)).toBe(false);

    // Reads go on from the last good data, saying it is stale, with nothing of the vendor's text.
    const res = await call(t.app).get(`/api/tenants/tenant_spellings/${route}`);
    expect(res.status).toBe(200);
    expect(res.headers['x-stale-vendors']).toBe(vendor);
    expect(showsSecret(res.text, secret)).toBe(false);
  });
});
