import { CanActivate, ExecutionContext, Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { Reflector } from '@nestjs/core';
import { createHash, timingSafeEqual } from 'node:crypto';
import { authConfig } from '../config/platform.config.js';
import { PlatformStore } from '../platform/platform.store.js';
import { ADMIN_ONLY, IS_PUBLIC } from './auth.decorators.js';
import { AdminScopeRequiredError, UnauthorizedError } from './auth.errors.js';
import { PRINCIPAL, Principal, WithPrincipal } from './principal.js';

const sha256 = (value: string) => createHash('sha256').update(value, 'utf8').digest();
/** `last_used_at` is a hint for people, not an audit log: write it at most this often per key. */
const TOUCH_EVERY_MS = 60_000;

/**
 * Every route needs `Authorization: Bearer <key>` unless marked @Public(): the bootstrap admin key
 * (ADMIN_API_KEY) or a minted key, compared by hash in constant time; revoked keys fail at once.
 */
@Injectable()
export class AuthGuard implements CanActivate, OnModuleInit {
  private readonly logger = new Logger('Auth');
  private readonly adminKeyHash?: Buffer;

  constructor(
    private readonly reflector: Reflector,
    private readonly store: PlatformStore,
    @Inject(authConfig.KEY) private readonly config: ConfigType<typeof authConfig>,
  ) {
    if (config.adminApiKey) this.adminKeyHash = sha256(config.adminApiKey);
  }

  onModuleInit(): void {
    if (this.config.disabled) this.logger.warn('AUTH_DISABLED=true: every route is open and every caller is an admin (mock mode only)');
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;
    const request = context.switchToHttp().getRequest<{ headers: Record<string, string | undefined> } & WithPrincipal>();
    const principal = this.config.disabled ? Principal.admin('auth-disabled') : await this.authenticate(request.headers.authorization);
    if (this.reflector.getAllAndOverride<boolean>(ADMIN_ONLY, targets) && !principal.isAdmin) throw new AdminScopeRequiredError();
    request[PRINCIPAL] = principal;
    return true;
  }

  private async authenticate(header: string | undefined): Promise<Principal> {
    if (!header) throw new UnauthorizedError('missing API key: send Authorization: Bearer <key>');
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!match) throw new UnauthorizedError('malformed Authorization header: expected Bearer <key>');
    const key = match[1];
    if (this.adminKeyHash && timingSafeEqual(sha256(key), this.adminKeyHash)) return Principal.admin('env:ADMIN_API_KEY');
    const found = await this.store.verifyApiKey(key);
    if (!found) throw new UnauthorizedError('unknown or revoked API key');
    if (!found.lastUsedAt || Date.now() - Date.parse(found.lastUsedAt) > TOUCH_EVERY_MS) {
      this.store.touchApiKey(found.id).catch((error: Error) => this.logger.warn(`could not record key use: ${error.message}`));
    }
    return found.scope === 'admin' ? Principal.admin(found.id) : Principal.tenant(found.id, found.scope.tenants);
  }
}
