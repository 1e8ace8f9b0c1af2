#!/usr/bin/env node
import 'reflect-metadata';
import { Command } from 'commander';
import { registerGenerateCommand } from './generate/generate.command.js';
import { registerValidateCommand } from './validate.command.js';

const program = new Command('mock-cli').description('Generate and validate mock data for MOCK_MODE=true');
registerGenerateCommand(program);
registerValidateCommand(program);

program.parseAsync(process.argv).catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 2;
});
