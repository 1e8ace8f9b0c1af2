import type { SentinelOneIntegration, SentinelOneThreat } from '../../src/integrations/sentinelone/sentinelone.client.js';
import { FakeReply, FakeVendorServer, RecordedRequest, instantMs } from './fake-server.js';

const THREATS_PATH = '/web/api/v2.1/threats';
const DEFAULT_LIMIT = 10;
const MAX_LIMIT = 1000;

export class FakeSentinelOne extends FakeVendorServer {
  threats: SentinelOneThreat[] = [];
  apiToken = 'S1-api-token-SECRET-eyJraWQiOi';

  static start(): Promise<FakeSentinelOne> {
    return new FakeSentinelOne().listen();
  }

  integration(overrides: Partial<SentinelOneIntegration> = {}): SentinelOneIntegration {
    return { base_url: this.baseUrl, api_token: this.apiToken, ...overrides };
  }

  protected errorBody(status: number, message: string): unknown {
    if (status === 401) return { errors: [{ code: 4010010, detail: 'Authentication Failed', title: 'Authentication Failed' }] };
    if (status === 429) return { errors: [{ detail: 'The requests are being throttled. Too many requests.' }], data: null, pagination: null };
    return { errors: [{ code: status * 10_000, detail: message, title: status >= 500 ? 'Server Error' : 'Bad Request' }] };
  }

  protected handle(req: RecordedRequest): FakeReply {
    if (req.headers.authorization !== `ApiToken ${this.apiToken}`) return this.json(401, this.errorBody(401, ''));
    if (req.path !== THREATS_PATH) return this.json(404, this.errorBody(404, 'Not Found'));

    const limit = Number(req.query.get('limit') ?? DEFAULT_LIMIT);
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) {
      return this.json(400, this.errorBody(400, 'Bad Request - limit must be between 1 and 1000'));
    }
    const since = req.query.get('updatedAt__gte');
    const sinceMs = since === null ? Number.NEGATIVE_INFINITY : Date.parse(since);
    if (Number.isNaN(sinceMs)) return this.json(400, this.errorBody(400, 'Bad Request - could not parse query'));
    const accounts = req.query.get('accountIds')?.split(',');
    const sites = req.query.get('siteIds')?.split(',');
    let rows = this.threats.filter((t) => {
      const realtime = t.agentRealtimeInfo ?? {};
      return (
        instantMs(t.threatInfo?.updatedAt) >= sinceMs &&
        (!accounts || accounts.includes(String(realtime.accountId))) &&
        (!sites || sites.includes(String(realtime.siteId)))
      );
    });
    if (req.query.get('sortBy') === 'updatedAt') {
      const direction = req.query.get('sortOrder') === 'desc' ? -1 : 1;
      rows = [...rows].sort((a, b) => direction * (instantMs(a.threatInfo?.updatedAt) - instantMs(b.threatInfo?.updatedAt)));
    }
    const cursor = req.query.get('cursor');
    const offset = cursor === null ? 0 : decodeCursor(cursor);
    if (offset === undefined) return this.json(400, this.errorBody(400, 'Bad Request - invalid cursor'));
    const end = offset + limit;
    return this.json(200, {
      data: rows.slice(offset, end),
      pagination: {
        nextCursor: end < rows.length ? Buffer.from(`threat_offset:${end}`).toString('base64') : null,
        totalItems: req.query.get('skipCount') === 'true' ? undefined : rows.length,
      },
    });
  }
}

function decodeCursor(cursor: string): number | undefined {
  const match = /^threat_offset:(\d+)$/.exec(Buffer.from(cursor, 'base64').toString('utf8'));
  return match ? Number(match[1]) : undefined;
}
