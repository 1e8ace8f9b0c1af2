import type { SmileBackIntegration, SmileBackReview } from '../../src/integrations/smileback/smileback.client.js';
import { FakeReply, FakeVendorServer, RecordedRequest, instantMs } from './fake-server.js';

const TOKEN_PATH = '/api/token/';
const REVIEWS_PATH = '/api/v3/reviews/';
const DEFAULT_LIMIT = 100;
const MAX_LIMIT = 1000;
/** The `/reviews/` parameters this fake implements (reference §2.3, §2.4); any other is refused with a 400. */
const KNOWN_PARAMS = new Set(['modified_since', 'include_unrated', 'limit', 'offset']);

export class FakeSmileBack extends FakeVendorServer {
  reviews: SmileBackReview[] = [];
  /** The largest page served whatever `limit` asks (DRF's max_limit): many pages from few reviews. */
  pageCap = MAX_LIMIT;
  readonly credentials = {
    client_id: 'sb-client-3321',
    client_secret: 'sb-client-SECRET-5d2c',
    username: 'reports@msp.example',
    password: 'sb-user-PASSWORD-81f0',
  };

  static start(): Promise<FakeSmileBack> {
    return new FakeSmileBack().listen();
  }

  integration(overrides: Partial<SmileBackIntegration> = {}): SmileBackIntegration {
    return { base_url: this.baseUrl, ...this.credentials, ...overrides };
  }

  protected override isTokenPath(path: string): boolean {
    return path === TOKEN_PATH;
  }

  protected errorBody(status: number, message: string): unknown {
    if (status === 401) return { detail: 'Authentication credentials were not provided.' };
    if (status === 429) return { detail: 'Request was throttled. Expected available in 2 seconds.' };
    return { detail: message };
  }

  protected handle(req: RecordedRequest): FakeReply {
    if (req.path === TOKEN_PATH) return this.token(req);
    if (req.path !== REVIEWS_PATH) return this.json(404, { detail: 'Not found.' });
    if (req.method !== 'GET') return this.json(405, { detail: `Method "${req.method}" not allowed.` });
    if (this.bearerGrant(req) === undefined) return this.json(401, this.errorBody(401, ''));

    // Every parameter is honoured or refused: a fake that ignored one would let a wrong query pass.
    const unknown = [...req.query.keys()].find((key) => !KNOWN_PARAMS.has(key));
    if (unknown !== undefined) return this.json(400, { [unknown]: ['Unknown query parameter.'] });
    const unrated = req.query.get('include_unrated');
    if (unrated !== null && unrated !== 'true' && unrated !== 'false') return this.json(400, { include_unrated: ['Must be a valid boolean.'] });
    const asked = Number(req.query.get('limit') ?? DEFAULT_LIMIT);
    const limit = Number.isInteger(asked) ? Math.min(asked, this.pageCap) : asked;
    const offset = Number(req.query.get('offset') ?? 0);
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT || !Number.isInteger(offset) || offset < 0) {
      return this.json(400, { limit: ['Ensure this value is less than or equal to 1000.'] });
    }
    const since = req.query.get('modified_since');
    const sinceMs = since === null ? Number.NEGATIVE_INFINITY : Date.parse(since);
    if (Number.isNaN(sinceMs)) return this.json(400, { modified_since: ['Enter a valid date/time.'] });
    const includeUnrated = req.query.get('include_unrated') === 'true';
    // Listed by last_modified, then id: the order the vendor's modified_since loop relies on (reference §2.4).
    const rows = this.reviews
      .filter((r) => instantMs(r.last_modified) >= sinceMs && (includeUnrated || (r.rating !== null && r.rating !== undefined)))
      .sort((a, b) => instantMs(a.last_modified) - instantMs(b.last_modified) || Number(a.id) - Number(b.id));
    const link = (at: number) => {
      const query = new URLSearchParams(req.query);
      query.set('limit', String(limit));
      query.set('offset', String(at));
      return `${this.baseUrl}${req.path}?${query.toString()}`;
    };
    return this.json(200, {
      count: rows.length,
      next: offset + limit < rows.length ? link(offset + limit) : null,
      previous: offset > 0 ? link(Math.max(0, offset - limit)) : null,
      results: rows.slice(offset, offset + limit),
    });
  }

  private token(req: RecordedRequest): FakeReply {
    if (req.method !== 'POST') return this.json(405, { detail: `Method "${req.method}" not allowed.` });
    const form = new URLSearchParams(req.body);
    const basic = /^Basic (\S+)$/.exec(req.headers.authorization ?? '');
    const [basicId, basicSecret] = basic ? Buffer.from(basic[1], 'base64').toString('utf8').split(':') : [];
    const clientId = basicId ?? form.get('client_id');
    const clientSecret = basicSecret ?? form.get('client_secret');
    if (clientId !== this.credentials.client_id || clientSecret !== this.credentials.client_secret) {
      return this.json(401, { error: 'invalid_client' });
    }
    if (form.get('grant_type') !== 'password') return this.json(400, { error: 'unsupported_grant_type' });
    if (form.get('username') !== this.credentials.username || form.get('password') !== this.credentials.password) {
      return this.json(400, { error: 'invalid_grant', error_description: 'Invalid credentials given.' });
    }
    return this.json(200, { ...this.issueToken('read'), scope: form.get('scope') ?? 'read' });
  }
}
