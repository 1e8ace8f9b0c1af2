import { mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { seedContents, writeFolder } from '../support/seed-folder.js';
import { runNode } from './run.js';

const CLI = 'dist/cli/mock-cli.js';

async function filesOf(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) {
      const path = join(entry.parentPath, entry.name);
      out[path.slice(dir.length + 1)] = await readFile(path, 'utf8');
    }
  }
  return out;
}

describe('npm run mock:validate', () => {
  it('passes the shipped folder', async () => {
    const { code, stdout } = await runNode([CLI, 'validate', 'mock-data']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/OK — 2 tenants, 9 files, \d+ records/);
  });

  it('prints every problem, one per line, and exits 1', async () => {
    const contents = seedContents();
    (contents['tickets/tenant_demo_cca.json'] as Record<string, unknown>[])[0].owner = 'not-an-email';
    contents['csat/tenant_demo_cca.json'] = '[\n  {"survey_id": }\n]';
    const { code, stdout, stderr } = await runNode([CLI, 'validate', await writeFolder(contents)]);
    expect(code).toBe(1);
    expect(stdout.trim().split('\n')).toEqual([
      'tickets/tenant_demo_cca.json record 0 (TKT-001) field owner: must be an email address or null',
      'csat/tenant_demo_cca.json:2:17: malformed JSON: ValueExpected',
    ]);
    expect(stderr).toMatch(/2 problem\(s\)/);
  });

  it('checks scenarios.json with the folder: its rules when good, every problem when not', async () => {
    const good = await runNode([CLI, 'validate', await writeFolder({ ...seedContents(), 'scenarios.json': { rules: [{ domain: 'csat', stale: true }, {}] } })]);
    expect(good.code).toBe(0);
    expect(good.stdout).toMatch(/OK — 2 tenants, 5 files, 5 records, 2 scenario rules/);
    const bad = await runNode([
      CLI,
      'validate',
      await writeFolder({ ...seedContents(), 'scenarios.json': { rules: [{ tenant: 'tenant_gone', fail: { status: 500, rate: 0.5 } }] } }),
    ]);
    expect(bad.code).toBe(1);
    expect(bad.stdout.trim().split('\n')).toEqual([
      "scenarios.json record 0 field tenant: tenant 'tenant_gone' is not listed in tenants.json",
      'scenarios.json record 0 field fail.status: must be one of 502, 503, 504',
    ]);
  });

  it('fails on a folder that does not exist, naming it', async () => {
    const { code, stdout } = await runNode([CLI, 'validate', '/nonexistent/folder']);
    expect(code).toBe(1);
    expect(stdout).toBe('/nonexistent/folder: the mock data folder does not exist\n');
  });

  it('checks the folder MOCK_DATA_PATH names when none is given, as the server would read it', async () => {
    const folder = await writeFolder(seedContents());
    const fromVariable = await runNode([CLI, 'validate'], { MOCK_DATA_PATH: folder });
    expect(fromVariable.code).toBe(0);
    expect(fromVariable.stdout).toMatch(new RegExp(`^${folder}: OK — 2 tenants, `));
    const missing = await runNode([CLI, 'validate'], { MOCK_DATA_PATH: '/nonexistent/from-variable' });
    expect(missing).toMatchObject({ code: 1, stdout: '/nonexistent/from-variable: the mock data folder does not exist\n' });
    // Unset: .env.local's MOCK_DATA_PATH (./mock-data), the shipped folder.
    expect((await runNode([CLI, 'validate'])).stdout).toMatch(/^\.\/mock-data: OK — /);
  });
});

describe('npm run mock:generate', () => {
  it('writes a valid folder, byte for byte the same for the same seed and --now', async () => {
    const args = ['--seed', '7', '--now', '2026-03-01T00:00:00Z', '--tenants', '3', '--tickets', '40', '--alerts', '12'];
    const a = await mkdtemp(join(tmpdir(), 'gen-a-'));
    const b = await mkdtemp(join(tmpdir(), 'gen-b-'));
    expect((await runNode([CLI, 'generate', '--out', a, ...args])).code).toBe(0);
    expect((await runNode([CLI, 'generate', '--out', b, ...args])).code).toBe(0);
    const files = await filesOf(a);
    expect(Object.keys(files).sort()).toHaveLength(1 + 3 * 4);
    expect(files).toEqual(await filesOf(b));
    expect(JSON.parse(files['tickets/tenant_demo_client2.json'])).toHaveLength(40);
    const validated = await runNode([CLI, 'validate', a]);
    expect(validated.code).toBe(0);
  });

  it.each([
    ['--tickets', 'abc'],
    ['--seed', '1.5'],
    ['--now', 'yesterday'],
    ['--tenants', '0'],
  ])('rejects %s %s naming the option, with exit code 2', async (option, value) => {
    const out = await mkdtemp(join(tmpdir(), 'gen-bad-'));
    const { code, stderr } = await runNode([CLI, 'generate', '--out', out, option, value]);
    expect(code).toBe(2);
    expect(stderr).toContain(option);
    expect(stderr).toContain(value);
    expect(await readdir(out)).toEqual([]);
  });
});

describe('npm run openapi:check', () => {
  const SCRIPT = join(process.cwd(), 'scripts/openapi.mjs');

  it('passes on the committed openapi.json and fails, naming the fix, on a stale copy', async () => {
    const current = await runNode([SCRIPT, '--check'], {}, 60_000);
    expect({ code: current.code, stderr: current.stderr }).toEqual({ code: 0, stderr: '' });

    const stale = JSON.parse(await readFile(join(process.cwd(), 'openapi.json'), 'utf8'));
    delete stale.paths['/api/health'];
    const file = join(await mkdtemp(join(tmpdir(), 'openapi-')), 'openapi.json');
    await writeFile(file, `${JSON.stringify(stale, null, 2)}\n`);
    const res = await runNode([SCRIPT, '--check', '--file', file], {}, 60_000);
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/is stale: run `npm run build && npm run openapi`/);
  }, 90_000);
});
