// How environment values are read and checked: transforms, decorators and parsers the EnvironmentVariables class uses.
import { isIP } from 'node:net';
import type { LevelWithSilent } from 'pino';
import { Transform } from 'class-transformer';
import { IsInt, Max, Min, registerDecorator } from 'class-validator';
import { DOMAIN_NAMES, type DomainName } from './domains-and-vendors.js';

/** LOG_LEVEL's names, pino's and Nest's, and the pino level each means (Nest's `log` is `info`, `verbose` is `trace`). */
export const LOG_LEVELS: Readonly<Record<string, LevelWithSilent>> = {
  trace: 'trace',
  debug: 'debug',
  info: 'info',
  warn: 'warn',
  error: 'error',
  fatal: 'fatal',
  silent: 'silent',
  verbose: 'trace',
  log: 'info',
};

const BOOLEAN_WORDS: Record<string, boolean> = { true: true, false: false };

/** `"true"`/`"false"` only: `MOCK_MODE=yes` is a mistake to report, not to guess at. */
export const toBoolean = ({ value }: { value: unknown }) =>
  typeof value === 'string' && value.trim() in BOOLEAN_WORDS ? BOOLEAN_WORDS[value.trim()] : value;
/** A comma list, blanks dropped: `"tickets, csat"` → `['tickets', 'csat']`; an empty string lists nothing. */
export const toList = ({ value }: { value: unknown }) =>
  typeof value === 'string' ? value.split(',').map((v) => v.trim()).filter((v) => v !== '') : value;
export const toInteger = ({ value }: { value: unknown }) =>
  typeof value === 'string' && /^\s*-?\d+\s*$/.test(value) ? Number(value) : value;

/** A whole number in [min, max] given as digits; one message whatever is wrong with it. */
export function IntegerIn(min: number, max: number, message = `must be an integer from ${min} to ${max}`): PropertyDecorator {
  return (target, property) => {
    Transform(toInteger)(target, property as string);
    Min(min, { message })(target, property as string);
    Max(max, { message })(target, property as string);
    IsInt({ message })(target, property as string);
  };
}

/** Base64 that decodes to exactly 32 bytes (an AES-256 key); `list` allows several, comma-separated. */
export function IsAes256Key(list = false): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isAes256Key',
      target: target.constructor,
      propertyName: propertyName as string,
      options: {
        message: list
          ? 'must be a comma-separated list of base64 keys of 32 bytes each (e.g. from `openssl rand -base64 32`)'
          : 'must be 32 bytes, base64-encoded (e.g. from `openssl rand -base64 32`)',
      },
      validator: {
        validate: (value: unknown) =>
          typeof value === 'string' &&
          (list ? value.split(',').map((v) => v.trim()) : [value.trim()]).every(
            (k) => /^[A-Za-z0-9+/]+={0,2}$/.test(k) && Buffer.from(k, 'base64').length === 32,
          ),
      },
    });
}

/** The domains `MOCK_DOMAINS` may name: every domain. */
export const MOCKABLE_DOMAINS: readonly DomainName[] = DOMAIN_NAMES;
export type MockableDomain = DomainName;

/** Each entry one of `allowed`, none twice; one message naming the offenders. */
export function IsListOf(allowed: readonly string[]): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isListOf',
      target: target.constructor,
      propertyName: propertyName as string,
      validator: {
        validate: (value: unknown) =>
          Array.isArray(value) && value.every((v) => allowed.includes(v)) && new Set(value).size === value.length,
        defaultMessage: (args) => {
          const list = Array.isArray(args?.value) ? (args.value as unknown[]) : [];
          const unknown = list.filter((v) => !allowed.includes(v as string));
          const twice = list.filter((v, i) => list.indexOf(v) !== i);
          const what = unknown.length ? `unknown ${unknown.map((v) => `'${String(v)}'`).join(', ')}` : `${twice.map((v) => `'${String(v)}'`).join(', ')} listed twice`;
          return `must be a comma-separated list of ${allowed.join(', ')} (${what})`;
        },
      },
    });
}

/**
 * `*`, or a comma-separated list of origins (`scheme://host[:port]`, no path): who may call the API from a browser.
 */
export function IsCorsOrigins(): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isCorsOrigins',
      target: target.constructor,
      propertyName: propertyName as string,
      options: {
        message:
          'must be * (any origin) or a comma-separated list of origins such as http://localhost:5173,https://app.example.com ' +
          '(scheme, host and port only: no path, no trailing slash)',
      },
      validator: { validate: (value: unknown) => typeof value === 'string' && parseCorsOrigins(value) !== undefined },
    });
}

/** The origins of CORS_ORIGINS (`'*'` for any), or undefined when one entry is not an origin. Empty means none. */
export function parseCorsOrigins(value: string): '*' | string[] | undefined {
  const entries = value
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean);
  if (entries.length === 1 && entries[0] === '*') return '*';
  const isOrigin = (entry: string) => {
    try {
      const url = new URL(entry);
      return (url.protocol === 'http:' || url.protocol === 'https:') && url.origin === entry.toLowerCase();
    } catch {
      return false;
    }
  };
  return entries.every(isOrigin) ? entries.map((e) => e.toLowerCase()) : undefined;
}

/** Named ranges Fastify's trustProxy (proxy-addr) knows besides addresses and CIDRs. */
const PROXY_RANGES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/**
 * TRUST_PROXY as Fastify's `trustProxy` takes it: `false` (unset), `true` (trust every hop: the client
 * is the left-most X-Forwarded-For entry), a number of hops to trust, or the proxies' addresses, CIDRs
 * and named ranges (loopback, linklocal, uniquelocal); undefined when it is none of these.
 */
export function parseTrustProxy(value: string): boolean | number | string[] | undefined {
  const text = value.trim().toLowerCase();
  if (text === '' || text === 'false') return false;
  if (text === 'true') return true;
  if (/^\d{1,2}$/.test(text)) return Number(text);
  const entries = text.split(',').map((e) => e.trim());
  const isProxy = (entry: string) => {
    if (PROXY_RANGES.has(entry)) return true;
    const [address, bits, extra] = entry.split('/');
    const family = isIP(address);
    if (family === 0 || extra !== undefined) return false;
    return bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128));
  };
  return entries.every(isProxy) ? entries : undefined;
}

export function IsTrustProxy(): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isTrustProxy',
      target: target.constructor,
      propertyName: propertyName as string,
      options: {
        message:
          'must be false, true (trust every proxy), a number of proxy hops (e.g. 1), or a comma-separated list of proxy ' +
          'addresses, CIDRs or loopback/linklocal/uniquelocal (e.g. 10.0.0.0/8,loopback)',
      },
      validator: { validate: (value: unknown) => typeof value === 'string' && parseTrustProxy(value) !== undefined },
    });
}
