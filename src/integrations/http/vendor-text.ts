// Vendor text that may reach a log or an error: secrets scrubbed in every spelling, bodies summarized.

import { canonicalText, matchingSpans } from './canonical-text.js';

const SECRET_KEY = /secret|password|token|assertion|key|signature|auth/i;
const EXCERPT_LENGTH = 200;

/** The credentials a request carries (headers, form body, query), to scrub from whatever the vendor answers. */
export function requestSecrets(
  headers: Record<string, string> | undefined,
  body: string | URLSearchParams | undefined,
  url: string,
  extra: readonly string[] = [],
): string[] {
  const secrets: string[] = [...extra];
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (!SECRET_KEY.test(name)) continue;
    const [scheme, credential = ''] = value.split(/\s+/, 2);
    secrets.push(value, credential);
    if (/^basic$/i.test(scheme)) {
      const decoded = Buffer.from(credential, 'base64').toString('utf8');
      // The password may hold colons itself; the user name cannot.
      if (decoded.includes(':')) secrets.push(decoded, decoded.slice(decoded.indexOf(':') + 1));
    }
  }
  const collect = (params: URLSearchParams) => {
    for (const [name, value] of params) if (SECRET_KEY.test(name)) secrets.push(value);
  };
  if (body instanceof URLSearchParams) collect(body);
  else if (typeof body === 'string' && body.trimStart().startsWith('{')) secrets.push(...jsonSecrets(body));
  else if (typeof body === 'string') collect(new URLSearchParams(body));
  try {
    collect(new URL(url).searchParams);
  } catch {
    // an unparsable URL never reaches the network, so it has no query to redact
  }
  return secrets.filter((s) => s.length >= MIN_SECRET_LENGTH);
}

/** The string values of a JSON body's fields named like credentials (`{"password": …}`, at any depth). */
function jsonSecrets(body: string): string[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return [];
  }
  const found: string[] = [];
  const stack: unknown[] = [parsed];
  while (stack.length > 0) {
    const node = stack.pop();
    if (node === null || typeof node !== 'object') continue;
    for (const [name, value] of Object.entries(node)) {
      if (typeof value === 'string' && SECRET_KEY.test(name)) found.push(value);
      else if (typeof value === 'object') stack.push(value);
    }
  }
  return found;
}

const MIN_SECRET_LENGTH = 4;
const REDACTED = '[redacted]';

/**
 * What to look for, in canonical form (canonical-text.ts), to find a secret in any spelling: the secret
 * itself, and its base64 and base64url, also as they read inside a longer base64 (Basic credentials, a
 * whole body encoded) at each of the three byte alignments. Escapes, case and line breaks need no
 * spelling of their own: the text is searched in the same canonical form.
 */
export function secretSpellings(secrets: readonly string[]): string[] {
  const spellings = new Set<string>();
  const add = (value: string) => {
    const canonical = canonicalText(value).text;
    if (canonical.length >= MIN_SECRET_LENGTH) spellings.add(canonical);
  };
  for (const secret of new Set(secrets)) {
    if (secret.length < MIN_SECRET_LENGTH) continue;
    add(secret);
    const forms = new Set([secret, encodeURIComponent(secret), new URLSearchParams({ v: secret }).toString().slice(2)]);
    for (const form of forms) for (const b64 of base64Spellings(Buffer.from(form, 'utf8'))) add(b64);
  }
  return [...spellings].sort((a, b) => b.length - a.length);
}

/** base64 (padded or not) and base64url of `bytes`, and the characters that spell only them when they sit inside a longer base64. */
function base64Spellings(bytes: Buffer): string[] {
  const standard = bytes.toString('base64');
  const spellings = [standard, standard.replace(/=+$/, '')];
  for (let shift = 0; shift < 3; shift++) {
    const shifted = Buffer.concat([Buffer.alloc(shift), bytes]).toString('base64');
    // The characters whose six bits all come from `bytes`.
    const first = [0, 2, 3][shift];
    const last = Math.floor(((shift + bytes.length) * 8) / 6);
    spellings.push(shifted.slice(first, last));
  }
  return spellings.flatMap((b64) => [b64, b64.replace(/\+/g, '-').replace(/\//g, '_')]);
}

/** `text` with every secret replaced by `[redacted]`, in whatever spelling (see CanonicalText) it appears. */
export function scrubSecrets(text: string, secrets: readonly string[]): string {
  const spellings = secretSpellings(secrets);
  if (spellings.length === 0 || text === '') return text;
  const spans = matchingSpans(text, spellings);
  if (spans.length === 0) return text;
  let scrubbed = '';
  let cursor = 0;
  for (const [start, end] of spans) {
    scrubbed += text.slice(cursor, start) + REDACTED;
    cursor = end;
  }
  return scrubbed + text.slice(cursor);
}

/** How much of a vendor's text an excerpt is made from: cleaning then costs the same for any body. */
const EXCERPT_SOURCE_LENGTH = 8192;

/**
 * A short, secret-free summary of a vendor's answer: the error fields of a JSON body, or the text
 * without tags. Only the start is read; `truncated` says the caller already cut the body.
 */
export function bodyExcerpt(text: string, secrets: readonly string[], truncated = false): string {
  const cut = truncated || text.length > EXCERPT_SOURCE_LENGTH;
  let source = scrubSecrets(text.slice(0, EXCERPT_SOURCE_LENGTH), secrets);
  // A secret running past the cut leaves a prefix no spelling matches: drop a tail long enough to hold it.
  if (cut) source = source.slice(0, Math.max(0, source.length - unsafeTailLength(secrets)));
  // Scrubbed before summarizing too: a secret must not survive by being split across JSON fields.
  let summary = scrubSecrets(summarize(source), secrets);
  summary = summary
    .replace(/\s+/g, ' ')
    .replace(/\b(Bearer|Basic|ApiToken) [A-Za-z0-9._~+/=-]+/gi, '$1 [redacted]')
    .trim();
  return summary.length > EXCERPT_LENGTH ? `${summary.slice(0, EXCERPT_LENGTH - 1)}…` : summary;
}

// The longest spelling we decode is an HTML entity per character (`&#x4a;`, six): twelve per character covers it twice.
function unsafeTailLength(secrets: readonly string[]): number {
  const longest = secrets.reduce((max, secret) => Math.max(max, secret.length), 0);
  return longest * 12;
}

/** Tags replaced by a space, in one pass: a tag runs from `<` to the next `>`; an unclosed `<` stays. */
export function stripTags(text: string): string {
  const parts: string[] = [];
  let from = 0;
  for (;;) {
    const open = text.indexOf('<', from);
    const close = open < 0 ? -1 : text.indexOf('>', open + 1);
    if (close < 0) break;
    parts.push(text.slice(from, open), ' ');
    from = close + 1;
  }
  parts.push(text.slice(from));
  return parts.join('');
}

function summarize(text: string): string {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return stripTags(text);
  }
  const pick = (...values: unknown[]) => values.filter((v): v is string => typeof v === 'string' && v !== '');
  const obj = (value: unknown): Record<string, unknown> =>
    value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  const root = obj(json);
  const error = obj(root.error);
  const first = obj(Array.isArray(root.errors) ? root.errors[0] : undefined);
  const parts = pick(
    error.code,
    error.message,
    typeof root.error === 'string' ? root.error : undefined,
    root.error_description,
    root.code,
    root.message,
    root.detail,
    first.title,
    first.detail,
    first.message,
  );
  return parts.length ? [...new Set(parts)].join(': ') : text;
}
