import { Inject, Injectable, Logger } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { hash, timingSafeEqual } from 'node:crypto';
import { authConfig } from '../config/platform.config.js';
import { ApiKeysService, type VerifiedKey } from '../platform/api-keys.service.js';
import { UnauthorizedError } from './auth.errors.js';
import { Principal } from './principal.js';

const sha256 = (value: string): Buffer => hash('sha256', value, 'buffer');
const BOOTSTRAP_ADMIN = Principal.admin('env:ADMIN_API_KEY');
const AUTH_DISABLED = Principal.admin('auth-disabled');

/**
 * Turns `Authorization: Bearer <key>` into a Principal: the bootstrap admin key (ADMIN_API_KEY) or a
 * minted key, compared by hash in constant time. Used by the guard and by the HTTP edge, which
 * authenticates write requests before their body is read.
 */
@Injectable()
export class ApiKeyAuthenticator {
  private readonly logger = new Logger('Auth');
  private readonly adminKeyHash?: Buffer;
  /** A minted key's principal, built once per read of its row (ApiKeysService.verify reuses the answer while the read is fresh). */
  private readonly principals = new WeakMap<VerifiedKey, Principal>();

  constructor(
    private readonly keys: ApiKeysService,
    @Inject(authConfig.KEY) private readonly config: ConfigType<typeof authConfig>,
  ) {
    if (config.adminApiKey) this.adminKeyHash = sha256(config.adminApiKey);
  }

  get disabled(): boolean {
    return this.config.disabled;
  }

  async authenticate(header: string | undefined): Promise<Principal> {
    if (this.config.disabled) return AUTH_DISABLED;
    if (!header) throw new UnauthorizedError('missing API key: send Authorization: Bearer <key>');
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!match) throw new UnauthorizedError('malformed Authorization header: expected Bearer <key>');
    const key = match[1];
    if (this.adminKeyHash && timingSafeEqual(sha256(key), this.adminKeyHash)) return BOOTSTRAP_ADMIN;
    const found = await this.keys.verify(key);
    if (!found) throw new UnauthorizedError('unknown or revoked API key');
    this.keys.touch(found.id, found.lastUsedAt).catch((error: Error) => this.logger.warn(`could not record key use: ${error.message}`));
    let principal = this.principals.get(found);
    if (principal === undefined) {
      principal = found.scope === 'admin' ? Principal.admin(found.id) : Principal.tenant(found.id, found.scope.tenants);
      this.principals.set(found, principal);
    }
    return principal;
  }
}
