/** The problem+json fields an error of a lower-level dependency writes for itself (title and instance come from the filter). */
export interface SourcedProblem {
  type: string;
  status: number;
  detail: string;
  headers: Record<string, string>;
}

/** An error stating its own problem (a vendor failure): logged as a warning, not a bug; `forAdmin` may see what the vendor wrote back. */
export interface ProblemSource {
  toProblem(forAdmin: boolean): SourcedProblem;
}

export function isProblemSource(error: unknown): error is ProblemSource & Error {
  return error instanceof Error && typeof (error as Partial<ProblemSource>).toProblem === 'function';
}
