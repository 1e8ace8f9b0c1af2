import { ApiProperty } from '@nestjs/swagger';
import { FieldProblem } from './problem.error.js';

export class FieldProblemDto implements FieldProblem {
  /** @example "page_size" */
  field: string;
  /** @example "must not be greater than 1000" */
  message: string;
}

/** An RFC 9457 problem document, served as `application/problem+json`. */
export class ProblemDetails {
  /**
   * Stable relative URI naming the kind of error; clients branch on it.
   * @example "/problems/tenant-not-found"
   */
  type: string;
  /** @example "Not Found" */
  title: string;
  /** @example 404 */
  @ApiProperty({ type: 'integer' })
  status: number;
  /** @example "tenant 'acme' does not exist" */
  detail: string;
  /** @example "/api/tenants/acme/tickets" */
  instance: string;
  /** Present on validation errors: one entry per broken rule. */
  errors?: FieldProblemDto[];
}
