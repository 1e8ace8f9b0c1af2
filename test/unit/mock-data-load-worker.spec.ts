import { jest } from '@jest/globals';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { constants } from 'node:os';
import { discardPreload, loadMockDataOffThread, preloadMockData } from '../../src/mock/load-worker-host.js';
import { MockDataLoadResult, loadMockData } from '../../src/mock/mock-data.loader.js';
import { SEED_TICKET, SEED_TIME_ENTRY } from '../../src/cli/generate/seed-examples.js';
import { FolderContents, seedContents, writeFolder } from '../support/seed-folder.js';
import { DOMAINS, DOMAINS_MODULE } from '../../src/domains.js';

/** The worker's result without its timing: what callers get either way. */
async function bothWays(dir: string): Promise<[MockDataLoadResult, MockDataLoadResult]> {
  // Every folder here is small: the worker is used whatever the size.
  const { stats, ...offThread } = await loadMockDataOffThread(DOMAINS_MODULE, dir, { inThreadMaxBytes: -1 });
  expect(stats.offThread).toBe(true);
  return [offThread, await loadMockData(DOMAINS, dir)];
}

/** TKT-001, TKT-002, …: the seed's survey points at TKT-001. */
const ticketId = (i: number): string => `TKT-${String(i + 1).padStart(3, '0')}`;

/** Enough records for several chunks per file (2 000 records a chunk), with repeated and distinct strings. */
function largeContents(tickets: number): FolderContents {
  const contents = seedContents();
  contents['tickets/tenant_demo_cca.json'] = Array.from({ length: tickets }, (_, i) => ({
    ...SEED_TICKET,
    cw_ticket_id: ticketId(i),
    summary: `${SEED_TICKET.summary} #${i % 7}`,
    owner: i % 5 === 0 ? null : `tech${i % 3}@msp.com`,
    ...(i % 2 === 0 ? { closed_at_remote: undefined } : {}),
  }));
  contents['time_entries/tenant_demo_cca.json'] = Array.from({ length: 4_500 }, (_, i) => ({
    ...SEED_TIME_ENTRY,
    cw_time_entry_id: `TE-${i}`,
    cw_ticket_id: ticketId(i % tickets),
    notes: `note ${i}`,
  }));
  contents['tickets/tenant_demo_client2.json'] = [];
  return contents;
}

describe('loading the mock folder in a worker thread', () => {
  it('gives the same snapshot as loading in-thread, records in file order, across chunk boundaries', async () => {
    const [offThread, inThread] = await bothWays(await writeFolder(largeContents(5_001)));
    expect(inThread.ok).toBe(true);
    expect(offThread).toEqual(inThread);
    if (!offThread.ok) return;
    const tickets = offThread.snapshot.records.tickets.get('tenant_demo_cca')!;
    expect(tickets).toHaveLength(5_001);
    expect(tickets.map((t) => (t as { cw_ticket_id: string }).cw_ticket_id).slice(1_998, 2_002)).toEqual(['TKT-1999', 'TKT-2000', 'TKT-2001', 'TKT-2002']);
    // An empty file is served (an empty list), not reported as missing.
    expect(offThread.snapshot.records.tickets.get('tenant_demo_client2')).toEqual([]);
    expect(offThread.snapshot.missing).toContainEqual({ tenant_id: 'tenant_demo_client2', domain: 'csat' });
    expect(offThread.snapshot.missing).not.toContainEqual({ tenant_id: 'tenant_demo_client2', domain: 'tickets' });
    // Absent optional fields stay absent (not null, not undefined-valued keys).
    expect(Object.keys(tickets[0])).not.toContain('closed_at_remote');
    expect(Object.keys(tickets[1])).toContain('closed_at_remote');
    // Repeated values (kept once each on the main thread) and nulls come through unchanged.
    expect(tickets.filter((t) => (t as { owner: unknown }).owner === null)).toHaveLength(1_001);
    expect(new Set(tickets.map((t) => (t as { owner: unknown }).owner))).toEqual(new Set([null, 'tech1@msp.com', 'tech2@msp.com', 'tech0@msp.com']));
  });

  it('reports the same problems, word for word, for a bad folder', async () => {
    const contents = largeContents(2_500);
    const tickets = contents['tickets/tenant_demo_cca.json'] as Record<string, unknown>[];
    tickets[2_100].created_at_remote = '2026-02-30T09:00:00Z';
    tickets[7].unexpected = true;
    tickets[8].cw_ticket_id = 'TKT-001';
    (contents['time_entries/tenant_demo_cca.json'] as Record<string, unknown>[])[3].cw_ticket_id = 'TKT-nope';
    contents['csat/tenant_demo_cca.json'] = '[{"survey_id": ';
    contents['csat/Not A Tenant.json'] = [];
    const [offThread, inThread] = await bothWays(await writeFolder(contents));
    expect(inThread.ok).toBe(false);
    expect(inThread.problems.length).toBeGreaterThanOrEqual(6);
    expect(offThread).toEqual(inThread);
  });

  it('cuts files into pieces only between records, whatever the records hold', async () => {
    const contents = largeContents(5_001);
    // Text that looks like the boundary between two records, inside strings, near every cut.
    (contents['tickets/tenant_demo_cca.json'] as Record<string, unknown>[]).forEach((ticket, i) => {
      ticket.description = `${'x'.repeat(i % 97)} pasted config: [{"a": 1},{"b": 2}] and }, { too`;
      ticket.summary = `},{ ${'y'.repeat(i % 13)}`;
    });
    const [offThread, inThread] = await bothWays(await writeFolder(contents));
    expect(inThread.ok).toBe(true);
    expect(offThread).toEqual(inThread);
    if (offThread.ok) expect(offThread.snapshot.records.tickets.get('tenant_demo_cca')).toHaveLength(5_001);
  });

  it('reports only the JSON error of a file malformed far into it, as when it is parsed whole', async () => {
    const contents = largeContents(5_001);
    const tickets = contents['tickets/tenant_demo_cca.json'] as Record<string, unknown>[];
    tickets[10].unexpected = true; // a record problem in a piece before the break
    tickets[4_000].summary = 'BREAK-HERE';
    contents['tickets/tenant_demo_cca.json'] = JSON.stringify(tickets, null, 2).replace('"BREAK-HERE"', '"BREAK-HERE",');
    const [offThread, inThread] = await bothWays(await writeFolder(contents));
    expect(inThread.problems.filter((p) => p.file === 'tickets/tenant_demo_cca.json')).toEqual([
      expect.objectContaining({ reason: expect.stringMatching(/^malformed JSON/), line: expect.any(Number) }),
    ]);
    expect(offThread).toEqual(inThread);
  });

  it('leaves references to tickets unchecked when told (mixed mode with tickets live), in the worker too', async () => {
    const contents = seedContents();
    // Time entries and surveys naming the vendor's tickets, which the folder does not hold.
    contents['time_entries/tenant_demo_cca.json'] = [{ ...SEED_TIME_ENTRY, cw_ticket_id: '184231' }];
    const dir = await writeFolder(contents);
    const checked = await loadMockData(DOMAINS, dir);
    expect(checked.ok).toBe(false);
    expect(checked.problems.map((p) => p.reason)).toEqual([expect.stringMatching(/points at ticket '184231', which does not exist/)]);
    const { stats, ...offThread } = await loadMockDataOffThread(DOMAINS_MODULE, dir, { inThreadMaxBytes: -1, checkTicketRefs: false });
    expect(stats.offThread).toBe(true);
    expect(offThread.problems).toEqual([]);
    expect(offThread).toEqual(await loadMockData(DOMAINS, dir, { checkTicketRefs: false }));
  });

  it('reports a missing folder as the in-thread load does', async () => {
    const [offThread, inThread] = await bothWays('/nonexistent/mock-data-folder');
    expect(offThread).toEqual(inThread);
    expect(offThread.problems).toEqual([{ file: '/nonexistent/mock-data-folder', reason: 'the mock data folder does not exist' }]);
  });

  it('loads a small folder in-thread (starting a worker would cost more), with the same result', async () => {
    const dir = await writeFolder(seedContents());
    const { stats, ...result } = await loadMockDataOffThread(DOMAINS_MODULE, dir);
    expect(stats.offThread).toBe(false);
    expect(result).toEqual(await loadMockData(DOMAINS, dir));
  });


  it('reads the folder even when the read buffer cannot be made up front (each file then gets its own)', async () => {
    const dir = await writeFolder(seedContents());
    const expected = await loadMockData(DOMAINS, dir);
    const real = Buffer.allocUnsafeSlow.bind(Buffer);
    let refused = 0;
    // The first request, the size of the largest data file, is refused as an exhausted allocator would.
    const spy = jest.spyOn(Buffer, 'allocUnsafeSlow').mockImplementation((size: number) => {
      if (refused++ === 0) throw new RangeError('Array buffer allocation failed');
      return real(size);
    });
    try {
      expect(await loadMockData(DOMAINS, dir)).toEqual(expected);
      expect(refused).toBeGreaterThan(1);
    } finally {
      spy.mockRestore();
    }
  });

  describe('the worker thread of a reload', () => {
    /** The nice values of this process's threads now (Linux: /proc/self/task/<tid>/stat, field 19). */
    const niceValues = (): number[] =>
      readdirSync('/proc/self/task').flatMap((tid) => {
        try {
          const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
          return [Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16])];
        } catch {
          return []; // the thread ended meanwhile
        }
      });
    /** The highest nice value any thread had while `load` ran (sampled between the main thread's steps). */
    async function highestNiceDuring(load: Promise<unknown>): Promise<number> {
      let done = false;
      void load.finally(() => (done = true));
      let highest = -20;
      while (!done) {
        highest = Math.max(highest, ...niceValues());
        await new Promise((resolve) => setTimeout(resolve, 1));
      }
      await load;
      return highest;
    }
    const linux = process.platform === 'linux' && existsSync('/proc/thread-self');

    (linux ? it : it.skip)('runs below the main thread\'s priority (requests get the cores first); the first load does not', async () => {
      const dir = await writeFolder(largeContents(3_000));
      const base = Math.max(...niceValues());
      expect(await highestNiceDuring(loadMockDataOffThread(DOMAINS_MODULE, dir, { inThreadMaxBytes: -1, background: true }))).toBe(Math.max(base, constants.priority.PRIORITY_BELOW_NORMAL));
      // Only the worker's own thread was lowered: once it has ended (terminated after its verdict), every
      // thread is back at the base. Bounded, so that a worker that never ends fails here instead of hanging Jest.
      const giveUpAt = Date.now() + 5_000;
      while (Math.max(...niceValues()) !== base && Date.now() < giveUpAt) await new Promise((resolve) => setTimeout(resolve, 5));
      expect(Math.max(...niceValues())).toBe(base);
      expect(await highestNiceDuring(loadMockDataOffThread(DOMAINS_MODULE, dir, { inThreadMaxBytes: -1 }))).toBe(base);
    });
  });

  describe('a load started before the application (main.ts)', () => {
    /** Over the in-thread limit (2 MiB), so the early load runs in a worker, as for a large folder at boot. */
    let big: string;
    beforeAll(async () => {
      big = await writeFolder(largeContents(9_000));
    });
    afterEach(() => discardPreload());

    it('is taken by the first load of the same folder and limit, and only by it, with the same result', async () => {
      const early = preloadMockData(DOMAINS_MODULE, big, { maxFileMb: 256 });
      const { stats, ...taken } = await loadMockDataOffThread(DOMAINS_MODULE, big, { maxFileMb: 256 });
      expect(stats).toMatchObject({ early: true, offThread: true });
      const { stats: again, ...fresh } = await loadMockDataOffThread(DOMAINS_MODULE, big, { maxFileMb: 256 });
      expect(again.early).toBeUndefined();
      expect(taken).toEqual(fresh);
      expect(taken).toEqual(await loadMockData(DOMAINS, big));
      expect(taken.ok && taken.snapshot.records.tickets.get('tenant_demo_cca')?.length).toBe(9_000);
      await expect(early).resolves.toMatchObject({ ok: true });
    });

    it('is discarded (its worker stopped) when the load asks for another folder or another limit, which is read as asked', async () => {
      const small = await writeFolder(seedContents());
      const otherFolder = preloadMockData(DOMAINS_MODULE, big, { maxFileMb: 256 });
      const { stats, ...result } = await loadMockDataOffThread(DOMAINS_MODULE, small, { maxFileMb: 256 });
      expect(stats.early).toBeUndefined();
      expect(result).toEqual(await loadMockData(DOMAINS, small));
      await expect(otherFolder).rejects.toThrow('the mock data load was discarded');

      const otherLimit = preloadMockData(DOMAINS_MODULE, big, { maxFileMb: 256 });
      const limited = await loadMockDataOffThread(DOMAINS_MODULE, big, { maxFileMb: 1 });
      await expect(otherLimit).rejects.toThrow('discarded');
      expect(limited.ok).toBe(false);
      expect(limited.problems[0]).toMatchObject({ file: 'tickets/tenant_demo_cca.json', reason: expect.stringContaining('over the 1 MB limit') });
    });

    it('is discarded when the load checks ticket references differently (mixed mode with tickets live)', async () => {
      const checking = preloadMockData(DOMAINS_MODULE, big, { maxFileMb: 256 });
      const { stats } = await loadMockDataOffThread(DOMAINS_MODULE, big, { maxFileMb: 256, checkTicketRefs: false });
      expect(stats.early).toBeUndefined();
      await expect(checking).rejects.toThrow('discarded');

      const unchecked = preloadMockData(DOMAINS_MODULE, big, { maxFileMb: 256, checkTicketRefs: false });
      const taken = await loadMockDataOffThread(DOMAINS_MODULE, big, { maxFileMb: 256, checkTicketRefs: false });
      expect(taken.stats.early).toBe(true);
      await expect(unchecked).resolves.toMatchObject({ ok: true });
    });

    it('is discarded by discardPreload when nothing took it', async () => {
      const early = preloadMockData(DOMAINS_MODULE, big, { maxFileMb: 256 });
      discardPreload();
      await expect(early).rejects.toThrow('discarded');
      const { stats } = await loadMockDataOffThread(DOMAINS_MODULE, big, { maxFileMb: 256 });
      expect(stats.early).toBeUndefined();
    });
  });
});
