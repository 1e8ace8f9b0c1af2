import { ProblemError } from '../common/problem/problem.error.js';

export class UnauthorizedError extends ProblemError {
  constructor(detail: string) {
    super(401, '/problems/unauthorized', detail, {}, { 'www-authenticate': 'Bearer' });
  }
}

export class AdminScopeRequiredError extends ProblemError {
  constructor() {
    super(403, '/problems/forbidden', 'this route needs an admin key; the key used is scoped to tenants');
  }
}
