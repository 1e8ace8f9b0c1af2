/** The problem+json fields an error of a lower-level dependency writes for itself (title and instance come from the filter). */
export interface SourcedProblem {
  type: string;
  status: number;
  detail: string;
  headers: Record<string, string>;
}

/**
 * An error that states its own problem (a vendor's failure does): the filter answers with it, logs its
 * message as a warning (written secret-free; a dependency's failure, not a bug) and needs to know no
 * kind of it. `forAdmin`: an admin key may read what the dependency wrote back, a tenant key may not.
 */
export interface ProblemSource {
  toProblem(forAdmin: boolean): SourcedProblem;
}

export function isProblemSource(error: unknown): error is ProblemSource & Error {
  return error instanceof Error && typeof (error as Partial<ProblemSource>).toProblem === 'function';
}
