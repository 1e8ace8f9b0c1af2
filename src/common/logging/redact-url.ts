/**
 * Query parameters named like credentials, compared without case and separators (`api_key`, `apiKey`,
 * `API-KEY`): exactly these names, or any name ending in one of the suffixes (`X-Amz-Signature`, `sessionToken`).
 */
const CREDENTIAL_NAMES = new Set(['key', 'code', 'sig', 'pwd', 'passwd', 'pass', 'auth', 'authorization', 'credential', 'credentials', 'jwt', 'session', 'sessionid']);
const CREDENTIAL_SUFFIX = /(?:token|secret|password|apikey|accesskey|privatekey|signature|assertion)$/;

export function isCredentialParam(name: string): boolean {
  const plain = name.toLowerCase().replace(/[^a-z0-9]/g, '');
  return CREDENTIAL_NAMES.has(plain) || CREDENTIAL_SUFFIX.test(plain);
}

export const REDACTED_VALUE = '[redacted]';

/**
 * A URL (absolute, or a path with its query) as it may be logged: the value of every query parameter
 * named like a credential replaced by `[redacted]`, everything else left exactly as it was sent.
 */
export function redactUrl(url: string): string {
  const queryAt = url.indexOf('?');
  if (queryAt < 0) return url;
  const hashAt = url.indexOf('#', queryAt);
  const query = url.slice(queryAt + 1, hashAt < 0 ? undefined : hashAt);
  const redacted = query
    .split('&')
    .map((pair) => {
      const equals = pair.indexOf('=');
      const rawName = equals < 0 ? pair : pair.slice(0, equals);
      return equals >= 0 && isCredentialParam(decodeName(rawName)) ? `${rawName}=${REDACTED_VALUE}` : pair;
    })
    .join('&');
  return `${url.slice(0, queryAt + 1)}${redacted}${hashAt < 0 ? '' : url.slice(hashAt)}`;
}

function decodeName(name: string): string {
  try {
    return decodeURIComponent(name.replace(/\+/g, ' '));
  } catch {
    // Malformed percent-encoding: judged by the name as written.
    return name;
  }
}
