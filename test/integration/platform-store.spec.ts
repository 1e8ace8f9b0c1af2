import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { openDatabase } from '../../src/platform/database.js';
import { migrateToLatest } from '../../src/platform/migrations.js';
import { platformOn, PlatformUnderTest } from '../support/platform.js';
import { SecretBox, SecretUndecryptableError } from '../../src/platform/secret-box.js';
import { TenantExistsError, EncryptionUnavailableError, ApiKeyNotFoundError } from '../../src/platform/platform.errors.js';
import { createPostgresDatabase, TestDatabase } from '../support/postgres.js';
import type { Tenant } from '../../src/tenants/tenant.record.js';

const aTenant = (over: Partial<Tenant> = {}): Tenant => ({ id: 'acme', name: 'Acme MSP', is_active: true, llm_enabled: false, ...over });
const CW = (privateKey: string) => ({
  base_url: 'https://cw.example/v4_6_release/apis/3.0',
  company_id: 'acme',
  public_key: 'pub-key',
  private_key: privateKey,
  client_id: 'client-1',
});
const newKey = () => randomBytes(32);

interface Engine {
  name: 'sqlite' | 'postgres';
  setup(): Promise<{ url: string; teardown(): Promise<void> }>;
}

const ENGINES: Engine[] = [
  {
    name: 'sqlite',
    async setup() {
      const dir = await mkdtemp(join(tmpdir(), 'platform-'));
      return { url: `sqlite:${join(dir, 'platform.db')}`, teardown: async () => undefined };
    },
  },
  {
    name: 'postgres',
    async setup() {
      const db: TestDatabase = await createPostgresDatabase();
      return { url: db.url, teardown: () => db.drop() };
    },
  },
];

describe.each(ENGINES)('platform repositories and services on $name', (engine) => {
  let url: string;
  let teardown: () => Promise<void>;
  const opened: PlatformUnderTest[] = [];

  async function open(current: Buffer | null = KEY, previous: Buffer[] = []): Promise<PlatformUnderTest> {
    const { db, engine: kind } = openDatabase(url);
    await migrateToLatest(db);
    const store = platformOn(db, kind, new SecretBox(current ?? undefined, previous));
    opened.push(store);
    return store;
  }
  const KEY = newKey();

  beforeAll(async () => ({ url, teardown } = await engine.setup()));
  afterEach(async () => {
    for (const store of opened.splice(0)) await store.close();
  });
  afterAll(() => teardown());

  let suffix = 0;
  const uniqueId = (base: string) => `${base}-${++suffix}`;

  it('migrates idempotently', async () => {
    const { db, engine: kind } = openDatabase(url);
    expect(await migrateToLatest(db)).toEqual(expect.any(Array));
    expect(await migrateToLatest(db)).toEqual([]);
    const rows = await sql<{ name: string }>`select name from kysely_migration`.execute(db);
    expect(rows.rows.map((r) => r.name)).toEqual(['2026-11-27-001-platform', '2026-12-07-001-replica', '2026-12-08-001-replica-open-reconcile']);
    await db.destroy();
  });

  it('creates, lists and updates tenants; a second create is a conflict', async () => {
    const store = await open();
    const id = uniqueId('acme');
    await store.tenants.create(aTenant({ id }));
    await expect(store.tenants.create(aTenant({ id }))).rejects.toBeInstanceOf(TenantExistsError);
    expect(await store.tenants.update(id, { is_active: false })).toEqual(aTenant({ id, is_active: false }));
    expect((await store.tenants.list()).find((t) => t.id === id)).toEqual(aTenant({ id, is_active: false }));
  });

  it('keeps integration secrets encrypted, returns them only by name, and decrypts them for clients', async () => {
    const store = await open();
    const tenant = uniqueId('t');
    const secret = `PK-${randomBytes(8).toString('hex')}`;
    const view = await store.integrations.put(tenant, 'connectwise', CW(secret));
    expect(view).toMatchObject({ vendor: 'connectwise', configured: true, secrets: ['private_key'] });
    expect(view.settings).toEqual({ ...CW(secret), private_key: undefined, time_zone: 'UTC' } as object);
    expect(JSON.stringify(await store.integrations.list(tenant))).not.toContain(secret);
    const raw = await store.db.selectFrom('integrations').selectAll().where('tenant_id', '=', tenant).executeTakeFirstOrThrow();
    expect(JSON.stringify(raw)).not.toContain(secret);
    expect((await store.integrations.credentialsFor(tenant, 'connectwise'))?.secrets).toEqual({ private_key: secret });
  });

  it('binds each ciphertext to its tenant: moved to another tenant, it does not decrypt', async () => {
    const store = await open();
    const [a, b] = [uniqueId('a'), uniqueId('b')];
    await store.integrations.put(a, 'sentinelone', { base_url: 'https://s1.example', api_token: 'token-a' });
    await store.integrations.put(b, 'sentinelone', { base_url: 'https://s1.example', api_token: 'token-b' });
    const rowA = await store.db.selectFrom('integrations').select('secrets').where('tenant_id', '=', a).executeTakeFirstOrThrow();
    await store.db.updateTable('integrations').set({ secrets: rowA.secrets }).where('tenant_id', '=', b).execute();
    await expect(store.integrations.credentialsFor(b, 'sentinelone')).rejects.toThrow();
    const rotating = await open(newKey(), [KEY]);
    await expect(rotating.integrations.reencryptSecrets()).rejects.toThrow(`cannot decrypt ${b}/sentinelone/api_token`);
    expect((await store.integrations.credentialsFor(a, 'sentinelone'))?.secrets.api_token).toBe('token-a');
    await store.integrations.delete(b, 'sentinelone');
  });

  it('refuses to store a secret without ENCRYPTION_KEY, and writes nothing', async () => {
    const store = await open(null);
    const tenant = uniqueId('nokey');
    await expect(store.integrations.put(tenant, 'smileback', { client_id: 'c', client_secret: 's', username: 'u', password: 'p' })).rejects.toBeInstanceOf(
      EncryptionUnavailableError,
    );
    expect((await store.integrations.list(tenant)).every((i) => !i.configured)).toBe(true);
  });

  it('rotates keys: old ciphertexts still decrypt, and rotate re-encrypts them under the new key', async () => {
    const oldKey = newKey();
    const before = await open(oldKey);
    const tenant = uniqueId('rot');
    await before.integrations.put(tenant, 'defender', { azure_tenant_id: 'az', client_id: 'c', client_secret: 'rotate-me' });

    const rotatedKey = newKey();
    // KEY is "old" too: earlier tests in this database stored secrets under it.
    const during = await open(rotatedKey, [oldKey, KEY]);
    expect((await during.integrations.credentialsFor(tenant, 'defender'))?.secrets.client_secret).toBe('rotate-me');
    expect(await during.integrations.reencryptSecrets()).toBeGreaterThanOrEqual(1);
    expect(await during.integrations.reencryptSecrets()).toBe(0);

    const withoutOld = await open(rotatedKey);
    expect((await withoutOld.integrations.credentialsFor(tenant, 'defender'))?.secrets.client_secret).toBe('rotate-me');
    const stranger = await open(newKey());
    await expect(stranger.integrations.credentialsFor(tenant, 'defender')).rejects.toBeInstanceOf(SecretUndecryptableError);
  });

  it('mints keys shown once, verifies them by hash, and revokes them at once', async () => {
    const store = await open();
    const { id, key } = await store.apiKeys.create('dash', { tenants: ['b_tenant', 'a_tenant', 'a_tenant'] });
    expect(key).toMatch(new RegExp(`^mspk_${id}_`));
    expect(await store.apiKeys.verify(key)).toMatchObject({ id, scope: { tenants: ['a_tenant', 'b_tenant'] } });
    expect(await store.apiKeys.verify(`${key.slice(0, -1)}${key.endsWith('A') ? 'B' : 'A'}`)).toBeUndefined();
    const row = await store.db.selectFrom('api_keys').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect(JSON.stringify(row)).not.toContain(key.split('_').slice(2).join('_'));
    await store.apiKeys.touch(id, null);
    expect((await store.apiKeys.list()).find((k) => k.id === id)?.last_used_at).toEqual(expect.any(String));
    await store.apiKeys.revoke(id);
    await store.apiKeys.revoke(id);
    expect(await store.apiKeys.verify(key)).toBeUndefined();
    await expect(store.apiKeys.revoke('0000000000000000')).rejects.toBeInstanceOf(ApiKeyNotFoundError);
  });

  it('imports tenants and integrations all or nothing', async () => {
    const store = await open();
    const [x, y] = [uniqueId('imp'), uniqueId('imp')];
    const good = { tenant: aTenant({ id: x }), integrations: { connectwise: CW('import-secret') } };
    const broken = { tenant: { ...aTenant({ id: y }), name: null as unknown as string }, integrations: {} };
    // Matched by message: a driver's error may come from another realm than Jest's, where toThrow() misses it.
    await expect(store.imports.import([good, broken])).rejects.toMatchObject({ message: expect.stringMatching(/NOT NULL|null value/i) });
    expect((await store.tenants.list()).map((t) => t.id)).not.toContain(x);
    expect((await store.integrations.list(x)).every((i) => !i.configured)).toBe(true);

    expect(await store.imports.import([good])).toEqual({ created: [x], updated: [] });
    expect(await store.imports.import([{ ...good, tenant: aTenant({ id: x, name: 'Renamed' }) }])).toEqual({ created: [], updated: [x] });
    expect((await store.tenants.list()).find((t) => t.id === x)?.name).toBe('Renamed');
  });

  if (engine.name === 'sqlite') {
    it('leaves no secret in clear text in the database file', async () => {
      const store = await open();
      const secrets = ['clear-text-canary-1', 'clear-text-canary-2'];
      await store.integrations.put(uniqueId('f'), 'smileback', { client_id: 'c', client_secret: secrets[0], username: 'u', password: secrets[1] });
      await store.close();
      opened.splice(opened.indexOf(store), 1);
      const bytes = await readFile(url.slice('sqlite:'.length));
      const wal = await readFile(`${url.slice('sqlite:'.length)}-wal`).catch(() => Buffer.alloc(0));
      for (const s of secrets) {
        expect(bytes.includes(s)).toBe(false);
        expect(wal.includes(s)).toBe(false);
      }
    });
  }
});

