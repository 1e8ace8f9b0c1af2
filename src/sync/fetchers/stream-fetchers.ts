import type { ConnectWiseClient } from '../../integrations/connectwise/connectwise.client.js';
import type { DefenderClient } from '../../integrations/defender/defender.client.js';
import type { SentinelOneClient } from '../../integrations/sentinelone/sentinelone.client.js';
import type { SmileBackClient } from '../../integrations/smileback/smileback.client.js';
import type { StreamFetcher } from '../stream.js';
import { ConnectWiseMembersFetcher } from './connectwise-members.js';
import { ConnectWiseTicketsFetcher, ConnectWiseTimeEntriesFetcher } from './connectwise-records.js';
import { DefenderAlertsFetcher } from './defender-alerts.js';
import { SentinelOneThreatsFetcher } from './sentinelone-threats.js';
import { SmileBackReviewsFetcher } from './smileback-reviews.js';

/** A tenant's vendor clients (those it has an integration for). */
export interface TenantClients {
  connectwise?: ConnectWiseClient;
  smileback?: SmileBackClient;
  sentinelone?: SentinelOneClient;
  defender?: DefenderClient;
}

/** The streams of one tenant, one per vendor endpoint it has a client for (api-contract v1.2 order). */
export function streamFetchers(clients: TenantClients): StreamFetcher[] {
  const fetchers: StreamFetcher[] = [];
  if (clients.connectwise) {
    fetchers.push(
      new ConnectWiseTicketsFetcher(clients.connectwise),
      new ConnectWiseTimeEntriesFetcher(clients.connectwise),
      new ConnectWiseMembersFetcher(clients.connectwise),
    );
  }
  if (clients.smileback) fetchers.push(new SmileBackReviewsFetcher(clients.smileback));
  if (clients.sentinelone) fetchers.push(new SentinelOneThreatsFetcher(clients.sentinelone));
  if (clients.defender) fetchers.push(new DefenderAlertsFetcher(clients.defender));
  return fetchers;
}
