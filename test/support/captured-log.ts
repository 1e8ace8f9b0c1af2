import { Writable } from 'node:stream';

/** Every line the app writes, parsed (a line that is not JSON fails the test); bind it as LOG_DESTINATION. */
export class CapturedLines extends Writable {
  readonly text: string[] = [];
  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    this.text.push(...chunk.toString().split('\n').filter((l) => l.length > 0));
    done();
  }
  get lines(): Array<Record<string, unknown>> {
    return this.text.map((l) => JSON.parse(l) as Record<string, unknown>);
  }
  requestLine(id: string): Record<string, unknown> | undefined {
    return this.lines.find((l) => l.request_id === id && (l.msg === 'request completed' || l.msg === 'request failed'));
  }
}

/** Request lines are written when the response finishes, a moment after the client has read it. */
export async function lineFor(out: CapturedLines, id: string): Promise<Record<string, unknown>> {
  for (let i = 0; i < 100; i++) {
    const line = out.requestLine(id);
    if (line) return line;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`no request line for ${id} in:\n${out.text.join('\n')}`);
}
