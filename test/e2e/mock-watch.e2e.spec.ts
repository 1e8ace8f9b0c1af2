import { watch } from 'chokidar';
import type { ConfigType } from '@nestjs/config';
import type { FSWatcher } from 'chokidar';
import { mkdir, mkdtemp, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mockConfig } from '../../src/config/mock.config.js';
import { MockFileStore } from '../../src/mock/mock-file.store.js';
import { SEED_CSAT_SURVEY, SEED_SENTINELONE_ALERT, SEED_TICKET, SEED_TIME_ENTRY } from '../../src/cli/generate/seed-examples.js';
import { bootApp, TestApp } from '../support/app.js';
import { seedContents, writeFolder } from '../support/seed-folder.js';
import { DOMAINS_MODULE } from '../../src/domains.js';

// Real folders, real edits, chokidar's native (inotify) events; no polling backend. Nothing is
// asserted after a fixed sleep: each expectation is polled until it holds or a generous deadline passes.

const CCA = '/api/tenants/tenant_demo_cca';
/** Per domain: its folder, its route, a text field that shows which version of the file is served. */
const DOMAINS = [
  { folder: 'tickets', route: 'tickets', field: 'summary', record: SEED_TICKET },
  { folder: 'time_entries', route: 'time-entries', field: 'notes', record: SEED_TIME_ENTRY },
  { folder: 'csat', route: 'csat', field: 'comment', record: SEED_CSAT_SURVEY },
  { folder: 'security_alerts', route: 'security-alerts', field: 'title', record: SEED_SENTINELONE_ALERT },
] as const;
type Domain = (typeof DOMAINS)[number];

const file = (domain: Domain, label: string) => ({ [`${domain.folder}/tenant_demo_cca.json`]: [{ ...domain.record, [domain.field]: `${label} ${domain.folder}` }] });

/** A whole valid folder whose every domain file carries `label`. */
const labelled = (label: string) => Object.assign(seedContents(), ...DOMAINS.map((d) => file(d, label)));

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function eventually(assertion: () => Promise<void>, deadlineMs = 20_000): Promise<void> {
  const end = Date.now() + deadlineMs;
  for (;;) {
    try {
      await assertion();
      return;
    } catch (error) {
      if (Date.now() > end) throw error;
      await sleep(100);
    }
  }
}

async function served(t: TestApp, domain: Domain): Promise<string> {
  const res = await t.get(`${CCA}/${domain.route}`).expect(200);
  return (res.body.data as Record<string, string>[]).map((r) => r[domain.field]).join(' | ');
}

async function expectServing(t: TestApp, label: string): Promise<void> {
  for (const domain of DOMAINS) await eventually(async () => expect(await served(t, domain)).toContain(`${label} ${domain.folder}`));
}

/** Edits one file in every domain subfolder, one at a time, and waits for each edit to be served. */
async function editEverySubfolder(t: TestApp, folder: string, label: string): Promise<void> {
  for (const domain of DOMAINS) {
    await writeFolder(file(domain, label), folder);
    await eventually(async () => expect(await served(t, domain)).toContain(`${label} ${domain.folder}`));
  }
}

const mockHealth = async (t: TestApp) => (await t.get('/api/health')).body.checks.mock_data as Record<string, any>;

async function expectWatching(t: TestApp, rearmReason?: RegExp): Promise<void> {
  await eventually(async () => {
    const health = await mockHealth(t);
    expect(health).toMatchObject({ status: 'ok', watching: true });
    expect(health.watch.problem).toBeUndefined();
    expect(health.watch.watched).toEqual(['.', 'csat', 'security_alerts', 'tickets', 'time_entries']);
    if (rearmReason) expect(health.watch.last_rearm?.reason).toMatch(rearmReason);
  });
}

/** A fresh parent folder per test, so that what the watcher looks at is this test's alone. */
const freshBase = () => mkdtemp(join(tmpdir(), 'mock-watch-'));

const WATCH = { MOCK_MODE: 'true', MOCK_WATCH: 'true' };

describe('mock-data watcher (MOCK_WATCH=true)', () => {
  let t: TestApp | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  it('reloads an edit in every subfolder, and health says what is watched', async () => {
    const root = await writeFolder(labelled('v1'), join(await freshBase(), 'mock-data'));
    t = await bootApp({ ...WATCH, MOCK_DATA_PATH: root });
    await expectWatching(t);
    const health = await mockHealth(t);
    expect(health.watch).toMatchObject({ rearms: 0, armed_at: expect.any(String) });
    expect(health.watch.last_rearm).toBeUndefined();
    await editEverySubfolder(t, root, 'edit');
  });

  it('re-arms after the folder is deleted and regenerated in place', async () => {
    const root = await writeFolder(labelled('v1'), join(await freshBase(), 'mock-data'));
    t = await bootApp({ ...WATCH, MOCK_DATA_PATH: root });
    await rm(root, { recursive: true });
    await writeFolder(labelled('v2'), root);
    await expectServing(t, 'v2');
    await expectWatching(t, /the folder was replaced/);
    await editEverySubfolder(t, root, 'after-regenerate');
  });

  it('re-arms after a new folder is moved over the old one (`mv new old`)', async () => {
    const base = await freshBase();
    const root = await writeFolder(labelled('v1'), join(base, 'mock-data'));
    t = await bootApp({ ...WATCH, MOCK_DATA_PATH: root });
    await writeFolder(labelled('v2'), join(base, 'mock-data.new'));
    await rename(root, join(base, 'mock-data.old'));
    await rename(join(base, 'mock-data.new'), root);
    await expectServing(t, 'v2');
    await expectWatching(t, /the folder was replaced/);
    await editEverySubfolder(t, root, 'after-mv');
    // The folder moved aside is no longer served, whatever happens to it.
    await writeFolder(file(DOMAINS[0], 'stale'), join(base, 'mock-data.old'));
    await writeFolder(file(DOMAINS[0], 'current'), root);
    await eventually(async () => expect(await served(t!, DOMAINS[0])).toContain('current tickets'));
    expect(await served(t, DOMAINS[0])).not.toContain('stale');
  });

  it('re-arms after MOCK_DATA_PATH, a symlink, is re-pointed to another folder', async () => {
    const base = await freshBase();
    await writeFolder(labelled('blue'), join(base, 'blue'));
    await writeFolder(labelled('green'), join(base, 'green'));
    await symlink(join(base, 'blue'), join(base, 'current'));
    t = await bootApp({ ...WATCH, MOCK_DATA_PATH: join(base, 'current') });
    await symlink(join(base, 'green'), join(base, 'next'));
    await rename(join(base, 'next'), join(base, 'current'));
    await expectServing(t, 'green');
    await expectWatching(t, /MOCK_DATA_PATH now leads to another folder/);
    await editEverySubfolder(t, join(base, 'green'), 'green-edit');
  });

  it('re-arms after a symlink higher up the path is re-pointed (releases/current/mock-data), which sends no event', async () => {
    const base = await freshBase();
    await writeFolder(labelled('r1'), join(base, 'releases/r1/mock-data'));
    await writeFolder(labelled('r2'), join(base, 'releases/r2/mock-data'));
    await symlink(join(base, 'releases/r1'), join(base, 'current'));
    t = await bootApp({ ...WATCH, MOCK_DATA_PATH: join(base, 'current/mock-data') });
    await expectWatching(t);
    await symlink(join(base, 'releases/r2'), join(base, 'next'));
    await rename(join(base, 'next'), join(base, 'current'));
    // Only data routes until the new release is served: the periodic check, not a health call, re-arms.
    await expectServing(t, 'r2');
    await expectWatching(t, /MOCK_DATA_PATH now leads to another folder/);
    await editEverySubfolder(t, join(base, 'releases/r2/mock-data'), 'r2-edit');
    expect((await mockHealth(t)).watch.rearms).toBe(1);
  });

  it('re-arms after a folder higher up the path is replaced (`mv app.new app`)', async () => {
    const base = await freshBase();
    const root = join(base, 'app/mock-data');
    await writeFolder(labelled('v1'), root);
    t = await bootApp({ ...WATCH, MOCK_DATA_PATH: root });
    await writeFolder(labelled('v2'), join(base, 'app.new/mock-data'));
    await rename(join(base, 'app'), join(base, 'app.old'));
    await rename(join(base, 'app.new'), join(base, 'app'));
    await expectServing(t, 'v2');
    await expectWatching(t, /the folder was replaced/);
    await editEverySubfolder(t, root, 'after-parent-mv');
  });

  it('re-arms after a subfolder is deleted and recreated', async () => {
    const root = await writeFolder(labelled('v1'), join(await freshBase(), 'mock-data'));
    t = await bootApp({ ...WATCH, MOCK_DATA_PATH: root });
    await expectWatching(t);
    await rm(join(root, 'tickets'), { recursive: true });
    await mkdir(join(root, 'tickets'));
    await writeFolder(file(DOMAINS[0], 'v2'), root);
    await eventually(async () => expect(await served(t!, DOMAINS[0])).toContain('v2 tickets'));
    await expectWatching(t, /the subfolder tickets was replaced/);
    await editEverySubfolder(t, root, 'after-subfolder');
  });

  it('says it is not watching while the folder is missing, and re-arms when it is back', async () => {
    const root = await writeFolder(labelled('v1'), join(await freshBase(), 'mock-data'));
    t = await bootApp({ ...WATCH, MOCK_DATA_PATH: root });
    await rm(root, { recursive: true });
    await eventually(async () => {
      const health = await mockHealth(t!);
      expect(health).toMatchObject({ status: 'error', watching: false, watch: { problem: 'the folder is missing or is not a folder' } });
    });
    await expectServing(t, 'v1'); // the last good version is still served
    await writeFolder(labelled('v2'), root);
    await expectServing(t, 'v2');
    await expectWatching(t, /the folder was missing and is back/);
    await editEverySubfolder(t, root, 'back');
  });

  it('keeps the last good version when a change after a re-arm is broken, and still watches', async () => {
    const root = await writeFolder(labelled('v1'), join(await freshBase(), 'mock-data'));
    t = await bootApp({ ...WATCH, MOCK_DATA_PATH: root });
    await rm(root, { recursive: true });
    await writeFolder(labelled('v2'), root);
    await expectWatching(t, /the folder was replaced/);
    await expectServing(t, 'v2');
    await writeFolder({ 'csat/tenant_demo_cca.json': '[{"survey_id": ' }, root);
    await eventually(async () => {
      const health = await mockHealth(t!);
      expect(health).toMatchObject({ status: 'degraded', watching: true, rejected_reload: { files: ['csat/tenant_demo_cca.json'] } });
    });
    await expectServing(t, 'v2');
    await writeFolder(file(DOMAINS[2], 'fixed'), root);
    await eventually(async () => expect(await served(t!, DOMAINS[2])).toContain('fixed csat'));
    await expectWatching(t);
    await editEverySubfolder(t, root, 'after-fix');
  });
});

describe('mock-data watcher errors', () => {
  let t: TestApp | undefined;
  let watchers: FSWatcher[];
  /** How many of the next watchers report an error before they are ready (a failed arm). */
  let failNextArms: number;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  /** Boots with the real chokidar, keeping each watcher created so that the test can make it report an error. */
  async function boot(root: string): Promise<TestApp> {
    watchers = [];
    failNextArms = 0;
    const create = (path: string, options: Parameters<typeof watch>[1]) => {
      const watcher = watch(path, options);
      watchers.push(watcher);
      if (failNextArms > 0) {
        failNextArms -= 1;
        process.nextTick(() => watcher.emit('error', new Error(`EMFILE: too many open files, watch '${root}/tickets'`)));
      }
      return watcher;
    };
    return bootApp({ ...WATCH, MOCK_DATA_PATH: root }, (builder) =>
      builder.overrideProvider(MockFileStore).useFactory({
        factory: (config: ConfigType<typeof mockConfig>) => new MockFileStore(config, DOMAINS_MODULE, create),
        inject: [mockConfig.KEY],
      }),
    );
  }

  it('turns health degraded with the reason on a watcher error, re-arms, and reloads again', async () => {
    const root = await writeFolder(labelled('v1'), join(await freshBase(), 'mock-data'));
    t = await boot(root);
    await expectWatching(t);
    failNextArms = 1; // the first re-arm fails too: health keeps saying why
    watchers[0].emit('error', Object.assign(new Error(`ENOSPC: System limit for number of file watchers reached, watch '${root}'`), { code: 'ENOSPC' }));
    const health = await mockHealth(t);
    expect(health).toMatchObject({ status: 'degraded', watching: false });
    // The error itself, or already the re-arm it started, which fails.
    expect(health.watch.problem).toMatch(/ENOSPC: System limit for number of file watchers reached|arming the watcher failed/);
    expect(health.warning).toMatch(/changes are not being watched: /);
    expect(JSON.stringify(health)).not.toContain(root); // no absolute path in health details
    await eventually(async () => expect((await mockHealth(t!)).watch.problem).toMatch(/arming the watcher failed \(EMFILE: too many open files/));
    expect((await mockHealth(t)).status).toBe('degraded');
    await expectWatching(t, /arming the watcher failed/);
    expect((await mockHealth(t)).watch.rearms).toBe(1);
    expect(watchers).toHaveLength(3);
    await editEverySubfolder(t, root, 'after-error');
  });
});

describe('mock-data watcher off (MOCK_WATCH=false)', () => {
  it('reports watching: false, no watcher details, and health ok', async () => {
    const t = await bootApp({ MOCK_MODE: 'true', MOCK_WATCH: 'false', MOCK_DATA_PATH: await writeFolder(labelled('v1')) });
    try {
      const health = await mockHealth(t);
      expect(health).toMatchObject({ status: 'ok', watching: false });
      expect(health.watch).toBeUndefined();
      expect(t.app.get(MockFileStore).status().watching).toBe(false);
    } finally {
      await t.close();
    }
  });
});
