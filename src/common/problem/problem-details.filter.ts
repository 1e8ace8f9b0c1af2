import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { STATUS_CODES } from 'node:http';
import { PRINCIPAL, WithIdentity } from '../request-identity.js';
import { isProblemSource } from './problem-source.js';
import { FieldProblem, InvalidTenantIdError, ProblemError } from './problem.error.js';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance: string;
  errors?: FieldProblem[];
}

const slug = (status: number) =>
  (STATUS_CODES[status] ?? 'error')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');

/**
 * Every error leaves as RFC 9457 problem+json. Only messages we wrote for clients pass through;
 * anything unexpected becomes a bare 500 (logged here with its stack, never sent).
 */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Problem');

  catch(exception: unknown, host: ArgumentsHost): void {
    if (isProblemSource(exception)) this.logger.warn(exception.message);
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const instance = (request.url ?? '').split('?')[0];
    // A tenant key learns which vendor failed and how, not what the vendor wrote back (that is for admins and logs).
    const vendorText = (request as unknown as WithIdentity)[PRINCIPAL]?.isAdmin === true;
    const { problem, headers } = problemFor(exception, instance, vendorText);
    if (exception instanceof ProblemError && exception.status === 503) {
      this.logger.warn(`${request.method} ${instance} -> 503 ${exception.type}${exception.logDetail ? `: ${exception.logDetail}` : ''}`);
    } else if (problem.status >= 500 && !isProblemSource(exception)) {
      this.logger.error(
        `${request.method} ${instance} -> ${problem.status} ${problem.type}`,
        exception instanceof Error ? exception.stack : String(exception),
      );
    }
    void reply.status(problem.status).headers(headers).header('content-type', PROBLEM_CONTENT_TYPE).send(problem);
  }
}

/** The problem+json body and headers for an error (also used by the HTTP edge hooks, which run before Nest). */
export function problemFor(exception: unknown, instance: string, vendorText = false): { problem: Problem; headers: Record<string, string> } {
  if (isProblemSource(exception)) {
    const { type, status, detail, headers } = exception.toProblem(vendorText);
    return { problem: { type, title: STATUS_CODES[status] ?? 'Error', status, detail, instance }, headers };
  }
  if (exception instanceof ProblemError) {
    return {
      problem: {
        type: exception.type,
        title: STATUS_CODES[exception.status] ?? 'Error',
        status: exception.status,
        detail: exception.detail,
        instance,
        ...exception.extensions,
      },
      headers: exception.headers,
    };
  }
  const status = statusOf(exception);
  // `/api/tenants//tickets` matches no route, but what is wrong is the (empty) tenant id.
  if (status === 404 && /^\/api\/tenants\/\//.test(instance)) return problemFor(new InvalidTenantIdError(''), instance);
  if (status !== undefined && status < 500) {
    return {
      problem: {
        type: status === 404 ? '/problems/not-found' : `/problems/${slug(status)}`,
        title: STATUS_CODES[status] ?? 'Error',
        status,
        detail: status === 404 ? `no route matches ${instance}` : clientMessage(exception) ?? STATUS_CODES[status] ?? '',
        instance,
      },
      headers: {},
    };
  }
  return {
    problem: {
      type: '/problems/internal',
      title: STATUS_CODES[500] as string,
      status: 500,
      detail: 'an unexpected error occurred; it has been logged',
      instance,
    },
    headers: {},
  };
}

function statusOf(exception: unknown): number | undefined {
  if (exception instanceof HttpException) return exception.getStatus();
  const code = (exception as { statusCode?: unknown } | null)?.statusCode;
  return typeof code === 'number' && code >= 400 && code < 600 ? code : undefined;
}

/** The message of a 4xx from Nest or Fastify (written for clients, unlike a 5xx's). */
function clientMessage(exception: unknown): string | undefined {
  if (exception instanceof HttpException) {
    const body = exception.getResponse();
    if (typeof body === 'string') return body;
    const message = (body as { message?: unknown }).message;
    return Array.isArray(message) ? message.join('; ') : typeof message === 'string' ? message : undefined;
  }
  const message = (exception as { message?: unknown }).message;
  return typeof message === 'string' ? message : undefined;
}
