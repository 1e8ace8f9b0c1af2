/**
 * The spellings in which a vendor has been seen (or could be) to echo a secret back, written with the
 * platform's own encoders where one exists, so that the scrubber is checked against them, not against itself.
 * `exact`: the echo is the secret and nothing else, so it must be replaced whole.
 */
export interface SecretSpelling {
  name: string;
  spell: (secret: string) => string;
  exact: boolean;
}

const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');
const hex = (char: string, upper = false) => {
  const code = char.charCodeAt(0).toString(16).padStart(4, '0');
  return upper ? code.toUpperCase() : code;
};
const isPlain = (char: string) => /[A-Za-z0-9]/.test(char);
const NAMED_ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '/': '&sol;',
  '+': '&plus;',
  '=': '&equals;',
  '?': '&quest;',
  '%': '&percnt;',
  '@': '&commat;',
  ' ': '&nbsp;',
  ':': '&colon;',
  é: '&eacute;',
  '"': '&quot;',
  '<': '&lt;',
};

/** How a .NET vendor writes JSON by default: HTML-sensitive characters and non-ASCII as `\uXXXX`. */
const dotNetJson = (secret: string) =>
  JSON.stringify(secret)
    .slice(1, -1)
    .replace(/[&<>'+\u0080-\uffff]/g, (c) => `\\u${hex(c, true)}`);

export const SECRET_SPELLINGS: SecretSpelling[] = [
  { name: 'raw', spell: (s) => s, exact: true },
  { name: 'upper-cased', spell: (s) => s.toUpperCase(), exact: true },
  { name: 'lower-cased', spell: (s) => s.toLowerCase(), exact: true },
  { name: 'URL-encoded, upper-case hex', spell: (s) => encodeURIComponent(s), exact: true },
  { name: 'URL-encoded, lower-case hex', spell: (s) => encodeURIComponent(s).replace(/%[0-9A-F]{2}/g, (h) => h.toLowerCase()), exact: true },
  { name: 'form-encoded', spell: (s) => new URLSearchParams({ v: s }).toString().slice(2), exact: true },
  { name: 'URL-encoded twice', spell: (s) => encodeURIComponent(encodeURIComponent(s)), exact: true },
  { name: 'JSON-escaped with \\/', spell: (s) => JSON.stringify(s).slice(1, -1).replace(/\//g, '\\/'), exact: true },
  { name: '.NET \\u0026 escapes', spell: dotNetJson, exact: true },
  { name: '\\uXXXX for every character', spell: (s) => [...s].map((c) => `\\u${hex(c)}`).join(''), exact: true },
  { name: 'HTML named entities', spell: (s) => [...s].map((c) => NAMED_ENTITIES[c] ?? c).join(''), exact: true },
  { name: 'HTML decimal entities', spell: (s) => [...s].map((c) => (isPlain(c) ? c : `&#${c.charCodeAt(0)};`)).join(''), exact: true },
  { name: 'HTML hex entities', spell: (s) => [...s].map((c) => (isPlain(c) ? c : `&#x${hex(c, true)};`)).join(''), exact: true },
  { name: 'HTML-escaped JSON escapes', spell: (s) => dotNetJson(s).replace(/&/g, '&amp;'), exact: true },
  { name: 'base64', spell: (s) => b64(s), exact: true },
  { name: 'base64url', spell: (s) => Buffer.from(s, 'utf8').toString('base64url'), exact: true },
  { name: 'base64 wrapped every 8 columns', spell: (s) => b64(s).replace(/(.{8})/g, '$1\r\n'), exact: true },
  { name: 'split across a line', spell: (s) => `${s.slice(0, 5)}\n${s.slice(5)}`, exact: true },
  { name: 'split across an indented line', spell: (s) => `${s.slice(0, 7)}\n        ${s.slice(7)}`, exact: true },
  // Inside a longer base64 the secret's first and last characters share bits with its neighbours.
  { name: 'inside base64 Basic credentials', spell: (s) => b64(`someone:${s}`), exact: false },
  { name: 'inside a wrapped base64 body', spell: (s) => b64(`{"user":"x","password":"${s}"}`).replace(/(.{76})/g, '$1\n'), exact: false },
];

/** Whether `text` still shows `secret`: as written, in any case, or in one of SECRET_SPELLINGS (blanks ignored). */
export function showsSecret(text: string, secret: string): boolean {
  const squeeze = (t: string) => t.replace(/\s+/g, '').toLowerCase();
  const haystack = squeeze(text);
  return SECRET_SPELLINGS.some(({ spell }) => haystack.includes(squeeze(spell(secret)))) || showsBase64Of(text, secret);
}

/** Whether some base64 run in `text` decodes to something holding `secret`. */
function showsBase64Of(text: string, secret: string): boolean {
  for (const run of text.replace(/\s+/g, '').match(/[A-Za-z0-9+/_-]{8,}={0,2}/g) ?? []) {
    for (let shift = 0; shift < 4; shift++) {
      if (Buffer.from(run.slice(shift), 'base64').toString('utf8').includes(secret)) return true;
    }
  }
  return false;
}
