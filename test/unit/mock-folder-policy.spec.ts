import { mkdir, rename, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadMockData } from '../../src/mock/mock-data.loader.js';
import { SEED_TICKET } from '../../src/cli/generate/seed-examples.js';
import { seedContents, writeFolder } from '../support/seed-folder.js';
import { DOMAINS } from '../../src/domains.js';

const OUTSIDE = /symbolic link to a path outside the mock data folder/;

/** The seed folder, plus a second seed folder elsewhere that links can point into. */
async function folders(): Promise<{ dir: string; elsewhere: string }> {
  return { dir: await writeFolder(seedContents()), elsewhere: await writeFolder(seedContents()) };
}

async function replaceWithLink(dir: string, rel: string, target: string): Promise<void> {
  await rename(join(dir, rel), join(dir, `.moved-${rel.replace(/\//g, '_')}`));
  await symlink(target, join(dir, rel));
}

describe('mock folder: symbolic links', () => {
  it('refuses a tenants.json that links outside the folder, naming it', async () => {
    const { dir, elsewhere } = await folders();
    await replaceWithLink(dir, 'tenants.json', join(elsewhere, 'tenants.json'));
    const result = await loadMockData(DOMAINS, dir);
    expect(result.ok).toBe(false);
    expect(result.problems).toEqual([{ file: 'tenants.json', reason: expect.stringMatching(OUTSIDE) }]);
  });

  it('refuses a domain folder that links outside the folder', async () => {
    const { dir, elsewhere } = await folders();
    await replaceWithLink(dir, 'tickets', join(elsewhere, 'tickets'));
    const result = await loadMockData(DOMAINS, dir);
    expect(result.ok).toBe(false);
    expect(result.problems).toContainEqual({ file: 'tickets/', reason: expect.stringMatching(OUTSIDE) });
  });

  it('refuses a tenant file that links outside the folder instead of ignoring it', async () => {
    const { dir, elsewhere } = await folders();
    await replaceWithLink(dir, 'csat/tenant_demo_cca.json', join(elsewhere, 'csat', 'tenant_demo_cca.json'));
    const result = await loadMockData(DOMAINS, dir);
    expect(result.ok).toBe(false);
    expect(result.problems).toEqual([{ file: 'csat/tenant_demo_cca.json', reason: expect.stringMatching(OUTSIDE) }]);
  });

  it('follows links whose target stays inside the folder', async () => {
    const { dir } = await folders();
    await mkdir(join(dir, 'shared'));
    await writeFile(join(dir, 'shared', 'tickets.json'), JSON.stringify([SEED_TICKET, { ...SEED_TICKET, cw_ticket_id: 'TKT-002' }]));
    await replaceWithLink(dir, 'tickets/tenant_demo_cca.json', join('..', 'shared', 'tickets.json'));
    const result = await loadMockData(DOMAINS, dir);
    expect(result.problems).toEqual([]);
    expect(result.ok && result.snapshot.records.tickets.get('tenant_demo_cca')).toHaveLength(2);
  });
});

describe('mock folder: file size limit', () => {
  it('refuses a file over the limit with its size and the variable to raise, without parsing it', async () => {
    const many = Array.from({ length: 2500 }, (_, i) => ({ ...SEED_TICKET, cw_ticket_id: `TKT-${i}` }));
    const dir = await writeFolder({ ...seedContents(), 'tickets/tenant_demo_cca.json': [SEED_TICKET, ...many.slice(1)] });
    await writeFile(join(dir, 'time_entries', 'tenant_demo_cca.json'), '['.padEnd(1.5 * 2 ** 20, ' '));
    const result = await loadMockData(DOMAINS, dir, { maxFileMb: 1 });
    expect(result.ok).toBe(false);
    expect(result.problems).toEqual([
      { file: 'tickets/tenant_demo_cca.json', reason: expect.stringMatching(/^is 1\.\d MB, over the 1 MB limit \(MOCK_MAX_FILE_MB\)/) },
      { file: 'time_entries/tenant_demo_cca.json', reason: expect.stringMatching(/^is 1\.5 MB, over the 1 MB limit \(MOCK_MAX_FILE_MB\)/) },
    ]);
    expect((await loadMockData(DOMAINS, dir, { maxFileMb: 2 })).problems).toEqual([
      { file: 'time_entries/tenant_demo_cca.json', line: 1, column: expect.any(Number), reason: expect.stringMatching(/^malformed JSON/) },
    ]);
  });
});
