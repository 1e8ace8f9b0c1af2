import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../../src/platform/database.js';
import { createPostgresDatabase } from '../support/postgres.js';
import { seedContents, writeFolder } from '../support/seed-folder.js';
import { runNode, startNode } from './run.js';

const CLI = 'dist/cli/platform-cli.js';
const key = () => randomBytes(32).toString('base64');

describe('npm run cli', () => {
  let env: Record<string, string>;
  let dbFile: string;
  const cli = (...args: string[]) => runNode([CLI, ...args], env);

  beforeAll(async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cli-'));
    dbFile = join(dir, 'platform.db');
    env = { DATABASE_URL: `sqlite:${dbFile}`, MOCK_DATA_PATH: await writeFolder(seedContents()), ENCRYPTION_KEY: key(), MOCK_WATCH: 'false' };
  });

  async function tenantsInStore(): Promise<string[]> {
    const { db } = openDatabase(env.DATABASE_URL);
    try {
      return (await db.selectFrom('tenants').select('id').orderBy('id').execute()).map((r) => r.id);
    } finally {
      await db.destroy();
    }
  }

  it('creates, lists and revokes keys', async () => {
    const created = await cli('keys', 'create', '--name', 'dashboard', '--tenant', 'tenant_demo_cca');
    expect(created.code).toBe(0);
    const [, id] = /^id:\s+(\w+)$/m.exec(created.stdout) ?? [];
    const [, minted] = /^key:\s+(\S+)$/m.exec(created.stdout) ?? [];
    expect(minted).toMatch(new RegExp(`^mspk_${id}_`));

    const listed = await cli('keys', 'list', '--json');
    const keys = JSON.parse(listed.stdout);
    expect(keys).toEqual([expect.objectContaining({ id, name: 'dashboard', scope: { tenants: ['tenant_demo_cca'] }, revoked_at: null })]);
    expect(listed.stdout).not.toContain(minted.split('_').slice(2).join('_'));

    expect((await cli('keys', 'revoke', id)).code).toBe(0);
    expect(JSON.parse((await cli('keys', 'list', '--json')).stdout)[0].revoked_at).toEqual(expect.any(String));
    const unknown = await cli('keys', 'revoke', 'ffffffffffffffff');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/does not exist/);
  });

  it('refuses keys for unknown tenants and bad usage', async () => {
    const unknown = await cli('keys', 'create', '--name', 'x', '--tenant', 'tenant_ghost');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/unknown tenant\(s\): tenant_ghost/);
    expect((await cli('keys', 'create', '--name', 'x')).code).toBe(1);
    expect((await cli('keys', 'create', '--tenant', 'tenant_demo_cca')).code).toBe(2);
    expect((await cli('keys', 'create', '--name', 'x', '--tenant', 'Bad/Id')).code).toBe(2);
  });

  it('imports tenants with their integrations, encrypted, in one transaction', async () => {
    const file = join(await mkdtemp(join(tmpdir(), 'import-')), 'tenants.json');
    await writeFile(
      file,
      JSON.stringify([
        {
          id: 'tenant_acme',
          name: 'Acme',
          is_active: true,
          llm_enabled: false,
          integrations: { sentinelone: { base_url: 'https://usea1.sentinelone.net', api_token: 'import-canary-token' } },
        },
        { id: 'tenant_beta', name: 'Beta', is_active: false, llm_enabled: true },
      ]),
    );
    const result = await cli('tenants', 'import', file);
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(/imported 2 tenant\(s\) \(created: tenant_acme, tenant_beta; updated: none\) and 1 integration/);
    expect(await tenantsInStore()).toEqual(['tenant_acme', 'tenant_beta']);
    const bytes = Buffer.concat([await readFile(dbFile), await readFile(`${dbFile}-wal`).catch(() => Buffer.alloc(0))]);
    expect(bytes.includes('import-canary-token')).toBe(false);
    expect((await cli('tenants', 'import', file)).stdout).toMatch(/created: none; updated: tenant_acme, tenant_beta/);
  });

  it('reports every bad entry and writes nothing', async () => {
    const file = join(await mkdtemp(join(tmpdir(), 'import-bad-')), 'tenants.json');
    await writeFile(
      file,
      JSON.stringify([
        { id: 'tenant_gamma', name: 'Gamma', is_active: true, llm_enabled: false },
        { id: 'Tenant Bad', name: '', is_active: 'yes', llm_enabled: false },
        { id: 'tenant_delta', name: 'Delta', is_active: true, llm_enabled: false, integrations: { autotask: {}, connectwise: { base_url: 'x' } } },
        { id: 'tenant_gamma', name: 'Again', is_active: true, llm_enabled: false },
        42,
      ]),
    );
    const result = await cli('tenants', 'import', file);
    expect(result.code).toBe(1);
    const lines = result.stderr.split('\n');
    expect(lines[0]).toMatch(/problem\(s\), nothing written:$/);
    for (const expected of [
      'entry 1 (Tenant Bad): id:',
      'entry 1 (Tenant Bad): name:',
      'entry 1 (Tenant Bad): is_active:',
      'entry 2 (tenant_delta): integrations.autotask: unknown vendor',
      'entry 2 (tenant_delta): integrations.connectwise.base_url:',
      'entry 2 (tenant_delta): integrations.connectwise.private_key: is required',
      'entry 3 (tenant_gamma): id: duplicate of entry 0',
      'entry 4: must be a JSON object',
    ]) {
      expect({ expected, found: lines.some((l) => l.includes(expected)) }).toEqual({ expected, found: true });
    }
    expect(await tenantsInStore()).not.toContain('tenant_gamma');
    expect((await cli('tenants', 'import', '/nonexistent.json')).stderr).toMatch(/no such file/);
  });

  it('rotates secrets to a new key, after which the old key is no longer needed', async () => {
    const oldKey = env.ENCRYPTION_KEY;
    const newKey = key();
    const rotated = await runNode([CLI, 'secrets', 'rotate'], { ...env, ENCRYPTION_KEY: newKey, ENCRYPTION_KEYS_PREVIOUS: oldKey });
    expect(rotated.stdout).toMatch(/re-encrypted 1 secret\(s\)/);
    const again = await runNode([CLI, 'secrets', 'rotate'], { ...env, ENCRYPTION_KEY: newKey });
    expect(again.stdout).toMatch(/re-encrypted 0 secret\(s\)/);
    const lost = await runNode([CLI, 'secrets', 'rotate'], { ...env, ENCRYPTION_KEY: key() });
    expect(lost.code).toBe(1);
    // Stopped when the store opens, before any command runs, naming ENCRYPTION_KEY and what fails.
    expect(lost.stderr).toMatch(/1 of 1 stored vendor secrets do not decrypt with ENCRYPTION_KEY.*cannot decrypt tenant_acme\/sentinelone\/api_token/);
    env.ENCRYPTION_KEY = newKey;
  });

  it('applies the admin API\'s URL guard to imported integrations: no userinfo ever, https and a public address unless VENDOR_ALLOW_PRIVATE_NETWORKS', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'import-urls-'));
    const entry = (id: string, base_url: string) => ({
      id,
      name: id,
      is_active: true,
      llm_enabled: false,
      integrations: { sentinelone: { base_url, api_token: 'url-canary-token' } },
    });
    const file = join(dir, 'tenants.json');
    await writeFile(
      file,
      JSON.stringify([
        entry('tenant_userinfo', 'https://admin:hunter2@usea1.sentinelone.net'),
        entry('tenant_user', 'https://admin@usea1.sentinelone.net'),
        entry('tenant_plain', 'http://usea1.sentinelone.net'),
        entry('tenant_private', 'https://10.0.0.5'),
      ]),
    );
    const refused = await runNode([CLI, 'tenants', 'import', file], { ...env, VENDOR_ALLOW_PRIVATE_NETWORKS: 'false' });
    expect(refused.code).toBe(1);
    const lines = refused.stderr.split('\n');
    for (const expected of [
      'entry 0 (tenant_userinfo): integrations.sentinelone.base_url: must not contain a user name or password',
      'entry 1 (tenant_user): integrations.sentinelone.base_url: must not contain a user name or password',
      'entry 2 (tenant_plain): integrations.sentinelone.base_url: must be an https URL',
      'entry 3 (tenant_private): integrations.sentinelone.base_url: must not point to a private, loopback or link-local address',
    ]) {
      expect({ expected, found: lines.some((l) => l.includes(expected)) }).toEqual({ expected, found: true });
    }
    expect(refused.stderr).not.toContain('hunter2');
    expect(await tenantsInStore()).not.toContain('tenant_plain');

    // As in the API, VENDOR_ALLOW_PRIVATE_NETWORKS lets http and private addresses through, never userinfo.
    const allowed = join(dir, 'allowed.json');
    await writeFile(allowed, JSON.stringify([entry('tenant_plain', 'http://usea1.sentinelone.net'), entry('tenant_private', 'https://10.0.0.5')]));
    expect((await runNode([CLI, 'tenants', 'import', allowed], { ...env, VENDOR_ALLOW_PRIVATE_NETWORKS: 'true' })).code).toBe(0);
    const userinfo = join(dir, 'userinfo.json');
    await writeFile(userinfo, JSON.stringify([entry('tenant_userinfo', 'https://admin:hunter2@usea1.sentinelone.net')]));
    const still = await runNode([CLI, 'tenants', 'import', userinfo], { ...env, VENDOR_ALLOW_PRIVATE_NETWORKS: 'true' });
    expect(still.code).toBe(1);
    expect(still.stderr).toMatch(/base_url: must not contain a user name or password/);
    expect(await tenantsInStore()).not.toContain('tenant_userinfo');
  });

  it('refuses a NUL character in any imported text field, naming it, and writes nothing', async () => {
    const file = join(await mkdtemp(join(tmpdir(), 'import-nul-')), 'tenants.json');
    await writeFile(file, JSON.stringify([{ id: 'tenant_nul', name: 'Nul\u0000Corp', is_active: true, llm_enabled: false }]));
    const result = await cli('tenants', 'import', file);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/entry 0 \(tenant_nul\): name: must not contain the NUL character/);
    expect(await tenantsInStore()).not.toContain('tenant_nul');
  });
});

describe("README's walkthrough: from an empty PostgreSQL to a tenant with a key", () => {
  it('imports into the empty database, mints a key for the tenant, and the server then serves it with that key', async () => {
    const database = await createPostgresDatabase();
    const work = await mkdtemp(join(tmpdir(), 'walkthrough-'));
    const file = join(work, 'tenants.json');
    await writeFile(
      file,
      JSON.stringify([
        {
          id: 'tenant_acme',
          name: 'Acme MSP',
          is_active: true,
          llm_enabled: false,
          integrations: { sentinelone: { base_url: 'https://usea1.sentinelone.net', api_token: '<token>' } },
        },
      ]),
    );
    // What the README exports; the rest comes from .env.local, as for a person following it.
    const env = { DATABASE_URL: database.url, MOCK_MODE: 'false', ENCRYPTION_KEY: key() };
    try {
      const imported = await runNode([CLI, 'tenants', 'import', file], env);
      expect(imported).toMatchObject({ code: 0, stderr: '' });
      expect(imported.stdout).toBe('imported 1 tenant(s) (created: tenant_acme; updated: none) and 1 integration(s)\n');

      const created = await runNode([CLI, 'keys', 'create', '--name', 'Acme dashboard', '--tenant', 'tenant_acme'], env);
      expect(created.code).toBe(0);
      const minted = /^key:\s+(\S+)$/m.exec(created.stdout)?.[1];
      expect(minted).toMatch(/^mspk_/);

      const server = startNode(['dist/main.js'], { ...env, PORT: '0', MOCK_WATCH: 'false', LOG_FORMAT: 'text' });
      try {
        let out = '';
        const url = await new Promise<string>((resolve, reject) => {
          const onData = (d: Buffer) => {
            out += d.toString();
            const port = /Listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(out)?.[1];
            if (port) resolve(`http://127.0.0.1:${port}`);
          };
          server.child.stdout?.on('data', onData);
          server.child.stderr?.on('data', onData);
          server.child.on('exit', (code) => reject(new Error(`exited ${code}:\n${out}`)));
        });
        const tenants = await fetch(`${url}/api/tenants`, { headers: { authorization: `Bearer ${minted}` } });
        expect(tenants.status).toBe(200);
        expect(((await tenants.json()) as { data: { id: string }[] }).data.map((t) => t.id)).toEqual(['tenant_acme']);
      } finally {
        server.child.kill('SIGTERM');
        await server.result;
      }
    } finally {
      await database.drop();
    }
  });

  it('in mock mode (.env.local alone), import says the tenants are stored but not served, and a key for them names why it is refused', async () => {
    const database = await createPostgresDatabase();
    const file = join(await mkdtemp(join(tmpdir(), 'walkthrough-mock-')), 'tenants.json');
    await writeFile(file, JSON.stringify([{ id: 'tenant_acme', name: 'Acme MSP', is_active: true, llm_enabled: false }]));
    const env = { DATABASE_URL: database.url, ENCRYPTION_KEY: key() };
    try {
      const imported = await runNode([CLI, 'tenants', 'import', file], env);
      expect(imported.code).toBe(0);
      expect(imported.stdout).toMatch(/^imported 1 tenant\(s\) \(created: tenant_acme; updated: none\)/);
      expect(imported.stdout).toContain(
        `They are stored, but MOCK_MODE=true serves the tenants of ${join(process.cwd(), 'mock-data', 'tenants.json')} instead: run the server and this CLI with MOCK_MODE=false`,
      );

      const refused = await runNode([CLI, 'keys', 'create', '--name', 'x', '--tenant', 'tenant_acme', '--tenant', 'tenant_ghost'], env);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toBe(
        `error: unknown tenant(s): tenant_acme, tenant_ghost (MOCK_MODE=true serves the tenants of ${join(process.cwd(), 'mock-data', 'tenants.json')}); ` +
          'tenant_acme is in the platform store, served with MOCK_MODE=false\n',
      );
    } finally {
      await database.drop();
    }
  });
});
