import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Command, InvalidArgumentError } from 'commander';
import { randomBytes } from 'node:crypto';
import { constants } from 'node:os';
import { resolve } from 'node:path';
import { AppLogger } from '../../common/app-logger.js';
import { TENANT_ID_PATTERN } from '../../common/validation/formats.js';
import { VendorError } from '../../integrations/http/vendor-errors.js';
import { Redactor } from './redactor.js';
import { RecordModule } from './record.module.js';
import { progressReporter, type ProgressReporter } from './progress.js';
import { checkOutDir, RecordingFolder, RecordRefusedError, recordingFiles } from './recording-writer.js';
import type { StreamOrigin } from './stream-reader.js';
import { TenantRecorder } from './tenant-recorder.js';

interface RecordOptions {
  tenant: string;
  out: string;
  redact: boolean;
  seed?: string;
  force?: boolean;
}

export function registerRecordCommand(program: Command): void {
  program
    .command('record')
    .description(
      'Record a live tenant as a mock-data folder: its tenant entry and every configured domain, each stream copied from the ' +
        'replica when the sync has completed it (no vendor call), else from the vendors through the sync\'s fetchers ' +
        '(DATABASE_URL, ENCRYPTION_KEY as the server uses them). Names, emails, companies and devices are ' +
        'replaced by consistent pseudonyms unless --no-redact.',
    )
    .requiredOption('--tenant <id>', 'the tenant to record (as in the platform store)', parseTenantId)
    .requiredOption('--out <dir>', 'the folder to write (created; must be empty unless --force)')
    .option('--no-redact', 'keep every name, email, company and device as the vendors answered')
    .option('--seed <text>', 'key of the pseudonyms: the same seed gives byte-identical recordings (default: random)')
    .option('--force', 'replace a non-empty --out (only once the new recording is complete)')
    .exitOverride((err) => process.exit(err.exitCode === 0 ? 0 : 2))
    .action(async (opts: RecordOptions) => {
      try {
        await runRecord(opts);
      } catch (error) {
        // Every failure leaves nothing behind (the writer removes its temporary folder): exit 1, one message.
        const message = error instanceof Error ? error.message : String(error);
        const reason =
          error instanceof VendorError
            ? `a vendor failed, nothing written: ${message}`
            : error instanceof RecordRefusedError
              ? message
              : `${message} (nothing written)`;
        process.stderr.write(`error: ${reason}\n`);
        process.exitCode = 1;
      }
    });
}

const INTERRUPTS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

async function runRecord(opts: RecordOptions): Promise<void> {
  const out = resolve(opts.out);
  await checkOutDir(out, opts.force === true);
  const folder = await RecordingFolder.create(out);
  let progress: ProgressReporter | undefined;
  // Ctrl-C or a kill: remove the temporary folder (and restore the terminal's cursor) before exiting.
  const interrupted = (signal: NodeJS.Signals) => {
    progress?.stop();
    folder.discardSync();
    process.stderr.write(`error: interrupted by ${signal}, nothing written\n`);
    process.exit(128 + (constants.signals[signal] ?? 0));
  };
  for (const signal of INTERRUPTS) process.on(signal, interrupted);
  let summary: string;
  try {
    const app = await NestFactory.createApplicationContext(RecordModule.forRoot(), {
      logger: new AppLogger({ logLevels: ['error'] }),
      abortOnError: false,
    });
    try {
      const recorder = new TenantRecorder(app);
      const tenant = await recorder.tenant(opts.tenant);
      if (!tenant) throw new RecordRefusedError(`tenant '${opts.tenant}' does not exist in the platform store`);
      const domains = await recorder.configuredDomains(tenant.id);
      progress = progressReporter(domains);
      let outcome;
      try {
        outcome = await recorder.record(tenant, domains, progress);
      } finally {
        progress.stop();
      }
      const { data } = outcome;
      if (outcome.unreadable > 0) process.stderr.write(`warning: ${outcome.unreadable} record(s) the mapper could not read were skipped, as the sync skips them\n`);
      const seed = opts.seed ?? randomBytes(32).toString('base64');
      const written = opts.redact ? new Redactor(seed).redact(data, await recorder.people(tenant.id, domains)) : data;
      const manifest = { recorded_from: tenant.id, redacted: opts.redact, live_window_days: recorder.windowDays, domains: [...domains] };
      await folder.commit(recordingFiles(written, manifest));
      const counts = domains.map((d) => `${data[d]?.length ?? 0} ${d}`).join(', ') || 'no configured domain';
      const how = !opts.redact ? 'not redacted' : opts.seed !== undefined ? 'redacted with the given seed' : 'redacted with a random seed (pass --seed to reproduce it)';
      summary = `Recorded ${tenant.id} to ${out}: ${counts}; ${originOf(Object.values(outcome.origins))}; ${how}\n`;
    } finally {
      await closeQuietly(app);
    }
  } catch (error) {
    await folder.discard();
    throw error;
  } finally {
    for (const signal of INTERRUPTS) process.off(signal, interrupted);
  }
  process.stdout.write(summary);
}

/** Where the recording came from, as its summary says it. */
function originOf(origins: readonly StreamOrigin[]): string {
  const from = new Set(origins);
  if (from.size === 0) return 'nothing to read';
  if (from.size === 2) return 'copied from the replica where synced, the rest from the vendors';
  return from.has('replica') ? 'copied from the replica (no vendor call)' : 'fetched from the vendors';
}

async function closeQuietly(app: INestApplicationContext): Promise<void> {
  await app.close().catch(() => undefined);
}

function parseTenantId(value: string): string {
  if (!TENANT_ID_PATTERN.test(value)) throw new InvalidArgumentError(`'${value}' is not a tenant id (^[a-z0-9][a-z0-9_-]{0,63}$)`);
  return value;
}
