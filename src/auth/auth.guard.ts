import { CanActivate, ExecutionContext, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiKeyAuthenticator } from './api-key.authenticator.js';
import { ADMIN_ONLY, IS_PUBLIC } from './auth.decorators.js';
import { AdminScopeRequiredError } from './auth.errors.js';
import { Principal, PRINCIPAL, WithPrincipal } from './principal.js';

/** Who may call a route: anyone, any valid key, or admin keys only. */
type Access = 'public' | 'key' | 'admin';
type AuthRequest = { headers: Record<string, string | undefined> } & WithPrincipal;

/**
 * Every route needs `Authorization: Bearer <key>` unless marked @Public(); revoked keys fail within
 * PLATFORM_CACHE_TTL_MS (at once on the copy that revoked). A public route still learns who is asking
 * when a valid key is sent (health shows admins more).
 */
@Injectable()
export class AuthGuard implements CanActivate, OnModuleInit {
  private readonly logger = new Logger('Auth');
  private readonly access = new WeakMap<object, Map<object, Access>>();

  constructor(
    private readonly reflector: Reflector,
    private readonly authenticator: ApiKeyAuthenticator,
  ) {}

  onModuleInit(): void {
    if (this.authenticator.disabled) this.logger.warn('AUTH_DISABLED=true: every route is open and every caller is an admin (mock mode only)');
  }

  canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    const access = this.accessOf(context);
    const request = context.switchToHttp().getRequest<AuthRequest>();
    if (access === 'public') {
      if (request[PRINCIPAL] || !request.headers.authorization) return true;
      return this.authenticator.authenticate(request.headers.authorization).then(
        (principal) => ((request[PRINCIPAL] = principal), true),
        () => true,
      );
    }
    // Write requests were authenticated at the edge, before their body was read.
    const known = request[PRINCIPAL];
    if (known) return this.admit(access, request, known);
    return this.authenticator.authenticate(request.headers.authorization).then((principal) => this.admit(access, request, principal));
  }

  private admit(access: Access, request: AuthRequest, principal: Principal): true {
    if (access === 'admin' && !principal.isAdmin) throw new AdminScopeRequiredError();
    request[PRINCIPAL] = principal;
    return true;
  }

  /** A route's access, read from its decorators once rather than on every request. */
  private accessOf(context: ExecutionContext): Access {
    const handler = context.getHandler();
    const controller = context.getClass();
    let byHandler = this.access.get(controller);
    if (byHandler === undefined) this.access.set(controller, (byHandler = new Map()));
    let access = byHandler.get(handler);
    if (access === undefined) {
      const targets = [handler, controller];
      access = this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)
        ? 'public'
        : this.reflector.getAllAndOverride<boolean>(ADMIN_ONLY, targets)
          ? 'admin'
          : 'key';
      byHandler.set(handler, access);
    }
    return access;
  }
}
