// The worker thread of `loadMockDataOffThread`: reads, parses and checks the folder with the same
// `loadMockData` the CLI uses, and hands each file's text, cut into pieces of whole records, to the
// main thread as soon as it parses (the main thread parses the pieces a few at a time, between its
// other work, while this thread checks the records).
import 'reflect-metadata';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { parentPort, workerData } from 'node:worker_threads';
import { loadMockData } from './mock-data.loader.js';
import type { LoadWorkerData, LoadWorkerMessage } from './load-worker.protocol.js';

const { dir, maxFileMb, pieceBytes, maxInFlightBytes } = workerData as LoadWorkerData;
const port = parentPort!;
const send = (message: LoadWorkerMessage, transfer: ArrayBuffer[] = []): void => port.postMessage(message, transfer);

// Flow control: the main thread acknowledges each piece it has parsed (with its size). Before it reads
// the next file the worker waits until at most `maxInFlightBytes` are left, so files never pile up in
// memory when the main thread is busy (a file is sent whole, at once: the worker checks it meanwhile).
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
    pieceBytes,
    onJson: (domain, tenantId, records, { bytes, ranges }) => {
      // The file's own buffer moves to the main thread without a copy (a small file's may be a pool slice).
      const own = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength;
      const data = own ? bytes : Uint8Array.prototype.slice.call(bytes);
      for (let i = 1; i < ranges.length; i += 2) inFlight += ranges[i] - ranges[i - 1];
      send({ kind: 'file', domain, tenantId, data, ranges, shared: repeatedFields(records) }, [data.buffer as ArrayBuffer]);
    },
    fileDone: async () => {
      await room();
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
