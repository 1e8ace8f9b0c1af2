import { CanActivate, ExecutionContext, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiKeyAuthenticator } from './api-key.authenticator.js';
import { ADMIN_ONLY, IS_PUBLIC } from './auth.decorators.js';
import { AdminScopeRequiredError } from './auth.errors.js';
import { PRINCIPAL, WithPrincipal } from './principal.js';

type AuthRequest = { headers: Record<string, string | undefined> } & WithPrincipal;

/**
 * Every route needs `Authorization: Bearer <key>` unless marked @Public(); revoked keys fail within
 * PLATFORM_CACHE_TTL_MS (at once on the copy that revoked). A public route still learns who is asking
 * when a valid key is sent (health shows admins more).
 */
@Injectable()
export class AuthGuard implements CanActivate, OnModuleInit {
  private readonly logger = new Logger('Auth');

  constructor(
    private readonly reflector: Reflector,
    private readonly authenticator: ApiKeyAuthenticator,
  ) {}

  onModuleInit(): void {
    if (this.authenticator.disabled) this.logger.warn('AUTH_DISABLED=true: every route is open and every caller is an admin (mock mode only)');
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    const request = context.switchToHttp().getRequest<AuthRequest>();
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) {
      if (!request[PRINCIPAL] && request.headers.authorization) {
        request[PRINCIPAL] = await this.authenticator.authenticate(request.headers.authorization).catch(() => undefined);
      }
      return true;
    }
    // Write requests were authenticated at the edge, before their body was read.
    const principal = request[PRINCIPAL] ?? (await this.authenticator.authenticate(request.headers.authorization));
    if (this.reflector.getAllAndOverride<boolean>(ADMIN_ONLY, targets) && !principal.isAdmin) throw new AdminScopeRequiredError();
    request[PRINCIPAL] = principal;
    return true;
  }
}
