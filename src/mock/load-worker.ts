// The worker thread of `loadMockDataOffThread`: reads, parses and checks the folder with the same
// `loadMockData` the CLI uses, and streams each checked file's records to the main thread in small
// serialised chunks (the main thread deserialises them a few at a time, between its other work).
import 'reflect-metadata';
import { serialize, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { parentPort, workerData } from 'node:worker_threads';
import { loadMockData } from './mock-data.loader.js';
import type { LoadWorkerData, LoadWorkerMessage } from './load-worker.protocol.js';

const { dir, maxFileMb, chunkRecords, maxInFlightBytes } = workerData as LoadWorkerData;
const port = parentPort!;
const send = (message: LoadWorkerMessage, transfer: ArrayBuffer[] = []): void => port.postMessage(message, transfer);

// Flow control: the main thread acknowledges each chunk it has taken (with its size). The worker runs
// at most `maxInFlightBytes` ahead, so chunks never pile up in memory when the main thread is busy.
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

// A full collection after each file keeps this thread's heap to about one file: V8 keeps the pages of
// a finished worker for the process to reuse, so the worker's peak heap stays in the process's RSS.
setFlagsFromString('--expose-gc');
const collect = runInNewContext('gc') as () => void;

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

try {
  const result = await loadMockData(dir, {
    maxFileMb,
    onRecords: async (domain, tenantId, records) => {
      const shared = repeatedFields(records);
      for (let at = 0; at < records.length || at === 0; at += chunkRecords) {
        await room();
        const bytes = serialize(records.slice(at, at + chunkRecords));
        // A buffer of its own (not a pool slice) moves to the main thread without a copy.
        const own = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength;
        const data = own ? bytes : Uint8Array.prototype.slice.call(bytes);
        inFlight += data.byteLength;
        send({ kind: 'records', domain, tenantId, data, shared, last: at + chunkRecords >= records.length }, [data.buffer as ArrayBuffer]);
      }
      // After the loader has let go of this file's records (it reads the next file meanwhile).
      setImmediate(collect);
    },
  });
  send({ kind: 'done', result });
  port.close();
} catch (error) {
  send({ kind: 'failed', message: error instanceof Error ? error.message : String(error) });
  port.close();
}
