export interface FieldProblem {
  field: string;
  message: string;
}

/**
 * An error a client may see, already typed: the problem+json filter turns it into
 * `{ type, title, status, detail, instance, ...extensions }`.
 */
export class ProblemError extends Error {
  constructor(
    readonly status: number,
    /** Stable relative URI clients branch on, e.g. `/problems/tenant-not-found`. */
    readonly type: string,
    readonly detail: string,
    readonly extensions: { errors?: FieldProblem[] } = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(detail);
    this.name = new.target.name;
  }

  /** More for the log than the client may see (the cause of a 503). */
  get logDetail(): string | undefined {
    return undefined;
  }
}

export class ValidationProblemError extends ProblemError {
  constructor(errors: FieldProblem[], detail = describe(errors)) {
    super(400, '/problems/validation', detail, { errors });
  }
}

function describe(errors: FieldProblem[]): string {
  return errors.length === 1
    ? `${errors[0].field}: ${errors[0].message}`
    : `${errors.length} problems: ${errors.map((e) => `${e.field}: ${e.message}`).join('; ')}`;
}

export class InvalidTenantIdError extends ProblemError {
  constructor(value: string) {
    super(
      400,
      '/problems/invalid-tenant-id',
      `tenant id ${JSON.stringify(value.slice(0, 80))} is malformed: it must match ^[a-z0-9][a-z0-9_-]{0,63}$`,
      { errors: [{ field: 'tenantId', message: 'must match ^[a-z0-9][a-z0-9_-]{0,63}$' }] },
    );
  }
}

export class TenantNotFoundError extends ProblemError {
  constructor(tenantId: string) {
    super(404, '/problems/tenant-not-found', `tenant '${tenantId}' does not exist`);
  }
}

export class TenantInactiveError extends ProblemError {
  constructor(tenantId: string) {
    super(403, '/problems/tenant-inactive', `tenant '${tenantId}' is inactive: its data routes are closed`);
  }
}

export class RecordNotFoundError extends ProblemError {
  constructor(kind: string, id: string, tenantId: string) {
    super(404, '/problems/record-not-found', `${kind} '${id}' does not exist for tenant '${tenantId}'`);
  }
}
