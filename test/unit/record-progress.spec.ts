import { PassThrough } from 'node:stream';
import { progressReporter } from '../../src/cli/record/progress.js';

/** A stream that collects what is written; `isTTY` as a terminal or a pipe says. */
function sink(isTTY: boolean): PassThrough & { isTTY: boolean; columns: number; text(): string } {
  const stream = Object.assign(new PassThrough(), { isTTY, columns: 120 });
  let written = '';
  stream.on('data', (chunk: Buffer) => (written += chunk.toString()));
  return Object.assign(stream, { text: () => written });
}

const ESC = '\u001b';

describe('mock:record progress', () => {
  it('draws one bar per domain on a terminal, hides the cursor while drawing and restores it when stopped', () => {
    const stream = sink(true);
    const progress = progressReporter(['tickets', 'csat'], stream);
    progress.update('tickets', 0, undefined, 'fetching');
    progress.update('tickets', 100, 300, 'descriptions');
    progress.finish('csat', 30);
    progress.finish('tickets', 300);
    progress.stop();
    const text = stream.text();
    expect(text.startsWith(`${ESC}[?25l`)).toBe(true);
    expect(text).toContain(`${ESC}[?25h`);
    // The final drawing: each domain's bar, full, with its count.
    expect(text).toMatch(/tickets {9}█{40} 300\/300 300 record\(s\)/);
    expect(text).toMatch(/csat {12}█{40} 30\/30 30 record\(s\)/);
    expect(text).not.toMatch(/^tickets: /m);
  });

  it('writes plain lines elsewhere: each task once, then the count', () => {
    const stream = sink(false);
    const progress = progressReporter(['tickets', 'csat'], stream);
    progress.update('tickets', 0, undefined, 'fetching');
    progress.update('csat', 0, undefined, 'fetching');
    progress.update('tickets', 0, 250, 'descriptions');
    progress.update('tickets', 100, 250, 'descriptions');
    progress.update('tickets', 200, 250, 'descriptions');
    progress.finish('csat', 0);
    progress.finish('tickets', 250);
    progress.stop();
    expect(stream.text()).toBe(
      ['tickets: fetching', 'csat: fetching', 'tickets: descriptions (250)', 'csat: 0 record(s)', 'tickets: 250 record(s)', ''].join('\n'),
    );
  });

  it.each([true, false])('says nothing more once stopped (terminal: %s): a failed run ends on its error', (isTTY) => {
    const stream = sink(isTTY);
    const progress = progressReporter(['tickets', 'csat'], stream);
    progress.update('csat', 0, undefined, 'fetching');
    progress.stop();
    const before = stream.text();
    progress.update('tickets', 0, undefined, 'fetching');
    progress.finish('tickets', 151);
    progress.stop();
    expect(stream.text()).toBe(before);
  });
});
