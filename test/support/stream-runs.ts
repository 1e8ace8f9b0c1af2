import type { ChangesRequest, StreamFetcher, StreamPage } from '../../src/sync/stream.js';
import { VendorHttp, VendorHttpOptions } from '../../src/integrations/http/vendor-http.js';

/** A VendorHttp for loopback fakes: short timeouts, fast retries. */
export function loopbackHttp(over: Partial<VendorHttpOptions> = {}): VendorHttp {
  return new VendorHttp({
    timeoutMs: 2_000,
    maxAttempts: 3,
    baseDelayMs: 1,
    maxDelayMs: 5,
    maxRetryAfterMs: 20,
    concurrencyPerVendor: 4,
    breakerThreshold: 5,
    halfOpenAfterMs: 60_000,
    allowPrivateNetworks: true,
    ...over,
  });
}

export function request(over: Partial<ChangesRequest> = {}): ChangesRequest {
  return { since: null, resume: null, stop: new AbortController().signal, ...over };
}

/** Every page of a run. */
export async function pagesOf(fetcher: StreamFetcher, req: ChangesRequest): Promise<StreamPage[]> {
  const pages: StreamPage[] = [];
  for await (const page of fetcher.changes(req)) pages.push(page);
  return pages;
}

/** The vendor ids a run hands on, in order. */
export async function idsOf(fetcher: StreamFetcher, req: ChangesRequest): Promise<string[]> {
  return (await pagesOf(fetcher, req)).flatMap((page) => page.changes.map((change) => change.vendorId));
}

/** A run that dies after `pages` pages: the ids it handed on and the resume point saved with its last page. */
export async function interrupted(fetcher: StreamFetcher, req: ChangesRequest, pages: number): Promise<{ ids: string[]; resume: string | null }> {
  const ids: string[] = [];
  let resume: string | null = null;
  let seen = 0;
  for await (const page of fetcher.changes(req)) {
    ids.push(...page.changes.map((change) => change.vendorId));
    resume = page.resume;
    if (++seen === pages) break;
  }
  return { ids, resume };
}

/** The rejection of a run, whatever it is (fails the test when the run succeeds). */
export async function runFailure(fetcher: StreamFetcher, req: ChangesRequest): Promise<Error> {
  try {
    await pagesOf(fetcher, req);
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the run to fail');
}

export function expectNoSecrets(error: unknown, secrets: string[]): void {
  const text = `${(error as Error).message}\n${JSON.stringify(error)}\n${String((error as Error).stack)}`;
  for (const secret of secrets) expect(text).not.toContain(secret);
}
