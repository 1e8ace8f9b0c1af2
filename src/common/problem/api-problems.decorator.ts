import { applyDecorators } from '@nestjs/common';
import { ApiExtraModels, ApiResponse, getSchemaPath } from '@nestjs/swagger';
import { ProblemDetails } from './problem-details.dto.js';

const WHEN: Record<number, string> = {
  400: 'Malformed tenant id, bad or unknown query parameter, or invalid body',
  401: 'Missing, unknown or revoked API key',
  403: 'Tenant inactive on its data routes, the key lacks the scope (admin route), or a write to a read-only store',
  404: 'Unknown tenant (or one outside the key\'s scope), record, vendor or integration',
  409: 'It exists already',
  501: 'Not available in this build',
  503: 'A dependency is missing or unavailable',
  500: 'Unexpected error (no details are leaked)',
};

const EXAMPLES: Record<number, ProblemDetails> = {
  400: {
    type: '/problems/validation',
    title: 'Bad Request',
    status: 400,
    detail: 'page_size: must not be greater than 1000',
    instance: '/api/tenants/tenant_demo_cca/tickets',
    errors: [{ field: 'page_size', message: 'must not be greater than 1000' }],
  },
  403: {
    type: '/problems/tenant-inactive',
    title: 'Forbidden',
    status: 403,
    detail: "tenant 'tenant_demo_cca' is inactive: its data routes are closed",
    instance: '/api/tenants/tenant_demo_cca/tickets',
  },
  404: {
    type: '/problems/tenant-not-found',
    title: 'Not Found',
    status: 404,
    detail: "tenant 'acme' does not exist",
    instance: '/api/tenants/acme/tickets',
  },
};

/** Documents the problem+json answers a route can give. */
export function ApiProblems(...statuses: number[]): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ApiExtraModels(ProblemDetails),
    ...[...statuses, 500].map((status) =>
      ApiResponse({
        status,
        description: WHEN[status] ?? 'Error',
        content: {
          'application/problem+json': {
            schema: { $ref: getSchemaPath(ProblemDetails) },
            ...(EXAMPLES[status] ? { example: EXAMPLES[status] } : {}),
          },
        },
      }),
    ),
  );
}
