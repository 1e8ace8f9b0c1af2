import { existsSync } from 'node:fs';
import { lstat, readdir } from 'node:fs/promises';
import { dirname, join, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
// Only node's own modules and types at load time: main.ts starts a load through this module before
// the application (and the loader's record classes and validators) is imported.
import { DEFAULT_PIECE_BYTES, type LoadWorkerData, type LoadWorkerMessage } from './load-worker.protocol.js';
import type { LoadOptions, MockDataLoadResult } from './mock-data.loader.js';
import type { DomainName, DomainsModule } from './mock-domains.js';

/** The main thread parses pieces for at most this long before it lets other work (requests, timers) run. */
const SLICE_MS = 8;
/**
 * Below this much JSON the folder is loaded in-thread: parsing and checking it holds the event loop
 * for a few milliseconds, less than starting a worker (which loads the record classes again) costs.
 */
export const IN_THREAD_MAX_BYTES = 2 * 2 ** 20;
/** JSON the worker may have sent and the main thread not yet parsed, before the worker reads another file. */
const MAX_IN_FLIGHT_BYTES = 32 * 2 ** 20;

export interface OffThreadLoadStats {
  /** From the call to the snapshot being ready. */
  totalMs: number;
  /** The longest the main thread spent on the load without yielding (one slice of deserialising, or the final assembly). */
  longestStepMs: number;
  /**
   * The same step's CPU time on the main thread: what the step costs whatever else the machine is doing
   * (on a busy machine a step's wall time includes time the thread waited for a core).
   */
  longestStepCpuMs: number;
  /** False when no built worker was found (running from the TypeScript sources) and the folder was loaded in-thread. */
  offThread: boolean;
  /** True when the load was started before the application was built (`preloadMockData`) and taken. */
  early?: boolean;
}

export type OffThreadLoadResult = MockDataLoadResult & { stats: OffThreadLoadStats };

/**
 * The built worker script beside this module; when this module runs from the TypeScript sources
 * (ts-jest), the built copy in dist/ (`npm test` builds first).
 */
function workerScript(): URL | undefined {
  const here = fileURLToPath(import.meta.url);
  const sibling = join(dirname(here), 'load-worker.js');
  if (here.endsWith('.js')) return existsSync(sibling) ? pathToFileURL(sibling) : undefined;
  const built = sibling.replace(`${sep}src${sep}mock${sep}`, `${sep}dist${sep}mock${sep}`);
  return built !== sibling && existsSync(built) ? pathToFileURL(built) : undefined;
}

/** The module a built worker can import: a TypeScript source's built copy in dist/. */
function builtModule(module: DomainsModule): DomainsModule | undefined {
  const path = fileURLToPath(module);
  if (path.endsWith('.js')) return module;
  const built = path.replace(`${sep}src${sep}`, `${sep}dist${sep}`).replace(/\.ts$/, '.js');
  return built !== path && existsSync(built) ? pathToFileURL(built).href : undefined;
}

/** About how much JSON the folder holds (its files and its subfolders' files; links counted by their own size). */
async function jsonBytes(dir: string): Promise<number> {
  let total = 0;
  const walk = async (path: string, depth: number): Promise<void> => {
    const entries = await readdir(path, { withFileTypes: true }).catch(() => []);
    for (const entry of entries) {
      if (entry.isDirectory() && depth === 0) await walk(join(path, entry.name), 1);
      else if (entry.name.endsWith('.json')) total += (await lstat(join(path, entry.name)).catch(() => undefined))?.size ?? 0;
    }
  };
  await walk(dir, 0);
  return total;
}

/** `loadMockData` in a worker thread (the main thread re-parses its pieces' text in slices), so a large folder's checks never hold the event loop. */
export type OffThreadLoadOptions = Pick<LoadOptions, 'maxFileMb' | 'checkTicketRefs'> & {
  inThreadMaxBytes?: number;
  /** A reload while serving: the worker runs below the main thread's priority (`LoadWorkerData.background`). */
  background?: boolean;
};

export function loadMockDataOffThread(domains: DomainsModule, dir: string, options: OffThreadLoadOptions = {}): Promise<OffThreadLoadResult> {
  const early = takePreload(domains, dir, options);
  return early ?? load(domains, dir, options);
}

/** A load started before the application was built (`preloadMockData`), not yet taken or discarded. */
let preload: { domains: DomainsModule; dir: string; maxFileMb?: number; checkTicketRefs?: boolean; result: Promise<OffThreadLoadResult>; abort: AbortController } | undefined;

/** Starts loading `dir` while main.ts imports the application; the first `loadMockDataOffThread` with the same folder and options takes it. */
export function preloadMockData(domains: DomainsModule, dir: string, options: Pick<OffThreadLoadOptions, 'maxFileMb' | 'checkTicketRefs'> = {}): Promise<OffThreadLoadResult> {
  discardPreload();
  const abort = new AbortController();
  const result = load(domains, dir, { ...options, signal: abort.signal });
  result.catch(() => undefined); // reported to whoever takes it; a discarded one is nobody's
  preload = { domains, dir, maxFileMb: options.maxFileMb, checkTicketRefs: options.checkTicketRefs, result, abort };
  return result;
}

function takePreload(domains: DomainsModule, dir: string, options: OffThreadLoadOptions): Promise<OffThreadLoadResult> | undefined {
  const taken = preload;
  if (!taken) return undefined;
  preload = undefined;
  if (
    taken.domains === domains &&
    taken.dir === dir &&
    taken.maxFileMb === options.maxFileMb &&
    (taken.checkTicketRefs ?? true) === (options.checkTicketRefs ?? true) &&
    options.inThreadMaxBytes === undefined
  ) {
    return taken.result.then((result) => ({ ...result, stats: { ...result.stats, early: true } }));
  }
  taken.abort.abort(new Error('the mock data load was discarded'));
  return undefined;
}

/** Stops a preload nobody took (the configuration turned out not to read that folder); its worker ends. */
export function discardPreload(): void {
  preload?.abort.abort(new Error('the mock data load was discarded'));
  preload = undefined;
}

async function load(domains: DomainsModule, dir: string, options: OffThreadLoadOptions & { signal?: AbortSignal }): Promise<OffThreadLoadResult> {
  const started = performance.now();
  const script = workerScript();
  const workerDomains = script && builtModule(domains);
  if (!script || !workerDomains || (await jsonBytes(dir)) <= (options.inThreadMaxBytes ?? IN_THREAD_MAX_BYTES)) {
    options.signal?.throwIfAborted();
    const [{ loadMockData }, { importDomains }] = await Promise.all([import('./mock-data.loader.js'), import('./mock-domains.js')]);
    const result = await loadMockData(await importDomains(domains), dir, { maxFileMb: options.maxFileMb, checkTicketRefs: options.checkTicketRefs });
    const ms = performance.now() - started;
    return { ...result, stats: { totalMs: ms, longestStepMs: ms, longestStepCpuMs: ms, offThread: false } };
  }

  options.signal?.throwIfAborted();
  const data: LoadWorkerData = { domains: workerDomains, dir, maxFileMb: options.maxFileMb, checkTicketRefs: options.checkTicketRefs, pieceBytes: DEFAULT_PIECE_BYTES, maxInFlightBytes: MAX_IN_FLIGHT_BYTES, background: options.background };
  const worker = new Worker(script, { workerData: data });
  const files = new Map<DomainName, Map<string, object[]>>();
  /** Pieces not yet parsed, oldest first, each with the records of its file. */
  const queue: { piece: Extract<LoadWorkerMessage, { kind: 'piece' }>; records: object[] }[] = [];
  let current: object[] = [];
  /** One copy of each repeated value (deserialising makes a new string per record). */
  const strings = new Map<string, string>();
  let longestStepMs = 0;
  let longestStepCpuMs = 0;
  const cpuMs = (): number => {
    const { user, system } = process.threadCpuUsage();
    return (user + system) / 1000;
  };
  let draining = false;
  let verdict: MockDataLoadResult | undefined;

  return new Promise<OffThreadLoadResult>((resolve, reject) => {
    let settled = false;
    const fail = (error: Error): void => {
      if (settled) return;
      settled = true;
      void worker.terminate();
      reject(error);
    };
    const finish = (): void => {
      if (settled || !verdict || queue.length > 0 || draining) return;
      settled = true;
      const step = performance.now();
      const stepCpu = cpuMs();
      if (verdict.ok) {
        for (const [domain, byTenant] of Object.entries(verdict.snapshot.records) as [DomainName, Map<string, readonly object[]>][]) {
          for (const [tenantId, records] of files.get(domain) ?? []) byTenant.set(tenantId, records);
        }
      }
      const now = performance.now();
      longestStepMs = Math.max(longestStepMs, now - step);
      longestStepCpuMs = Math.max(longestStepCpuMs, cpuMs() - stepCpu);
      resolve({ ...verdict, stats: { totalMs: now - started, longestStepMs, longestStepCpuMs, offThread: true } });
    };
    const drain = (): void => {
      const start = performance.now();
      const startCpu = cpuMs();
      // Once the folder is known to be bad its records are not needed.
      const wanted = !verdict || verdict.ok;
      while (queue.length > 0 && performance.now() - start < SLICE_MS) {
        const { piece, records } = queue.shift()!;
        worker.postMessage(piece.data.byteLength);
        if (!wanted) continue;
        // The worker sent the records with the array's brackets: one string, parsed as it is.
        const parsed = JSON.parse(Buffer.from(piece.data.buffer, piece.data.byteOffset, piece.data.byteLength).toString('utf8')) as Record<string, unknown>[];
        const { shared } = piece;
        for (let i = 0; i < parsed.length; i++) {
          const record = parsed[i];
          for (let f = 0; f < shared.length; f++) {
            const field = shared[f];
            const value = record[field];
            if (typeof value !== 'string') continue;
            const kept = strings.get(value);
            if (kept === undefined) strings.set(value, value);
            else record[field] = kept;
          }
          records.push(record);
        }
      }
      longestStepMs = Math.max(longestStepMs, performance.now() - start);
      longestStepCpuMs = Math.max(longestStepCpuMs, cpuMs() - startCpu);
      if (queue.length > 0) setImmediate(drain);
      else {
        draining = false;
        finish();
      }
    };

    worker.on('message', (message: LoadWorkerMessage) => {
      if (message.kind === 'file') {
        let byTenant = files.get(message.domain);
        if (!byTenant) files.set(message.domain, (byTenant = new Map()));
        byTenant.set(message.tenantId, (current = []));
      } else if (message.kind === 'piece') {
        queue.push({ piece: message, records: current });
        if (!draining) {
          draining = true;
          setImmediate(drain);
        }
      } else if (message.kind === 'done') {
        verdict = message.result;
        void worker.terminate();
        if (!verdict.ok) queue.length = 0;
        finish();
      } else fail(new Error(message.message));
    });
    worker.on('error', fail);
    options.signal?.addEventListener('abort', () => fail(options.signal!.reason as Error), { once: true });
    worker.on('exit', (code: number) => {
      if (!verdict) fail(new Error(`the mock data load worker stopped (exit code ${code}) before it finished`));
    });
  });
}
