// Vendor text that may reach a log or an error: secrets scrubbed in every spelling, bodies summarized.

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
      secrets.push(decoded, ...decoded.split(':').slice(1));
    }
  }
  const collect = (params: URLSearchParams) => {
    for (const [name, value] of params) if (SECRET_KEY.test(name)) secrets.push(value);
  };
  if (body instanceof URLSearchParams) collect(body);
  else if (typeof body === 'string' && !body.trimStart().startsWith('{')) collect(new URLSearchParams(body));
  try {
    collect(new URL(url).searchParams);
  } catch {
    // an unparsable URL never reaches the network, so it has no query to redact
  }
  return secrets.filter((s) => s.length >= 4);
}

const MIN_SECRET_LENGTH = 4;

/**
 * Every spelling in which a vendor may echo a secret back: raw, JSON-escaped, URL- and
 * form-encoded (either hex case), base64 and base64url, and those encoded again; longest first.
 */
export function secretSpellings(secrets: readonly string[]): string[] {
  const spellings = new Set<string>();
  const add = (value: string) => {
    if (value.length < MIN_SECRET_LENGTH) return;
    spellings.add(value);
    spellings.add(value.replace(/%[0-9A-F]{2}/g, (hex) => hex.toLowerCase()));
  };
  const encodings = (value: string) => [
    value,
    JSON.stringify(value).slice(1, -1),
    encodeURIComponent(value),
    new URLSearchParams({ v: value }).toString().slice(2),
    encodeURI(value),
  ];
  for (const secret of secrets) {
    if (secret.length < MIN_SECRET_LENGTH) continue;
    const b64 = Buffer.from(secret, 'utf8').toString('base64');
    for (const base of [secret, b64, b64.replace(/=+$/, ''), Buffer.from(secret, 'utf8').toString('base64url')]) {
      for (const once of encodings(base)) {
        add(once);
        for (const twice of encodings(once)) add(twice);
      }
    }
  }
  return [...spellings].sort((a, b) => b.length - a.length);
}

export function scrubSecrets(text: string, secrets: readonly string[]): string {
  let scrubbed = text;
  for (const spelling of secretSpellings(secrets)) scrubbed = scrubbed.split(spelling).join('[redacted]');
  return scrubbed;
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

// Each "[redacted]" put in that tail may be longer than what it replaced (spellings have at least 4 characters).
function unsafeTailLength(secrets: readonly string[]): number {
  const longest = secretSpellings(secrets).reduce((max, spelling) => Math.max(max, spelling.length), 0);
  return longest * 3;
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
