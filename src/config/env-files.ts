import { readFileSync } from 'node:fs';
import { parseEnv } from 'node:util';

/**
 * The env file a deployment reads, by NODE_ENV; variables already in the environment always win.
 * `.env.local` is what a plain `npm start` uses.
 */
export function envFilesFor(nodeEnv: string | undefined): string[] {
  switch (nodeEnv) {
    case 'production':
      return ['.env.production'];
    case 'test':
      return ['.env.test'];
    default:
      return ['.env.local'];
  }
}

/** One variable as the server would read it (the environment, else its env file), unvalidated: for a CLI's default. */
export function settingFromEnvironment(name: string): string | undefined {
  const fromEnv = process.env[name];
  if (fromEnv !== undefined) return fromEnv.trim() || undefined;
  for (const file of envFilesFor(process.env.NODE_ENV)) {
    try {
      const value = parseEnv(readFileSync(file, 'utf8'))[name]?.trim();
      if (value) return value;
    } catch {
      // No such file: the variable is simply not set there.
    }
  }
  return undefined;
}
