import { IsBoolean, IsNotEmpty, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { TENANT_ID_PATTERN } from '../common/validation/formats.js';

export class CreateTenantBody {
  /**
   * Tenant id: lower-case letters, digits, `_` and `-`, at most 64 characters.
   * @example "tenant_acme"
   */
  @Matches(TENANT_ID_PATTERN, { message: 'id must match ^[a-z0-9][a-z0-9_-]{0,63}$' })
  id: string;

  /** @example "Acme MSP" */
  @IsNotEmpty()
  @MaxLength(200)
  @IsString()
  name: string;

  /** @example true */
  @IsBoolean()
  is_active: boolean;

  /** @example false */
  @IsBoolean()
  llm_enabled: boolean;
}

/** Any subset of the tenant's fields except its id. */
export class UpdateTenantBody {
  /** @example "Acme MSP (EU)" */
  @IsOptional()
  @IsNotEmpty()
  @MaxLength(200)
  @IsString()
  name?: string;

  /** @example false */
  @IsOptional()
  @IsBoolean()
  is_active?: boolean;

  /** @example true */
  @IsOptional()
  @IsBoolean()
  llm_enabled?: boolean;
}
