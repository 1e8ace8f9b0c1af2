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

type Row = Record<string, unknown>;

export class FakeConnectWise extends FakeVendorServer {
  tickets: CwTicket[] = [];
  timeEntries: CwTimeEntry[] = [];
  members: CwMember[] = [];
  notes: CwServiceNote[] = [];
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
      if (!this.tickets.some((t) => t.id === ticketId)) return this.json(404, this.errorBody(404, `Ticket ${ticketId} not found`));
      return this.list(req, this.notes.filter((n) => n.ticketId === ticketId));
    }
    return this.json(404, this.errorBody(404, `No resource at ${path}`));
  }

  private list(req: RecordedRequest, source: Row[]): FakeReply {
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
    return this.json(200, rows.slice((page - 1) * pageSize, page * pageSize), { Link: links.join(', ') });
  }
}

function matchesConditions(conditions: string | null): (row: Row) => boolean {
  if (!conditions) return () => true;
  const tests = conditions.split(/\s+and\s+/i).map((clause): ((row: Row) => boolean) => {
    const date = /^\s*(lastUpdated|_info\/lastUpdated)\s*(>=|<=|>|<|=)\s*\[([^\]]+)\]\s*$/i.exec(clause);
    if (date) {
      const bound = Date.parse(date[3]);
      if (Number.isNaN(bound) || !/Z$/.test(date[3])) throw new Error('UnsupportedFormat');
      return (row) => compare(instantMs((row._info as Row | undefined)?.lastUpdated), date[2], bound);
    }
    const flag = /^\s*(\w+)\s*=\s*(true|false)\s*$/i.exec(clause);
    if (flag) return (row) => row[flag[1]] === (flag[2].toLowerCase() === 'true');
    throw new Error('InvalidObject');
  });
  return (row) => tests.every((test) => test(row));
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
