import { Command } from 'commander';
import { resolve } from 'node:path';
import { settingFromEnvironment } from '../config/env-files.js';
import { DOMAINS } from '../domains.js';
import { DEFAULT_MAX_FILE_MB, formatProblem, loadMockData } from '../mock/mock-data.loader.js';

/** `validate [DIR]`: every problem in the folder, one per line; exit 1 if any. Same checks as the server's startup. */
export function registerValidateCommand(program: Command): void {
  program
    .command('validate')
    .description('Check a mock-data folder: every problem (file, record, field, reason); exit code 1 if any')
    .argument('[dir]', 'the folder holding tenants.json (default: MOCK_DATA_PATH as the server reads it, else ./mock-data)')
    .option('--max-file-mb <n>', 'refuse files larger than this many MB (the server: MOCK_MAX_FILE_MB)', String(DEFAULT_MAX_FILE_MB))
    .action(async (given: string | undefined, options: { maxFileMb: string }) => {
      const dir = given ?? settingFromEnvironment('MOCK_DATA_PATH') ?? './mock-data';
      const maxFileMb = Number(options.maxFileMb);
      if (!Number.isInteger(maxFileMb) || maxFileMb < 1) {
        process.stderr.write(`--max-file-mb must be a positive integer, got '${options.maxFileMb}'\n`);
        process.exitCode = 2;
        return;
      }
      const result = await loadMockData(DOMAINS, resolve(dir), { maxFileMb });
      if (result.ok) {
        const { snapshot } = result;
        process.stdout.write(
          `${dir}: OK — ${snapshot.tenants.length} tenants, ${snapshot.files} files, ${snapshot.recordCount} records` +
            (snapshot.scenarios.length > 0 ? `, ${snapshot.scenarios.length} scenario rules` : '') +
            '\n',
        );
        return;
      }
      for (const problem of result.problems) process.stdout.write(`${formatProblem(problem)}\n`);
      process.stderr.write(`${dir}: ${result.problems.length} problem(s)\n`);
      process.exitCode = 1;
    });
}
