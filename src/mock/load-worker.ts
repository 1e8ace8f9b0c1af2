// The worker thread of `loadMockDataOffThread`: reads, parses and checks the folder with the same
// `loadMockData` the CLI uses, a piece of whole records at a time, and hands each checked piece's text
// to the main thread (which parses the pieces a few at a time, between its other work, while this
// thread goes on with the next pieces).
import 'reflect-metadata';
import { readlinkSync } from 'node:fs';
import { registerHooks } from 'node:module';
import { constants, getPriority, setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import type { LoadWorkerData, LoadWorkerMessage } from './load-worker.protocol.js';

// The record classes' Swagger decorators document the API; this thread only checks records, so it
// loads a stand-in (worker-swagger-stub.ts) instead of @nestjs/swagger and all it imports. The hook
// acts on this thread only.
const SWAGGER_STUB = new URL('./worker-swagger-stub.js', import.meta.url).href;
registerHooks({
  resolve: (specifier, context, next) => (specifier === '@nestjs/swagger' ? { url: SWAGGER_STUB, shortCircuit: true } : next(specifier, context)),
});
const { loadMockData } = await import('./mock-data.loader.js');
const { importDomains } = await import('./mock-domains.js');

const { domains, dir, maxFileMb, checkTicketRefs, pieceBytes, maxInFlightBytes, background } = workerData as LoadWorkerData;
if (background) belowNormalPriority();
const port = parentPort!;
const send = (message: LoadWorkerMessage, transfer: ArrayBuffer[] = []): void => port.postMessage(message, transfer);

// Flow control: the main thread acknowledges each piece it has parsed (with its size). The worker runs
// at most `maxInFlightBytes` ahead, so pieces never pile up in memory when the main thread is busy.
let inFlight = 0;
let wake: (() => void) | undefined;
port.on('message', (taken: number) => {
  inFlight -= taken;
  wake?.();
});
async function room(): Promise<void> {
  while (inFlight > maxInFlightBytes) await new Promise<void>((resolve) => (wake = resolve));
  wake = undefined;
}

const SAMPLE = 2_000;
/**
 * Fields whose string values repeat a lot (tenant, status, board, owner, canned texts) in a sample of
 * the file: the main thread keeps one copy of each such value, as deserialising would make one per record.
 */
function repeatedFields(records: object[]): string[] {
  const sample = records.slice(0, SAMPLE) as Record<string, unknown>[];
  const values = new Map<string, Set<unknown>>();
  for (const record of sample) {
    for (const key in record) {
      const value = record[key];
      if (typeof value !== 'string') continue;
      let seen = values.get(key);
      if (!seen) values.set(key, (seen = new Set()));
      seen.add(value);
    }
  }
  return [...values].filter(([, seen]) => seen.size <= sample.length / 4).map(([key]) => key);
}

let shared: string[] | undefined;
try {
  const result = await loadMockData(await importDomains(domains), dir, {
    maxFileMb,
    checkTicketRefs,
    pieceBytes,
    onFile: (domain, tenantId) => {
      shared = undefined;
      send({ kind: 'file', domain, tenantId });
    },
    onPiece: async (records, bytes, from, to) => {
      shared ??= repeatedFields(records);
      // A copy of the piece's text in brackets (the file's buffer stays here, being parsed), moved
      // without another: the main thread parses it as one string, with no concatenation to flatten.
      const data = new Uint8Array(to - from + 2);
      data[0] = 0x5b;
      data.set(bytes.subarray(from, to), 1);
      data[data.length - 1] = 0x5d;
      inFlight += data.byteLength;
      send({ kind: 'piece', data, shared }, [data.buffer as ArrayBuffer]);
      await room();
    },
  });
  send({ kind: 'done', result });
  port.close();
} catch (error) {
  send({ kind: 'failed', message: error instanceof Error ? error.message : String(error) });
  port.close();
}

/**
 * Lowers this thread's scheduling priority (Linux: a priority is per thread, and /proc/thread-self
 * names this one). Elsewhere, or if refused, the load runs at the usual priority.
 */
function belowNormalPriority(): void {
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    // Never raised: a server already started below normal priority keeps its own.
    if (Number.isInteger(tid) && tid > 0 && getPriority(tid) < constants.priority.PRIORITY_BELOW_NORMAL) setPriority(tid, constants.priority.PRIORITY_BELOW_NORMAL);
  } catch {
    // Not Linux, or not allowed: only an optimisation.
  }
}
