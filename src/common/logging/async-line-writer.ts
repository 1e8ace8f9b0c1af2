import { write, writeSync } from 'node:fs';

/** How long the flush at exit keeps retrying a full pipe (EAGAIN) before it drops what is left. */
const EXIT_FLUSH_MS = 2_000;

/**
 * Log lines written to a file descriptor without blocking: a request never waits on the log reader.
 * The lines of one event-loop turn go out together once the previous write is done; beyond `maxPendingBytes`
 * lines are dropped (`onDrop`) rather than held. `flushSync` writes what is pending at exit, retrying
 * a full pipe for at most EXIT_FLUSH_MS, and gives up on any other error: no reader is left to read it.
 */
export class AsyncLineWriter {
  private pending: string[] = [];
  /** Characters pending or being written. */
  private queued = 0;
  /** The chunk being written and how far; `inSyscall` while a write is with the thread pool. */
  private current: { bytes: Buffer; offset: number } | undefined;
  private inSyscall = false;
  private scheduled = false;
  private closed = false;

  constructor(
    private readonly fd: number,
    private readonly maxPendingBytes: number,
    private readonly onDrop: () => void,
  ) {}

  write(line: string): boolean {
    if (this.closed) return false;
    if (this.queued + line.length > this.maxPendingBytes) {
      this.onDrop();
      return false;
    }
    this.pending.push(line);
    this.queued += line.length;
    // The lines of one turn of the event loop go out in one write.
    if (this.current === undefined && !this.scheduled) {
      this.scheduled = true;
      setImmediate(() => {
        this.scheduled = false;
        if (this.current === undefined && this.pending.length > 0) this.writeNext();
      });
    }
    return true;
  }

  flushSync(): void {
    const unsent = this.current && !this.inSyscall ? [this.current.bytes.subarray(this.current.offset)] : [];
    const bytes = Buffer.concat([...unsent, Buffer.from(this.pending.join(''))]);
    this.current = undefined;
    this.pending = [];
    this.queued = 0;
    const giveUpAt = Date.now() + EXIT_FLUSH_MS;
    const pause = new Int32Array(new SharedArrayBuffer(4));
    for (let written = 0; written < bytes.length; ) {
      try {
        written += writeSync(this.fd, bytes, written);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EAGAIN' || Date.now() > giveUpAt) return;
        Atomics.wait(pause, 0, 0, 10);
      }
    }
  }

  private writeNext(): void {
    const text = this.pending.join('');
    this.pending = [];
    this.current = { bytes: Buffer.from(text), offset: 0 };
    this.writeCurrent(text.length);
  }

  private writeCurrent(characters: number): void {
    const chunk = this.current;
    if (chunk === undefined) return;
    this.inSyscall = true;
    write(this.fd, chunk.bytes, chunk.offset, chunk.bytes.length - chunk.offset, null, (error, written) => {
      this.inSyscall = false;
      if (this.current !== chunk) return;
      if (error) {
        // A full non-blocking pipe: try again shortly. Anything else: the reader is gone.
        if (error.code === 'EAGAIN') setTimeout(() => this.writeCurrent(characters), 10).unref();
        else this.close();
        return;
      }
      chunk.offset += written;
      if (chunk.offset < chunk.bytes.length) return this.writeCurrent(characters);
      this.current = undefined;
      this.queued -= characters;
      if (this.pending.length > 0) this.writeNext();
    });
  }

  private close(): void {
    this.closed = true;
    this.current = undefined;
    this.pending = [];
    this.queued = 0;
  }
}
