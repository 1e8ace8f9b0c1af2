import { IsBoolean, IsNotEmpty, IsString, Matches } from '../common/validation/recorded-rules.js';
import { TENANT_ID_PATTERN } from '../common/validation/formats.js';

/** An MSP using the platform. */
export class Tenant {
  /**
   * Tenant id: lower-case letters, digits, `_` and `-`, at most 64 characters.
   * @example "tenant_demo_cca"
   */
  @Matches(TENANT_ID_PATTERN, { message: 'id must match ^[a-z0-9][a-z0-9_-]{0,63}$' })
  id: string;

  /** @example "CCA Demo" */
  @IsNotEmpty()
  @IsString()
  name: string;

  /**
   * An inactive tenant is listed, but its data routes answer 403.
   * @example true
   */
  @IsBoolean()
  is_active: boolean;

  /**
   * Whether LLM features are enabled for this tenant.
   * @example true
   */
  @IsBoolean()
  llm_enabled: boolean;
}
