import { ExecutionContext, SetMetadata, applyDecorators, createParamDecorator } from '@nestjs/common';
import { ApiForbiddenResponse } from '@nestjs/swagger';
import { PRINCIPAL, Principal, WithPrincipal } from './principal.js';

export const IS_PUBLIC = 'auth:public';
export const ADMIN_ONLY = 'auth:admin-only';

/** No key needed (health). */
export const Public = () => SetMetadata(IS_PUBLIC, true);

/** Admin keys only: a tenant key gets 403. */
export const AdminOnly = () =>
  applyDecorators(SetMetadata(ADMIN_ONLY, true), ApiForbiddenResponse({ description: 'The key is not an admin key.' }));

export function principalOf(request: unknown): Principal {
  const principal = (request as WithPrincipal)[PRINCIPAL];
  if (!principal) throw new Error('no principal on the request: is the AuthGuard installed?');
  return principal;
}

/** The authenticated principal of this request. */
export const CurrentPrincipal = createParamDecorator((_: unknown, ctx: ExecutionContext) =>
  principalOf(ctx.switchToHttp().getRequest()),
);
