import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import type { CwMember, CwServiceNote, CwTicket } from '../../src/integrations/connectwise/connectwise.client.js';
import { bootApp, TestApp } from '../support/app.js';
import {
  LIVE_ENV,
  MEMBERS,
  at,
  bulkGraphAlerts,
  bulkReviews,
  bulkThreats,
  bulkTickets,
  bulkTimeEntries,
  closeFakes,
  Fakes,
  listAll,
  startFakes,
} from '../support/live-fixtures.js';
import { runNode, startNode } from './run.js';

/*
 * `npm run mock:record` as a person runs it (a child process), against the fake vendors on loopback,
 * with a tenant imported into a SQLite platform store by `npm run cli -- tenants import`. The store
 * the recordings read is never synced, so they walk the vendors; live mode (which syncs) runs on
 * copies of it, and the last block records from a copy the sync has completed.
 */

const MOCK_CLI = 'dist/cli/mock-cli.js';
const PLATFORM_CLI = 'dist/cli/platform-cli.js';
const TENANT = 'tenant_rec';
const BAD_KEY_TENANT = 'tenant_badkey';
const CSAT_ONLY_TENANT = 'tenant_csat_only';
const TENANT_NAME = 'Initrode Managed Services';

const MARIA: CwMember = { id: 179, identifier: 'mgarcia', officeEmail: 'maria.garcia@msp.example', primaryEmail: null, inactiveFlag: false };
// A member whose name and login appear in free text, while the records only hold an address that does not spell them.
const MILTON: CwMember = { id: 180, identifier: 'mwaddams', firstName: 'Milton', lastName: 'Waddams', officeEmail: 'mw7@msp.example', primaryEmail: 'milton.w@home.example', inactiveFlag: false };

// Personal data planted in free text: a known person, company and device, and addresses of every kind.
const PLANTED_TICKET: CwTicket = {
  id: 4999,
  summary: 'Maria Garcia: WS-007 at Initrode Corporation cannot reach the file server',
  recordType: 'ServiceTicket',
  board: { id: 1, name: 'Service' },
  status: { id: 1, name: 'New' },
  priority: { id: 8, name: 'Priority 3 - Normal Response' },
  company: { id: 300, identifier: 'Initrode', name: 'Initrode Corporation' },
  owner: { id: 179, identifier: 'mgarcia' },
  slaStatus: null,
  budgetHours: 2,
  closedFlag: false,
  closedDate: null,
  _info: { dateEntered: at(6, '08:00:00'), lastUpdated: at(5, '09:30:00') },
};
const PLANTED_NOTE: CwServiceNote = {
  id: 9_000_001,
  ticketId: 4999,
  text:
    'Peter (peter.gibbons@initrode.example, +1 555 013 4567) says Initrode lost \\\\fs01\\share on WS-007. ' +
    'Maria checked 10.20.30.40 and fe80::1ff:fe23:4567:890a, see https://intranet.initrode.example/kb/12. Ticket 184231 on 2026-01-20.',
  detailDescriptionFlag: true,
  internalAnalysisFlag: false,
};
const PLANTED_SECRETS = ['peter.gibbons@initrode.example', '555 013 4567', '10.20.30.40', 'fe80::1ff:fe23:4567:890a', 'intranet.initrode.example', 'fs01'];

function seedFakes(fakes: Fakes): void {
  const { tickets, notes } = bulkTickets(150, 5000);
  tickets[7].summary = 'Wayne Enterprises: jdoe to replace the toner';
  fakes.connectwise.tickets = [PLANTED_TICKET, ...tickets];
  fakes.connectwise.notes = [PLANTED_NOTE, ...notes];
  fakes.connectwise.members = [...MEMBERS, MARIA, MILTON];
  const entries = bulkTimeEntries(60, 9000, tickets.map((t) => t.id as number));
  entries[0].notes = 'Called Maria Garcia on 555-013-4567 about WS-007';
  entries[2] = { ...entries[2], member: { id: 180, identifier: 'mwaddams' }, notes: 'Milton Waddams (mwaddams) moved the printer; ask Milton' };
  // Work on a ticket last updated before the window: live mode serves the entry, not the ticket.
  entries[1] = { ...entries[1], chargeToId: 4000, chargeToType: 'ServiceTicket' };
  fakes.connectwise.timeEntries = entries;
  fakes.smileback.reviews = bulkReviews(30, 700).map((review, i) => ({
    ...review,
    ticket: i % 5 === 4 ? null : { id: String(i % 5 === 3 ? 999_999 : 5000 + i), title: 'Ticket' },
    comment: i === 1 ? 'Thanks to jdoe@msp.example and Stark Industries for the fast fix at 192.168.4.20' : review.comment,
  }));
  fakes.sentinelone.threats = bulkThreats(25, 100);
  fakes.sentinelone.threats[0].threatInfo = { ...fakes.sentinelone.threats[0].threatInfo, threatName: 'WS-007 beacon to evil.example' };
  fakes.defender.graphAlerts = bulkGraphAlerts(25, 200);
}

/** Live mode (the replica, which the sync fills from the fakes), with room for a loaded machine. */
const REPLICA_ENV = { ...LIVE_ENV, FIRST_SYNC_WAIT_MS: '60000', VENDOR_TIMEOUT_MS: '10000' };

const vendorRequests = (fakes: Fakes) => Object.values(fakes).reduce((n, fake: { requests: unknown[] }) => n + fake.requests.length, 0);

async function filesOf(dir: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  const walk = async (folder: string): Promise<void> => {
    for (const entry of await readdir(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) await walk(path);
      else files.set(relative(dir, path), await readFile(path, 'utf8'));
    }
  };
  await walk(dir);
  return files;
}

type Row = Record<string, unknown>;

async function folderRecords(dir: string): Promise<Record<string, Row[]>> {
  const read = async (file: string) => JSON.parse(await readFile(join(dir, file), 'utf8')) as Row[];
  return {
    tenants: await read('tenants.json'),
    tickets: await read(`tickets/${TENANT}.json`),
    time_entries: await read(`time_entries/${TENANT}.json`),
    csat: await read(`csat/${TENANT}.json`),
    security_alerts: await read(`security_alerts/${TENANT}.json`),
  };
}

describe('npm run mock:record', () => {
  let fakes: Fakes;
  let work: string;
  let env: Record<string, string>;
  let copies = 0;
  const record = (...args: string[]) => runNode([MOCK_CLI, 'record', ...args], env, 90_000);
  /** A copy of the platform store as imported (never synced), for a live app whose sync must not reach the store the recordings read. */
  const storeCopy = async (): Promise<string> => {
    const file = join(work, `store-copy-${++copies}.db`);
    await copyFile(join(work, 'platform.db'), file);
    return `sqlite:${file}`;
  };

  beforeAll(async () => {
    fakes = await startFakes();
    seedFakes(fakes);
    work = await mkdtemp(join(tmpdir(), 'mock-record-'));
    env = {
      NODE_ENV: 'test',
      // The recording is live whatever the mode says.
      MOCK_MODE: 'true',
      MOCK_DATA_PATH: './mock-data',
      DATABASE_URL: `sqlite:${join(work, 'platform.db')}`,
      VENDOR_MAX_RETRIES: '1',
      VENDOR_RETRY_BASE_MS: '5',
    };
    const importFile = join(work, 'tenants-import.json');
    await writeFile(
      importFile,
      JSON.stringify([
        {
          id: TENANT,
          name: TENANT_NAME,
          is_active: true,
          llm_enabled: true,
          integrations: {
            connectwise: fakes.connectwise.integration(),
            smileback: fakes.smileback.integration(),
            sentinelone: fakes.sentinelone.integration(),
            defender: fakes.defender.integration(),
          },
        },
        {
          id: CSAT_ONLY_TENANT,
          name: 'Only SmileBack',
          is_active: true,
          llm_enabled: false,
          integrations: { smileback: fakes.smileback.integration() },
        },
        {
          id: BAD_KEY_TENANT,
          name: 'Bad key',
          is_active: true,
          llm_enabled: false,
          integrations: { connectwise: fakes.connectwise.integration({ private_key: 'not-the-key' }) },
        },
      ]),
    );
    const imported = await runNode([PLATFORM_CLI, 'tenants', 'import', importFile], env, 60_000);
    if (imported.code !== 0) throw new Error(`import failed: ${imported.stderr}`);
  }, 120_000);

  afterAll(async () => {
    await closeFakes(fakes);
    await rm(work, { recursive: true, force: true });
  });

  describe('without redaction', () => {
    let out: string;
    let run: { stdout: string; stderr: string };
    let live: TestApp | undefined;
    let mock: TestApp | undefined;

    beforeAll(async () => {
      out = join(work, 'plain');
      const result = await record('--tenant', TENANT, '--out', out, '--no-redact');
      if (result.code !== 0) throw new Error(`record failed (${result.code}): ${result.stderr}`);
      run = result;
    }, 120_000);

    afterAll(async () => {
      await live?.close();
      await mock?.close();
    });

    it('writes a folder that mock:validate accepts, with the tenant and a file per configured domain', async () => {
      const validated = await runNode([MOCK_CLI, 'validate', out], env, 60_000);
      expect(validated.stderr).toBe('');
      expect(validated.code).toBe(0);
      expect([...(await filesOf(out)).keys()].sort()).toEqual([
        `csat/${TENANT}.json`,
        'recording.json',
        `security_alerts/${TENANT}.json`,
        'tenants.json',
        `tickets/${TENANT}.json`,
        `time_entries/${TENANT}.json`,
      ]);
      const records = await folderRecords(out);
      expect(records.tenants).toEqual([{ id: TENANT, name: TENANT_NAME, is_active: true, llm_enabled: true }]);
      expect(JSON.parse(await readFile(join(out, 'recording.json'), 'utf8'))).toEqual({
        recorded_from: TENANT,
        redacted: false,
        live_window_days: 90,
        domains: ['tickets', 'time_entries', 'csat', 'security_alerts'],
      });
      // References to tickets outside the window are kept as live mode serves them.
      expect(records.time_entries.find((e) => e.cw_ticket_id === '4000')).toBeDefined();
      expect(records.csat.filter((c) => c.ticket_id === '999999')).toHaveLength(6);
      expect(records.tickets).toHaveLength(151);
      expect(records.tickets.find((t) => t.cw_ticket_id === '4999')?.description).toBe(PLANTED_NOTE.text);
      expect(records.security_alerts.filter((a) => a.source === 'sentinelone')).toHaveLength(25);
      expect(records.security_alerts.filter((a) => a.source === 'defender')).toHaveLength(25);
    });

    it('reports progress in plain lines when stderr is not a terminal, and the summary on stdout', async () => {
      const records = await folderRecords(out);
      const n = (domain: string) => records[domain].length;
      // Domains are fetched at once: their lines interleave, each domain's in order.
      const lines = run.stderr.split('\n').filter((line) => line !== '');
      expect(run.stderr).not.toMatch(/\x1b/);
      // Nothing is synced in this store: every stream is walked at its vendor (descriptions within the ticket walk).
      expect([...lines].sort()).toEqual(
        [
          'tickets: connectwise.tickets from the vendor',
          `tickets: ${n('tickets')} record(s)`,
          'time_entries: connectwise.time_entries from the vendor',
          `time_entries: ${n('time_entries')} record(s)`,
          'csat: smileback.reviews from the vendor',
          `csat: ${n('csat')} record(s)`,
          'security_alerts: sentinelone.threats from the vendor',
          'security_alerts: defender.alerts from the vendor',
          `security_alerts: ${n('security_alerts')} record(s)`,
        ].sort(),
      );
      expect(lines.filter((line) => line.startsWith('tickets:'))).toEqual(['tickets: connectwise.tickets from the vendor', `tickets: ${n('tickets')} record(s)`]);
      expect(run.stdout).toBe(
        `Recorded ${TENANT} to ${out}: ${n('tickets')} tickets, ${n('time_entries')} time_entries, ${n('csat')} csat, ` +
          `${n('security_alerts')} security_alerts; fetched from the vendors; not redacted\n`,
      );
    });

    it('serves in mock mode exactly the records live mode serves, field for field', async () => {
      live = await bootApp({ ...REPLICA_ENV, DATABASE_URL: await storeCopy() });
      mock = await bootApp({ MOCK_MODE: 'true', MOCK_DATA_PATH: out, MOCK_WATCH: 'false' });
      for (const route of ['tickets', 'time-entries', 'csat', 'security-alerts']) {
        const path = `/api/tenants/${TENANT}/${route}`;
        const served = await listAll<Row>(mock.app, path);
        expect(served.length).toBeGreaterThan(0);
        expect(served).toEqual(await listAll<Row>(live.app, path));
      }
      const tenantLive = await live.get(`/api/tenants/${TENANT}`);
      const tenantMock = await mock.get(`/api/tenants/${TENANT}`);
      expect(tenantMock.status).toBe(200);
      expect(tenantMock.body).toEqual(tenantLive.body);
      const one = await mock.get(`/api/tenants/${TENANT}/tickets/4999`);
      expect(one.body).toEqual((await live.get(`/api/tenants/${TENANT}/tickets/4999`)).body);
    }, 180_000);
  });

  describe('a tenant with only some domains configured', () => {
    it('records only those domains, and mock mode then serves what live mode serves, empty lists included', async () => {
      const out = join(work, 'csat-only');
      const result = await record('--tenant', CSAT_ONLY_TENANT, '--out', out, '--no-redact');
      expect(result.stderr).not.toMatch(/error/);
      expect(result.code).toBe(0);
      expect([...(await filesOf(out)).keys()].sort()).toEqual([`csat/${CSAT_ONLY_TENANT}.json`, 'recording.json', 'tenants.json']);
      expect(JSON.parse(await readFile(join(out, 'recording.json'), 'utf8'))).toMatchObject({ domains: ['csat'] });
      const live = await bootApp({ ...REPLICA_ENV, DATABASE_URL: await storeCopy() });
      const mock = await bootApp({ MOCK_MODE: 'true', MOCK_DATA_PATH: out, MOCK_WATCH: 'false' });
      try {
        for (const route of ['tickets', 'time-entries', 'csat', 'security-alerts']) {
          const path = `/api/tenants/${CSAT_ONLY_TENANT}/${route}`;
          const served = await listAll<Row>(mock.app, path);
          expect({ route, served }).toEqual({ route, served: await listAll<Row>(live.app, path) });
          expect(served.length > 0).toBe(route === 'csat');
        }
      } finally {
        await live.close();
        await mock.close();
      }
    }, 120_000);
  });

  describe('with redaction (the default)', () => {
    let plain: Record<string, Row[]>;
    let redactedDir: string;
    let redacted: Record<string, Row[]>;

    beforeAll(async () => {
      const plainDir = join(work, 'plain-for-redaction');
      redactedDir = join(work, 'redacted');
      const [a, b] = await Promise.all([
        record('--tenant', TENANT, '--out', plainDir, '--no-redact'),
        record('--tenant', TENANT, '--out', redactedDir, '--seed', 'correct horse'),
      ]);
      if (a.code !== 0 || b.code !== 0) throw new Error(`record failed: ${a.stderr} ${b.stderr}`);
      plain = await folderRecords(plainDir);
      redacted = await folderRecords(redactedDir);
    }, 180_000);

    it('leaves no original email, person, company or device, nor any planted address, in any file', async () => {
      const originals = new Set<string>([TENANT_NAME, 'Initrode', 'Maria Garcia', 'Garcia', 'maria.garcia', 'jdoe', 'asmith', 'bking', 'msp.example', 'corp.example', 'Peter', 'Gibbons', 'Milton', 'Waddams', 'mwaddams', 'milton.w', 'mw7@']);
      for (const t of plain.tickets) {
        originals.add(t.company as string);
        if (t.owner) originals.add(t.owner as string);
      }
      for (const e of plain.time_entries) originals.add(e.member as string);
      for (const a of plain.security_alerts) originals.add(a.device as string);
      for (const s of PLANTED_SECRETS) originals.add(s);
      expect(originals.size).toBeGreaterThan(60);
      const files = await filesOf(redactedDir);
      expect(files.size).toBe(6);
      for (const [file, content] of files) {
        const lower = content.toLowerCase();
        const found = [...originals].filter((o) => lower.includes(o.toLowerCase()));
        expect({ file, found }).toEqual({ file, found: [] });
      }
      const planted = redacted.tickets.find((t) => t.cw_ticket_id === '4999') as Row;
      expect(planted.description).toMatch(
        /^Person \w+ \(\[email\], \[phone\]\) says Company \w+ lost \[url\] on HOST-\w+\. Person \w+ checked \[ip\] and \[ip\], see \[url\]\. Ticket 184231 on 2026-01-20\.$/,
      );
    });

    it('keeps ids, statuses, boards, priorities, work types, minutes, billable, scores, sentiments, severities, sources and timestamps exactly', () => {
      const changed: Record<string, string[]> = {
        tenants: ['name'],
        tickets: ['summary', 'description', 'company', 'owner'],
        time_entries: ['member', 'notes'],
        csat: ['comment'],
        security_alerts: ['title', 'device'],
      };
      for (const [domain, rows] of Object.entries(plain)) {
        expect(redacted[domain]).toHaveLength(rows.length);
        rows.forEach((row, i) => {
          const kept = Object.keys(row).filter((k) => !changed[domain].includes(k));
          expect(Object.keys(redacted[domain][i]).sort()).toEqual(Object.keys(row).sort());
          for (const key of kept) expect({ domain, i, key, value: redacted[domain][i][key] }).toEqual({ domain, i, key, value: row[key] });
        });
      }
      expect(redacted.tickets.every((t, i) => t.company !== plain.tickets[i].company)).toBe(true);
      expect(redacted.security_alerts.every((a, i) => a.device !== plain.security_alerts[i].device)).toBe(true);
    });

    it('gives each original one pseudonym across files, distinct originals distinct pseudonyms, and emails that stay emails', () => {
      const pairs = (kind: string, list: Array<[unknown, unknown]>) => {
        const forward = new Map<unknown, unknown>();
        for (const [original, pseudonym] of list) {
          if (original === null) continue;
          expect({ kind, original, pseudonym }).toEqual({ kind, original, pseudonym: forward.get(original) ?? pseudonym });
          forward.set(original, pseudonym);
        }
        expect(new Set(forward.values()).size).toBe(forward.size);
        return forward;
      };
      const emails = pairs('email', [
        ...plain.tickets.map((t, i): [unknown, unknown] => [t.owner, redacted.tickets[i].owner]),
        ...plain.time_entries.map((e, i): [unknown, unknown] => [e.member, redacted.time_entries[i].member]),
      ]);
      expect(emails.size).toBe(5);
      for (const pseudonym of emails.values()) expect(pseudonym).toMatch(/^[a-z0-9.-]+@[a-z0-9-]+(\.[a-z0-9-]+)*\.example$/);
      expect(pairs('company', plain.tickets.map((t, i) => [t.company, redacted.tickets[i].company])).size).toBe(5);
      expect(pairs('device', plain.security_alerts.map((a, i) => [a.device, redacted.security_alerts[i].device])).size).toBeGreaterThan(40);
      // The same person in free text and in a field: Maria's ticket names her, and she owns it.
      const planted = redacted.tickets.find((t) => t.cw_ticket_id === '4999') as Row;
      const note = redacted.time_entries[0].notes as string;
      expect(note).toMatch(/^Called (\S+ \S+) on \[phone\] about (\S+)$/);
      const [, maria, ws007] = /^Called (\S+ \S+) on \[phone\] about (\S+)$/.exec(note) ?? [];
      expect(redacted.security_alerts.map((a) => a.device)).toContain(ws007);
      expect(planted.summary).toBe(`${maria}: ${ws007} at ${planted.company} cannot reach the file server`);
      expect(redacted.tenants[0].name).not.toBe(TENANT_NAME);
      // A member named only by the vendor's member list: one pseudonym for the full name, one for the login.
      expect(redacted.time_entries[2].notes).toMatch(/^Person (\w+) \(Person (\w+)\) moved the printer; ask Person (\w+)$/);
    });

    it('is byte-identical for the same seed and different for another', async () => {
      const again = join(work, 'redacted-again');
      const other = join(work, 'redacted-other');
      const [a, b] = await Promise.all([
        record('--tenant', TENANT, '--out', again, '--seed', 'correct horse'),
        record('--tenant', TENANT, '--out', other, '--seed', 'battery staple'),
      ]);
      expect([a.code, b.code]).toEqual([0, 0]);
      expect(await filesOf(again)).toEqual(await filesOf(redactedDir));
      const otherTickets = (await folderRecords(other)).tickets;
      expect(otherTickets.map((t) => t.company)).not.toEqual(redacted.tickets.map((t) => t.company));
      expect(otherTickets.map((t) => t.cw_ticket_id)).toEqual(redacted.tickets.map((t) => t.cw_ticket_id));
    }, 180_000);
  });

  describe('refusals, writing nothing', () => {
    const siblings = async (dir: string) => (await readdir(dir)).filter((name) => name.includes('.recording-'));

    it('refuses an unknown tenant', async () => {
      const out = join(work, 'unknown');
      const result = await record('--tenant', 'tenant_ghost', '--out', out);
      expect(result.stdout).toBe('');
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/tenant 'tenant_ghost' does not exist in the platform store/);
      await expect(readdir(out)).rejects.toThrow(/ENOENT/);
      expect(await siblings(work)).toEqual([]);
    }, 60_000);

    it('refuses a non-empty --out without --force, and replaces it with --force', async () => {
      const out = join(work, 'occupied');
      await mkdir(out);
      await writeFile(join(out, 'keep.txt'), 'mine');
      const refused = await record('--tenant', TENANT, '--out', out);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(/--out .*occupied is not empty; pass --force/);
      expect(await readdir(out)).toEqual(['keep.txt']);

      const forced = await record('--tenant', TENANT, '--out', out, '--force');
      expect(forced.stderr).not.toMatch(/error/);
      expect(forced.code).toBe(0);
      expect((await readdir(out)).sort()).toEqual(['csat', 'recording.json', 'security_alerts', 'tenants.json', 'tickets', 'time_entries']);
      expect(await siblings(work)).toEqual([]);
    }, 120_000);

    it('refuses when a vendor fails, with the vendor\'s answer, leaving no folder and no temporary folder', async () => {
      const out = join(work, 'badkey');
      const result = await record('--tenant', BAD_KEY_TENANT, '--out', out);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/error: a vendor failed, nothing written: connectwise answered 401 .*UserNotAuthenticated/);
      await expect(readdir(out)).rejects.toThrow(/ENOENT/);
      expect(await siblings(work)).toEqual([]);
    }, 60_000);

    it('refuses when the integration secrets cannot be decrypted (another ENCRYPTION_KEY)', async () => {
      const out = join(work, 'wrongkey');
      const result = await runNode(
        [MOCK_CLI, 'record', '--tenant', TENANT, '--out', out],
        { ...env, ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64') },
        90_000,
      );
      expect(result.code).toBe(1);
      // Whether the store refuses at boot or at the first secret read, the message names ENCRYPTION_KEY.
      expect(result.stderr).toMatch(/error: .*ENCRYPTION_KEY.*\(nothing written\)/);
      await expect(readdir(out)).rejects.toThrow(/ENOENT/);
      expect(await siblings(work)).toEqual([]);
    }, 60_000);

    it('keeps the folder --force would replace when a vendor fails', async () => {
      const out = join(work, 'kept');
      await mkdir(out);
      await writeFile(join(out, 'keep.txt'), 'mine');
      const result = await record('--tenant', BAD_KEY_TENANT, '--out', out, '--force');
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/error: a vendor failed, nothing written/);
      expect(await readdir(out)).toEqual(['keep.txt']);
      expect(await siblings(work)).toEqual([]);
    }, 60_000);

    it('refuses an --out under a file before asking any vendor', async () => {
      const file = join(work, 'a-file');
      await writeFile(file, 'not a folder');
      const before = fakes.connectwise.requests.length;
      const result = await record('--tenant', TENANT, '--out', join(file, 'out'));
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/^error: --out .*a-file\/out cannot be read \(ENOTDIR\)$/m);
      expect(fakes.connectwise.requests.length).toBe(before);
      expect(await siblings(work)).toEqual([]);
    }, 60_000);

    it.each(['SIGTERM', 'SIGINT'] as const)('leaves nothing behind when stopped by %s mid-run', async (signal) => {
      const parent = join(work, `stopped-${signal}`);
      const out = join(parent, 'out');
      // The ticket list hangs, so the run is still fetching when it is stopped.
      const before = fakes.connectwise.calls('/service/tickets');
      fakes.connectwise.hang(120_000, 1, '/service/tickets');
      const { child, result } = startNode([MOCK_CLI, 'record', '--tenant', TENANT, '--out', out], env, 90_000);
      // The temporary folder exists (beside --out, in the parent the run created) and a vendor is being asked.
      for (;;) {
        const temp = await siblings(parent).catch(() => []);
        if (temp.length > 0 && fakes.connectwise.calls('/service/tickets') > before) break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      child.kill(signal);
      const stopped = await result;
      expect(stopped.stderr).toMatch(new RegExp(`error: interrupted by ${signal}, nothing written`));
      expect(stopped.code).toBe(signal === 'SIGINT' ? 130 : 143);
      // Neither --out, nor the temporary folder, nor the parent folder the run created.
      await expect(readdir(parent)).rejects.toThrow(/ENOENT/);
    }, 90_000);

    it('refuses a bad tenant id and a missing --out as usage errors', async () => {
      expect((await record('--tenant', 'Bad/Id', '--out', join(work, 'x'))).code).toBe(2);
      expect((await record('--tenant', TENANT)).code).toBe(2);
    }, 60_000);
  });

  describe('a tenant the sync has completed', () => {
    const routes = ['tickets', 'time-entries', 'csat', 'security-alerts'];
    let synced: Record<string, string>;
    let served: Record<string, Row[]>;

    beforeAll(async () => {
      synced = { ...env, DATABASE_URL: await storeCopy() };
      // Live mode syncs every stream of the store's tenants; its reads are what a recording must equal.
      const live = await bootApp({ ...REPLICA_ENV, DATABASE_URL: synced.DATABASE_URL });
      try {
        served = {};
        for (const route of routes) served[route] = await listAll<Row>(live.app, `/api/tenants/${TENANT}/${route}`);
        // The members stream (names for redaction) feeds no route: waited for through the admin status.
        for (;;) {
          const status = await live.get(`/api/admin/tenants/${TENANT}/sync`);
          const streams = status.body.streams as Array<{ last_success_at: string | null }>;
          if (streams.length === 6 && streams.every((st) => st.last_success_at !== null)) break;
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      } finally {
        await live.close();
      }
    }, 180_000);

    it('copies every stream from the replica, asking no vendor, and mock mode serves what live mode served', async () => {
      const out = join(work, 'from-replica');
      const before = vendorRequests(fakes);
      const result = await runNode([MOCK_CLI, 'record', '--tenant', TENANT, '--out', out, '--no-redact'], synced, 90_000);
      expect(result.stderr).not.toMatch(/error|warning/);
      expect(result.code).toBe(0);
      expect(vendorRequests(fakes)).toBe(before);
      expect(result.stderr).toMatch(/^security_alerts: defender\.alerts from the replica$/m);
      expect(result.stdout).toMatch(/; copied from the replica \(no vendor call\); not redacted\n$/);
      const validated = await runNode([MOCK_CLI, 'validate', out], env, 60_000);
      expect(validated.code).toBe(0);
      const mock = await bootApp({ MOCK_MODE: 'true', MOCK_DATA_PATH: out, MOCK_WATCH: 'false' });
      try {
        for (const route of routes) {
          expect(served[route].length).toBeGreaterThan(0);
          expect({ route, rows: await listAll<Row>(mock.app, `/api/tenants/${TENANT}/${route}`) }).toEqual({ route, rows: served[route] });
        }
      } finally {
        await mock.close();
      }
    }, 120_000);

    it('redacts with the members the replica holds (names only the member list has), still asking no vendor', async () => {
      const out = join(work, 'from-replica-redacted');
      const before = vendorRequests(fakes);
      const result = await runNode([MOCK_CLI, 'record', '--tenant', TENANT, '--out', out, '--seed', 'correct horse'], synced, 90_000);
      expect(result.code).toBe(0);
      expect(vendorRequests(fakes)).toBe(before);
      const files = await filesOf(out);
      for (const [file, content] of files) {
        const found = ['Milton', 'Waddams', 'mwaddams', 'Maria Garcia', TENANT_NAME].filter((o) => content.includes(o));
        expect({ file, found }).toEqual({ file, found: [] });
      }
      const entries = (await folderRecords(out)).time_entries;
      expect(entries[2].notes).toMatch(/^Person (\w+) \(Person (\w+)\) moved the printer; ask Person (\w+)$/);
    }, 120_000);
  });
});
