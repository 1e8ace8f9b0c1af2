import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AsyncLineWriter } from '../../src/common/logging/async-line-writer.js';

describe('AsyncLineWriter (the stdout of the request logs)', () => {
  let dir: string;
  let file: string;
  let fd: number;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'line-writer-'));
    file = join(dir, 'out.log');
    fd = openSync(file, 'w');
  });
  afterEach(() => {
    closeSync(fd);
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes every line, in order, without the caller waiting for the write', async () => {
    const writer = new AsyncLineWriter(fd, 2 ** 20, () => undefined);
    for (let i = 0; i < 1_000; i++) writer.write(`line ${i}\n`);
    expect(readFileSync(file, 'utf8')).toBe('');
    for (let i = 0; i < 100 && readFileSync(file, 'utf8').split('\n').length < 1_001; i++) await new Promise((r) => setTimeout(r, 10));
    expect(readFileSync(file, 'utf8')).toBe(Array.from({ length: 1_000 }, (_, i) => `line ${i}\n`).join(''));
  });

  it('drops lines beyond the pending budget, saying how many, and keeps those within it', async () => {
    let dropped = 0;
    const writer = new AsyncLineWriter(fd, 100, () => (dropped += 1));
    for (let i = 0; i < 20; i++) writer.write(`${String(i).padStart(9, '0')}\n`);
    expect(dropped).toBe(10);
    writer.flushSync();
    expect(readFileSync(file, 'utf8').split('\n').filter(Boolean)).toHaveLength(10);
  });

  it('flushes what is pending synchronously (at exit), and gives up at once on a closed descriptor', () => {
    const writer = new AsyncLineWriter(fd, 2 ** 20, () => undefined);
    writer.write('last words\n');
    writer.flushSync();
    expect(readFileSync(file, 'utf8')).toBe('last words\n');
    const closed = new AsyncLineWriter(999_999, 2 ** 20, () => undefined);
    closed.write('nobody reads this\n');
    const started = Date.now();
    expect(() => closed.flushSync()).not.toThrow();
    expect(Date.now() - started).toBeLessThan(1_000);
  });
});
