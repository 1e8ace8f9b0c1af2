#!/usr/bin/env node
// Writes the OpenAPI document the server serves at /docs-json to openapi.json (repo root), from the
// built app (dist/, `npm run build`), so a front-end can generate its types without running the server.
// `--check` writes nothing and exits 1 when openapi.json differs from what the code documents;
// `--file PATH` reads or writes another file instead.
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const fileArg = process.argv.indexOf('--file');
const target = fileArg > 0 && process.argv[fileArg + 1] ? process.argv[fileArg + 1] : join(root, 'openapi.json');
const check = process.argv.includes('--check');

// The document does not depend on the mode or data; boot the lightest way, touching no file or database.
Object.assign(process.env, {
  MOCK_MODE: 'true',
  MOCK_DATA_PATH: join(root, 'mock-data'),
  MOCK_WATCH: 'false',
  DATABASE_URL: 'sqlite::memory:',
  LOG_LEVEL: 'error',
});

const { NestFactory } = await import('@nestjs/core');
const { AppModule } = await import(join(root, 'dist/app.module.js'));
const { buildOpenApiDocument, configureApp, createFastifyAdapter, openApiJson } = await import(join(root, 'dist/app.setup.js'));

const app = await NestFactory.create(AppModule.forRoot(), createFastifyAdapter(), { logger: false });
configureApp(app);
await app.init();
const { version } = JSON.parse(await readFile(join(root, 'package.json'), 'utf8'));
const text = openApiJson(buildOpenApiDocument(app, version));
await app.close();

if (check) {
  const committed = await readFile(target, 'utf8').catch(() => '');
  if (committed !== text) {
    process.stderr.write(`${target} is stale: run \`npm run build && npm run openapi\` and commit it\n`);
    process.exit(1);
  }
  process.stdout.write(`${target} is up to date\n`);
} else {
  await writeFile(target, text);
  process.stdout.write(`wrote ${target}\n`);
}
