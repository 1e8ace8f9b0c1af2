import type { SentinelOneIntegration, SentinelOneThreat } from '../../src/integrations/sentinelone/sentinelone.client.js';
import { FakeReply, FakeVendorServer, RecordedRequest, instantMs } from './fake-server.js';

const THREATS_PATH = '/web/api/v2.1/threats';
const DEFAULT_LIMIT = 10;
const MAX_LIMIT = 1000;
const INCIDENT_STATUSES = ['unresolved', 'in_progress', 'resolved'];
/** The `/threats` parameters this fake implements (reference §1.3); any other is refused with a 400. */
const KNOWN_PARAMS = new Set(['limit', 'cursor', 'skipCount', 'updatedAt__gte', 'updatedAt__lt', 'incidentStatuses', 'accountIds', 'siteIds', 'sortBy', 'sortOrder']);

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
    // Every parameter is honoured or refused: a fake that ignored a filter would let a wrong query pass.
    const unknown = [...req.query.keys()].find((key) => !KNOWN_PARAMS.has(key));
    if (unknown !== undefined) return this.json(400, this.errorBody(400, `Bad Request - unsupported query parameter ${unknown}`));
    const since = req.query.get('updatedAt__gte');
    const sinceMs = since === null ? Number.NEGATIVE_INFINITY : Date.parse(since);
    if (Number.isNaN(sinceMs)) return this.json(400, this.errorBody(400, 'Bad Request - could not parse query'));
    const before = req.query.get('updatedAt__lt');
    const beforeMs = before === null ? Number.POSITIVE_INFINITY : Date.parse(before);
    if (Number.isNaN(beforeMs)) return this.json(400, this.errorBody(400, 'Bad Request - could not parse query'));
    const statuses = req.query.get('incidentStatuses')?.split(',');
    if (statuses && statuses.some((status) => !INCIDENT_STATUSES.includes(status))) {
      return this.json(400, this.errorBody(400, 'Bad Request - incidentStatuses: must be one of unresolved, in_progress, resolved'));
    }
    const accounts = req.query.get('accountIds')?.split(',');
    const sites = req.query.get('siteIds')?.split(',');
    let rows = this.threats.filter((t) => {
      const realtime = t.agentRealtimeInfo ?? {};
      return (
        (since === null || instantMs(t.threatInfo?.updatedAt) >= sinceMs) &&
        (before === null || instantMs(t.threatInfo?.updatedAt) < beforeMs) &&
        (!statuses || statuses.includes(String(t.threatInfo?.incidentStatus))) &&
        (!accounts || accounts.includes(String(realtime.accountId))) &&
        (!sites || sites.includes(String(realtime.siteId)))
      );
    });
    const sortBy = req.query.get('sortBy');
    const sortOrder = req.query.get('sortOrder');
    if ((sortBy !== null && !['updatedAt', 'id'].includes(sortBy)) || (sortOrder !== null && !['asc', 'desc'].includes(sortOrder))) {
      return this.json(400, this.errorBody(400, 'Bad Request - sortBy/sortOrder not supported by this fake'));
    }
    const direction = sortOrder === 'desc' ? -1 : 1;
    if (sortBy === 'updatedAt') {
      rows = [...rows].sort((a, b) => direction * (instantMs(a.threatInfo?.updatedAt) - instantMs(b.threatInfo?.updatedAt)));
    } else if (sortBy === 'id') {
      // int64 ids as strings: compared as numbers, not text.
      rows = [...rows].sort((a, b) => direction * (BigInt(a.id ?? 0) < BigInt(b.id ?? 0) ? -1 : BigInt(a.id ?? 0) > BigInt(b.id ?? 0) ? 1 : 0));
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
