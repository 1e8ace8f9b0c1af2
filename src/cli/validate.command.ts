import { Command } from 'commander';
import { resolve } from 'node:path';
import { formatProblem, loadMockData } from '../mock/mock-data.loader.js';

/** `validate [DIR]`: every problem in the folder, one per line; exit 1 if any. Same checks as the server's startup. */
export function registerValidateCommand(program: Command): void {
  program
    .command('validate')
    .description('Check a mock-data folder: every problem (file, record, field, reason); exit code 1 if any')
    .argument('[dir]', 'the folder holding tenants.json', './mock-data')
    .action(async (dir: string) => {
      const result = await loadMockData(resolve(dir));
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
