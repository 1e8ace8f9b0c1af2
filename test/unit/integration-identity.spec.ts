import { sourceChanged } from '../../src/platform/integration-identity.js';

describe('sourceChanged: which settings name another data source', () => {
  const cw = { base_url: 'https://api-na.myconnectwise.net/v4_6_release/apis/3.0', company_id: 'contoso', public_key: 'a', client_id: 'c', time_zone: 'UTC' };

  it('is false for a first PUT, a new time zone, a new public key or client id', () => {
    expect(sourceChanged('connectwise', undefined, cw)).toBe(false);
    expect(sourceChanged('connectwise', cw, { ...cw, time_zone: 'America/New_York', public_key: 'b', client_id: 'd' })).toBe(false);
  });

  it('is true for another base URL or company id', () => {
    expect(sourceChanged('connectwise', cw, { ...cw, base_url: 'https://api-eu.myconnectwise.net/v4_6_release/apis/3.0' })).toBe(true);
    expect(sourceChanged('connectwise', cw, { ...cw, company_id: 'fabrikam' })).toBe(true);
  });

  it('ignores a trailing slash, host case and the order of ids', () => {
    const s1 = { base_url: 'https://usea1.sentinelone.net', account_ids: ['1', '2'] };
    expect(sourceChanged('sentinelone', s1, { base_url: 'https://USEA1.sentinelone.net/', account_ids: ['2', '1'] })).toBe(false);
    expect(sourceChanged('sentinelone', s1, { ...s1, account_ids: ['1'] })).toBe(true);
    expect(sourceChanged('sentinelone', s1, { ...s1, site_ids: ['9'] })).toBe(true);
  });

  it('names the SmileBack account and the Defender tenant and API, not the login URL', () => {
    const sb = { base_url: 'https://app.smileback.io', client_id: 'x', username: 'api@msp.example' };
    expect(sourceChanged('smileback', sb, { ...sb, client_id: 'y' })).toBe(false);
    expect(sourceChanged('smileback', sb, { ...sb, username: 'api@other.example' })).toBe(true);
    const df = { api: 'graph', azure_tenant_id: 't1', client_id: 'c', base_url: 'https://graph.microsoft.com', login_url: 'https://login.microsoftonline.com', service_sources: ['microsoftDefenderForEndpoint'] };
    expect(sourceChanged('defender', df, { ...df, login_url: 'https://login.example.test', client_id: 'c2' })).toBe(false);
    expect(sourceChanged('defender', df, { ...df, azure_tenant_id: 't2' })).toBe(true);
    expect(sourceChanged('defender', df, { ...df, api: 'endpoint', base_url: 'https://api.security.microsoft.com' })).toBe(true);
  });
});
