// What the mock loader reports about a folder, and how one problem is printed.
/** One thing wrong in a mock-data folder, located as precisely as the problem allows. */
export interface MockDataProblem {
  /** Relative to the folder, e.g. `tickets/tenant_demo_cca.json`. */
  file: string;
  /** 0-based index of the record in the file's array. */
  record?: number;
  id?: string;
  field?: string;
  line?: number;
  column?: number;
  reason: string;
}

export function formatProblem(p: MockDataProblem): string {
  const where = [
    p.file + (p.line !== undefined ? `:${p.line}:${p.column}` : ''),
    p.record !== undefined ? `record ${p.record}${p.id !== undefined ? ` (${p.id})` : ''}` : undefined,
    p.field !== undefined ? `field ${p.field}` : undefined,
  ].filter(Boolean);
  return `${where.join(' ')}: ${p.reason}`;
}
