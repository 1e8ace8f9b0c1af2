import { readFileSync } from 'node:fs';
import { parseEnv } from 'node:util';
import { parseCorsOrigins, validateEnvironment } from '../../src/config/env.validation.js';

const file = (name: string) => parseEnv(readFileSync(name, 'utf8')) as Record<string, string>;

describe('the shipped env files', () => {
  it('.env.local (a plain npm start) listens on loopback only, since it carries the published admin key', () => {
    const local = file('.env.local');
    expect(local.ADMIN_API_KEY).toBeDefined();
    expect(validateEnvironment(local).HOST).toBe('127.0.0.1');
  });

  it('.env.local lets in only front-end dev servers on this machine, not any web page the developer opens', () => {
    const origins = parseCorsOrigins(validateEnvironment(file('.env.local')).CORS_ORIGINS ?? '');
    expect(origins).toEqual(expect.arrayContaining(['http://localhost:5173']));
    for (const origin of origins as string[]) expect(new URL(origin).hostname).toMatch(/^(localhost|127\.0\.0\.1)$/);
  });

  it('development and production keep their platform stores in different files by default', () => {
    const dev = validateEnvironment(file('.env.local')).DATABASE_URL;
    const production = validateEnvironment({ ...file('.env.production'), NODE_ENV: 'production' }).DATABASE_URL;
    expect(dev).toBe('sqlite:./data/dev.db');
    expect(production).toBe('sqlite:./data/platform.db');
  });
});
