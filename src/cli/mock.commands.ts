import 'reflect-metadata';
import { Command } from 'commander';
import { registerGenerateCommand } from './generate/generate.command.js';
import { registerRecordCommand } from './record/record.command.js';
import { registerValidateCommand } from './validate.command.js';

const program = new Command('mock-cli').description('Generate, validate and record mock data for MOCK_MODE=true');
registerGenerateCommand(program);
registerValidateCommand(program);
registerRecordCommand(program);

program.parseAsync(process.argv).catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 2;
});
