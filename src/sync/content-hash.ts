import { createHash } from 'node:crypto';

/** JSON with object keys sorted at every level: the same record hashes the same whatever order the vendor sent its fields in. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, node: unknown) => {
    if (node === null || typeof node !== 'object' || Array.isArray(node)) return node;
    const sorted: Record<string, unknown> = {};
    for (const key of Object.keys(node).sort()) sorted[key] = (node as Record<string, unknown>)[key];
    return sorted;
  });
}

/** SHA-256 (hex) of the canonical JSON of a raw payload. */
export function contentHash(raw: unknown): string {
  return createHash('sha256').update(canonicalJson(raw) ?? 'undefined').digest('hex');
}
