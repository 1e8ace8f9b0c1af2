import { MultiBar, Presets, type SingleBar } from 'cli-progress';
import type { MockableDomain as DomainName } from '../../config/env.validation.js';
import type { RecordProgress } from './tenant-recorder.js';

export interface ProgressReporter extends RecordProgress {
  /** Ends the display (restoring the cursor on a terminal); later updates are ignored. */
  stop(): void;
}

/**
 * A bar per domain when `stream` is a terminal; otherwise a plain line as each domain starts a task
 * and as it finishes. Once stopped (the recording failed or was interrupted), it says nothing more:
 * domains still in flight must not print after the error.
 */
export function progressReporter(domains: readonly DomainName[], stream: NodeJS.WritableStream & { isTTY?: boolean } = process.stderr): ProgressReporter {
  let stopped = false;
  if (!stream.isTTY) {
    const said = new Set<string>();
    return {
      update: (domain, _done, total, task) => {
        const key = `${domain}:${task}`;
        if (stopped || said.has(key)) return;
        said.add(key);
        stream.write(`${domain}: ${task}${total === undefined ? '' : ` (${total})`}\n`);
      },
      finish: (domain, records) => {
        if (!stopped) stream.write(`${domain}: ${records} record(s)\n`);
      },
      stop: () => {
        stopped = true;
      },
    };
  }
  const multi = new MultiBar(
    { stream, format: '{domain} {bar} {value}/{total} {task}', hideCursor: true, clearOnComplete: false },
    Presets.shades_classic,
  );
  const bars = new Map<DomainName, SingleBar>(domains.map((d) => [d, multi.create(1, 0, { domain: d.padEnd(15), task: 'waiting' })]));
  return {
    update: (domain, done, total, task) => {
      const bar = bars.get(domain);
      if (stopped || !bar) return;
      if (total !== undefined) bar.setTotal(Math.max(total, 1));
      bar.update(done, { task });
    },
    finish: (domain, records) => {
      const bar = bars.get(domain);
      if (stopped || !bar) return;
      bar.setTotal(Math.max(records, 1));
      bar.update(Math.max(records, 1), { task: `${records} record(s)` });
    },
    stop: () => {
      if (stopped) return;
      stopped = true;
      multi.stop();
    },
  };
}
