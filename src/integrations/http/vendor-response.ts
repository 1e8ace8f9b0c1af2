import { PrivateAddressError } from './address-guard.js';
import { VendorDataError } from './vendor-errors.js';

/** The body's chunks up to `limit` bytes; past it, the stream is cancelled and `complete` is false. */
export async function readAtMost(body: ReadableStream<Uint8Array> | null, limit: number): Promise<{ chunks: Uint8Array[]; complete: boolean; size: number }> {
  const chunks: Uint8Array[] = [];
  if (!body) return { chunks, complete: true, size: 0 };
  const reader = body.getReader();
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return { chunks, complete: true, size };
    if (size + value.byteLength > limit) {
      await reader.cancel().catch(() => undefined);
      chunks.push(value.subarray(0, limit - size));
      return { chunks, complete: false, size: limit };
    }
    chunks.push(value);
    size += value.byteLength;
  }
}

export function parseJson<T>(text: string, vendor: string, target: string): T {
  if (text.trim() === '') return null as T;
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new VendorDataError(vendor, undefined, 'body', `of ${target} is not valid JSON`);
  }
}

export function retryAfterMs(headers: Headers, now = Date.now()): number | undefined {
  const value = headers.get('retry-after')?.trim();
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return Math.round(Number(value) * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** The system error code (ECONNREFUSED…) behind a failed fetch, if it looks like one. */
export function networkCode(error: unknown): string | undefined {
  const cause = (error as { cause?: { code?: unknown } } | null)?.cause;
  const code = cause?.code;
  return typeof code === 'string' && /^[A-Z_]{2,40}$/.test(code) ? code : undefined;
}

export function privateAddressCause(error: unknown): PrivateAddressError | undefined {
  for (let cause = error; cause instanceof Error; cause = (cause as { cause?: unknown }).cause) {
    if (cause instanceof PrivateAddressError) return cause;
  }
  return undefined;
}

// A body that is not text (or too long for one string) is the vendor's data problem, never a network error to retry.
export function decodeUtf8(chunks: Uint8Array[], vendor: string, target: string): string {
  try {
    return new TextDecoder().decode(Buffer.concat(chunks));
  } catch {
    throw new VendorDataError(vendor, undefined, 'body', `of ${target} cannot be read as text`);
  }
}
