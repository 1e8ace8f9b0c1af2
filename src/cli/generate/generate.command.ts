import { SingleBar } from 'cli-progress';
import { Command, InvalidArgumentError } from 'commander';
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { isInstant } from '../../common/validation/formats.js';
import { writeDataset } from './dataset-writer.js';
import {
  DEFAULT_GENERATE_OPTIONS,
  MAX_RECORDS_PER_TENANT,
  MAX_TENANTS,
  generateDataset,
  type GenerateOptions,
  type GeneratedDataset,
} from './mock-data.generator.js';

export const DEFAULT_OUT_DIR = './mock-data';

type GenerateCommandOptions = Omit<GenerateOptions, 'onProgress'> & { out: string };

export function registerGenerateCommand(program: Command): void {
  const d = DEFAULT_GENERATE_OPTIONS;
  program
    .command('generate')
    .description('Write a deterministic, realistic mock data set (tenants, tickets, time entries, CSAT, security alerts).')
    .option('--out <dir>', 'output folder', DEFAULT_OUT_DIR)
    .option('--seed <n>', 'random seed (integer)', parseSeed, d.seed)
    .option('--now <instant>', 'reference time, an ISO instant ending in Z; nothing generated is later', parseNow, d.now)
    .option('--tenants <n>', `number of tenants (1-${MAX_TENANTS})`, integerParser(1, MAX_TENANTS), d.tenants)
    .option('--tickets <n>', 'tickets per tenant (default: a seeded count in 50-100)', integerParser(0, MAX_RECORDS_PER_TENANT))
    .option('--time-entries <n>', 'time entries per tenant', integerParser(0, MAX_RECORDS_PER_TENANT), d.timeEntries)
    .option('--csat <n>', 'CSAT surveys per tenant', integerParser(0, MAX_RECORDS_PER_TENANT), d.csat)
    .option('--alerts <n>', 'security alerts per tenant', integerParser(0, MAX_RECORDS_PER_TENANT), d.alerts)
    // Usage errors exit 2, as most CLIs do; help keeps exit code 0.
    .exitOverride((err) => process.exit(err.exitCode === 0 ? 0 : 2))
    .action(async (opts: GenerateCommandOptions) => {
      await runGenerate(opts);
    });
}

async function runGenerate(opts: GenerateCommandOptions): Promise<void> {
  const started = performance.now();
  const bar = process.stderr.isTTY
    ? new SingleBar({ stream: process.stderr, format: 'generating {bar} {percentage}% | {value}/{total} records', hideCursor: true })
    : undefined;
  let barStarted = false;
  const options: GenerateOptions = {
    seed: opts.seed,
    now: opts.now,
    tenants: opts.tenants,
    tickets: opts.tickets,
    timeEntries: opts.timeEntries,
    csat: opts.csat,
    alerts: opts.alerts,
    onProgress: bar
      ? (done, total) => {
          if (!barStarted) bar.start(total, 0);
          barStarted = true;
          bar.update(done);
        }
      : undefined,
  };

  let dataset: GeneratedDataset;
  try {
    dataset = generateDataset(options);
  } finally {
    if (barStarted) bar?.stop();
  }

  const outDir = resolve(opts.out);
  let written: Awaited<ReturnType<typeof writeDataset>>;
  try {
    written = await writeDataset(outDir, dataset);
  } catch (error) {
    process.stderr.write(`error: cannot write mock data to ${outDir}: ${(error as Error).message}\n`);
    process.exitCode = 1;
    return;
  }
  if (written.stale.length > 0) {
    process.stderr.write(
      `warning: ${plural(written.stale.length, 'file')} in ${outDir} belong to no generated tenant; left in place, the validator will report them: ${written.stale.join(', ')}\n`,
    );
  }

  const elapsed = Math.round(performance.now() - started);
  process.stdout.write(
    `Wrote ${plural(written.files.length, 'file')} to ${outDir}: ${summarizeCounts(dataset)} (seed ${opts.seed}, now ${opts.now}) in ${elapsed} ms\n`,
  );
}

function summarizeCounts(ds: GeneratedDataset): string {
  const sum = (byTenant: Record<string, unknown[]>): number => Object.values(byTenant).reduce((n, list) => n + list.length, 0);
  return [
    plural(ds.tenants.length, 'tenant'),
    plural(sum(ds.tickets), 'ticket'),
    plural(sum(ds.time_entries), 'time entry', 'time entries'),
    plural(sum(ds.csat), 'CSAT survey'),
    plural(sum(ds.security_alerts), 'security alert'),
  ].join(', ');
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

function integerParser(min: number, max: number): (value: string) => number {
  return (value) => {
    const n = /^\d+$/.test(value) ? Number(value) : NaN;
    if (!Number.isSafeInteger(n) || n < min || n > max) {
      throw new InvalidArgumentError(`Expected an integer from ${min} to ${max}.`);
    }
    return n;
  };
}

function parseSeed(value: string): number {
  const n = /^-?\d+$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n)) throw new InvalidArgumentError('Expected an integer seed.');
  return n;
}

function parseNow(value: string): string {
  if (!isInstant(value)) throw new InvalidArgumentError('Expected an ISO 8601 UTC instant like 2026-01-31T00:00:00Z.');
  return value;
}
