import type {
  ConnectWiseIntegration,
  CwMember,
  CwServiceNote,
  CwTicket,
  CwTimeEntry,
} from '../../src/integrations/connectwise/connectwise.client.js';
import { FakeReply, FakeVendorServer, RecordedRequest, instantMs } from './fake-server.js';

const API_ROOT = '/v4_6_release/apis/3.0';
const DEFAULT_PAGE_SIZE = 25;
const MAX_PAGE_SIZE = 1000;
/** The list parameters this fake implements (reference §1.3, §1.4); any other is refused with a 400. */
const KNOWN_PARAMS = new Set(['conditions', 'orderBy', 'fields', 'page', 'pageSize', 'pageId']);

type Row = Record<string, unknown>;

export class FakeConnectWise extends FakeVendorServer {
  tickets: CwTicket[] = [];
  timeEntries: CwTimeEntry[] = [];
  members: CwMember[] = [];
  notes: CwServiceNote[] = [];
  /** Benchmarks at 100 000 tickets: each ticket's notes by id (every ticket listed), read instead of scanning both arrays per call. */
  notesByTicket: Map<number, CwServiceNote[]> | undefined;
  readonly credentials = {
    company_id: 'mspco',
    public_key: 'cw-public-4411',
    private_key: 'cw-private-SECRET-77aa',
    client_id: '6b1f1f4e-1111-4c2e-9c55-2f6a1c3e9d01',
  };

  static start(): Promise<FakeConnectWise> {
    return new FakeConnectWise().listen();
  }

  integration(overrides: Partial<ConnectWiseIntegration> = {}): ConnectWiseIntegration {
    return { base_url: `${this.baseUrl}${API_ROOT}`, ...this.credentials, ...overrides };
  }

  protected errorBody(status: number, message: string): unknown {
    if (status === 429) return { error: 'ConnectWiseAPI', message: 'Too many requests. Please try again in 30 seconds.' };
    if (status === 401) {
      return {
        code: 'ConnectWiseApi',
        message: 'An exception has been thrown.',
        errors: [{ code: 'ConnectWiseApi', message: 'UserNotAuthenticated', resource: 'ConnectWiseApi', field: '' }],
      };
    }
    return { code: status === 404 ? 'NotFound' : status >= 500 ? 'UnexpectedError' : 'InvalidObject', message, errors: null };
  }

  protected handle(req: RecordedRequest): FakeReply {
    const expected = Buffer.from(`${this.credentials.company_id}+${this.credentials.public_key}:${this.credentials.private_key}`).toString('base64');
    if (req.headers.authorization !== `Basic ${expected}`) return this.json(401, this.errorBody(401, ''));
    if (req.headers.clientid !== this.credentials.client_id) {
      return this.json(401, { code: 'Unauthorized', message: 'ClientId header is missing or not valid', errors: null });
    }
    if (!req.path.startsWith(API_ROOT)) return this.json(404, this.errorBody(404, 'Not Found'));
    const path = req.path.slice(API_ROOT.length);
    if (path === '/service/tickets') return this.list(req, this.tickets);
    if (path === '/time/entries') return this.list(req, this.timeEntries);
    if (path === '/system/members') return this.list(req, this.members);
    const notes = /^\/service\/tickets\/(\d+)\/notes$/.exec(path);
    if (notes) {
      const ticketId = Number(notes[1]);
      if (this.notesByTicket) {
        const found = this.notesByTicket.get(ticketId);
        return found ? this.list(req, found) : this.json(404, this.errorBody(404, `Ticket ${ticketId} not found`));
      }
      if (!this.tickets.some((t) => t.id === ticketId)) return this.json(404, this.errorBody(404, `Ticket ${ticketId} not found`));
      return this.list(req, this.notes.filter((n) => n.ticketId === ticketId));
    }
    return this.json(404, this.errorBody(404, `No resource at ${path}`));
  }

  private list(req: RecordedRequest, source: Row[]): FakeReply {
    // Every parameter is honoured or refused: a fake that ignored one would let a wrong query pass.
    const unknown = [...req.query.keys()].find((key) => !KNOWN_PARAMS.has(key));
    if (unknown !== undefined) return this.json(400, { code: 'InvalidObject', message: `unsupported query parameter ${unknown}`, errors: null });
    if (req.headers['pagination-type'] === 'forward-only') return this.forwardOnly(req, source);
    if (req.query.has('pageId')) return this.json(400, { code: 'InvalidObject', message: 'pageId needs pagination-type: forward-only', errors: null });
    const pageSize = Number(req.query.get('pageSize') ?? DEFAULT_PAGE_SIZE);
    const page = Number(req.query.get('page') ?? 1);
    if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > MAX_PAGE_SIZE || !Number.isInteger(page) || page < 1) {
      return this.json(400, { code: 'InvalidObject', message: 'pageSize must be between 1 and 1000', errors: null });
    }
    let rows: Row[];
    try {
      rows = source.filter(matchesConditions(req.query.get('conditions')));
    } catch {
      return this.json(400, { code: 'InvalidObject', message: 'conditions could not be parsed', errors: null });
    }
    const order = req.query.get('orderBy');
    if (order) {
      const direction = /\bdesc$/i.test(order) ? -1 : 1;
      rows = [...rows].sort((a, b) => direction * (Number(a.id) - Number(b.id)));
    }
    const lastPage = Math.max(1, Math.ceil(rows.length / pageSize));
    const link = (n: number) => {
      const query = new URLSearchParams(req.query);
      query.set('page', String(n));
      return `<${this.baseUrl}${req.path}?${query.toString()}>`;
    };
    const links = [`${link(1)}; rel="first"`];
    if (page > 1) links.push(`${link(page - 1)}; rel="prev"`);
    if (page < lastPage) links.push(`${link(page + 1)}; rel="next"`, `${link(lastPage)}; rel="last"`);
    const pageRows = rows.slice((page - 1) * pageSize, page * pageSize);
    return this.json(200, projected(req, pageRows), { Link: links.join(', ') });
  }

  /** Forward-only (keyset) paging: id order, `pageId` as `id > pageId`, no `orderBy`, a next Link even on the last page. */
  private forwardOnly(req: RecordedRequest, source: Row[]): FakeReply {
    const pageSize = Number(req.query.get('pageSize') ?? DEFAULT_PAGE_SIZE);
    const pageId = Number(req.query.get('pageId') ?? 0);
    if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > MAX_PAGE_SIZE || !Number.isInteger(pageId) || pageId < 0) {
      return this.json(400, { code: 'InvalidObject', message: 'pageSize must be between 1 and 1000', errors: null });
    }
    if (req.query.has('orderBy')) return this.json(400, { code: 'InvalidObject', message: 'orderBy is not supported with forward-only pagination', errors: null });
    let rows: Row[];
    try {
      rows = source.filter(matchesConditions(req.query.get('conditions')));
    } catch {
      return this.json(400, { code: 'InvalidObject', message: 'conditions could not be parsed', errors: null });
    }
    const pageRows = rows.filter((row) => Number(row.id) > pageId).sort((a, b) => Number(a.id) - Number(b.id)).slice(0, pageSize);
    const query = new URLSearchParams(req.query);
    query.set('pageId', String(pageRows.at(-1)?.id ?? pageId));
    return this.json(200, projected(req, pageRows), { Link: `<${this.baseUrl}${req.path}?${query.toString()}>; rel="next"` });
  }
}

/**
 * ConnectWise's condition language, as far as our clients use it: `and` / `or` (case-insensitive, `and`
 * binding tighter), parentheses, `field op value` with `=`, `!=`, `<`, `<=`, `>`, `>=`, and
 * `field in (v, …)`. Values: `[datetime]` (UTC `Z` only), `true`/`false`, numbers, `"strings"`, `null`.
 * `lastUpdated` is `_info/lastUpdated`; `a/b` reaches into sub-objects. Anything else is a 400, as upstream.
 */
export function matchesConditions(conditions: string | null): (row: Row) => boolean {
  if (!conditions) return () => true;
  const tokens = conditions.match(/\s*(\[[^\]]*\]|"(?:[^"\\]|\\.)*"|\(|\)|,|!=|<=|>=|=|<|>|[\w/.:+-]+)/gy);
  if (!tokens || tokens.join('').replace(/\s+/g, '') !== conditions.replace(/\s+/g, '')) throw new Error('InvalidObject');
  const list = tokens.map((t) => t.trim());
  let pos = 0;
  const peek = () => list[pos];
  const take = (expected?: string) => {
    const token = list[pos++];
    if (token === undefined || (expected !== undefined && token.toLowerCase() !== expected)) throw new Error('InvalidObject');
    return token;
  };
  type Test = (row: Row) => boolean;
  const value = (): unknown => {
    const token = take();
    if (token.startsWith('[')) {
      const inner = token.slice(1, -1);
      if (!/Z$/.test(inner) || Number.isNaN(Date.parse(inner))) throw new Error('UnsupportedFormat');
      return { instant: Date.parse(inner) };
    }
    if (token.startsWith('"')) return token.slice(1, -1).replace(/\\(.)/g, '$1');
    if (/^(true|false)$/i.test(token)) return token.toLowerCase() === 'true';
    if (/^null$/i.test(token)) return null;
    if (/^-?\d+(\.\d+)?$/.test(token)) return Number(token);
    throw new Error('InvalidObject');
  };
  const field = (row: Row, path: string): unknown =>
    (path.toLowerCase() === 'lastupdated' ? '_info/lastUpdated' : path).split('/').reduce<unknown>((v, key) => (v as Row | undefined)?.[key], row);
  const equals = (actual: unknown, expected: unknown) =>
    expected !== null && typeof expected === 'object' ? instantMs(actual) === (expected as { instant: number }).instant : (actual ?? null) === expected;
  const comparison = (): Test => {
    if (peek() === '(') {
      take('(');
      const inner = disjunction();
      take(')');
      return inner;
    }
    const path = take();
    if (!/^[A-Za-z_][\w/]*$/.test(path)) throw new Error('InvalidObject');
    const op = take().toLowerCase();
    if (op === 'in') {
      take('(');
      const options = [value()];
      while (peek() === ',') {
        take(',');
        options.push(value());
      }
      take(')');
      return (row) => options.some((option) => equals(field(row, path), option));
    }
    if (!['=', '!=', '<', '<=', '>', '>='].includes(op)) throw new Error('InvalidObject');
    const expected = value();
    if (op === '=') return (row) => equals(field(row, path), expected);
    if (op === '!=') return (row) => !equals(field(row, path), expected);
    const bound = expected !== null && typeof expected === 'object' ? (expected as { instant: number }).instant : Number(expected);
    const read = (row: Row) => {
      const actual = field(row, path);
      return expected !== null && typeof expected === 'object' ? instantMs(actual) : typeof actual === 'number' ? actual : NaN;
    };
    return (row) => compare(read(row), op, bound);
  };
  const conjunction = (): Test => {
    const parts = [comparison()];
    while (peek()?.toLowerCase() === 'and') {
      take();
      parts.push(comparison());
    }
    return (row) => parts.every((part) => part(row));
  };
  const disjunction = (): Test => {
    const parts = [conjunction()];
    while (peek()?.toLowerCase() === 'or') {
      take();
      parts.push(conjunction());
    }
    return (row) => parts.some((part) => part(row));
  };
  const test = disjunction();
  if (pos !== list.length) throw new Error('InvalidObject');
  return test;
}

function projected(req: RecordedRequest, rows: Row[]): Row[] {
  const fields = req.query.get('fields')?.split(',');
  return fields ? rows.map((row) => project(row, fields)) : rows;
}

/** `fields=a,b/c`: only those fields of each row, sub-objects reached with `/`, as upstream. */
function project(row: Row, fields: string[]): Row {
  const out: Row = {};
  for (const path of fields) {
    const keys = path.split('/');
    let from: unknown = row;
    for (const key of keys) from = (from as Row | undefined)?.[key];
    if (from === undefined) continue;
    let into = out;
    for (const key of keys.slice(0, -1)) into = (into[key] ??= {}) as Row;
    into[keys[keys.length - 1]] = from;
  }
  return out;
}

function compare(value: number, op: string, bound: number): boolean {
  if (Number.isNaN(value)) return false;
  switch (op) {
    case '>=':
      return value >= bound;
    case '<=':
      return value <= bound;
    case '>':
      return value > bound;
    case '<':
      return value < bound;
    default:
      return value === bound;
  }
}
