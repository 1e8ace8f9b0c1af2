import { ApiProperty, ApiPropertyOptions } from '@nestjs/swagger';
import { IsNotEmpty, IsString, MaxLength, ValidationArguments, registerDecorator } from 'class-validator';
import { TENANT_ID_PATTERN } from '../common/validation/formats.js';
import type { ApiKeyScope } from '../platform/api-keys.service.js';

/** `"admin"` or `{ "tenants": ["tenant_a", ...] }` with 1–100 well-formed tenant ids and nothing else. */
function IsKeyScope(): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isKeyScope',
      target: target.constructor,
      propertyName: propertyName as string,
      options: {
        message: (a: ValidationArguments) =>
          `${a.property} must be "admin" or { "tenants": [tenant ids] } with 1 to 100 ids matching ^[a-z0-9][a-z0-9_-]{0,63}$`,
      },
      validator: {
        validate(value: unknown) {
          if (value === 'admin') return true;
          if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
          const keys = Object.keys(value);
          const tenants = (value as { tenants?: unknown }).tenants;
          return (
            keys.length === 1 &&
            keys[0] === 'tenants' &&
            Array.isArray(tenants) &&
            tenants.length >= 1 &&
            tenants.length <= 100 &&
            tenants.every((t) => typeof t === 'string' && TENANT_ID_PATTERN.test(t))
          );
        },
      },
    });
}

/** The scope's schema: a string `"admin"`, or an object naming the tenants (never a bare object). */
const SCOPE_SCHEMA = {
  oneOf: [
    { type: 'string', enum: ['admin'], description: 'Every tenant and the admin routes.' },
    {
      type: 'object',
      description: "Only these tenants' data routes.",
      required: ['tenants'],
      additionalProperties: false,
      properties: {
        tenants: { type: 'array', minItems: 1, maxItems: 100, items: { type: 'string', pattern: TENANT_ID_PATTERN.source } },
      },
    },
  ],
} as unknown as ApiPropertyOptions;

const INSTANT = { type: 'string', format: 'date-time' } as const;

export class CreateApiKeyBody {
  /**
   * What the key is for, shown in listings.
   * @example "dashboard (CCA)"
   */
  @IsNotEmpty()
  @MaxLength(200)
  @IsString()
  name: string;

  /**
   * `"admin"` (every tenant and the admin routes) or `{ "tenants": [...] }` (only those tenants' routes).
   * @example {"tenants":["tenant_demo_cca"]}
   */
  @ApiProperty(SCOPE_SCHEMA)
  @IsKeyScope()
  scope: ApiKeyScope;
}

export class CreatedApiKey {
  /** @example "3f2a9c0d1e4b5a67" */
  id: string;
  /**
   * The key itself: shown this once, stored only as a hash.
   * @example "mspk_3f2a9c0d1e4b5a67_Q2hhbmdlTWVQbGVhc2VUaGlzSXNOb3RBUmVhbEtleUF0QWxs"
   */
  key: string;
}

export class ApiKeyInfo {
  /** @example "3f2a9c0d1e4b5a67" */
  id: string;
  /** @example "dashboard (CCA)" */
  name: string;
  /**
   * `"admin"` or `{ "tenants": [...] }`.
   * @example {"tenants":["tenant_demo_cca"]}
   */
  @ApiProperty(SCOPE_SCHEMA)
  scope: ApiKeyScope;
  /** @example "2026-11-27T05:00:00.000Z" */
  @ApiProperty(INSTANT)
  created_at: string;
  /** Updated at most once a minute. */
  @ApiProperty(INSTANT)
  last_used_at: string | null;
  @ApiProperty(INSTANT)
  revoked_at: string | null;
}

export class IntegrationInfo {
  /** @example "connectwise" */
  vendor: string;
  /** @example true */
  configured: boolean;
  /**
   * The non-secret settings, with defaults filled in.
   * @example {"base_url":"https://api-na.myconnectwise.net/v4_6_release/apis/3.0","company_id":"contoso","public_key":"Ab12Cd34Ef56Gh78","client_id":"00000000-0000-0000-0000-000000000000","time_zone":"UTC"}
   */
  settings: Record<string, unknown>;
  /**
   * Which secret fields are set; their values are never returned.
   * @example ["private_key"]
   */
  secrets: string[];
  /** @example "2026-11-27T05:00:00.000Z" */
  @ApiProperty(INSTANT)
  updated_at?: string;
}

export class IntegrationTestResult {
  /** @example true */
  ok: boolean;
  /**
   * How long the vendor took to answer the test call.
   * @example 120
   */
  latency_ms?: number;
  /**
   * The vendor's answer in words when `ok` is false.
   * @example "401 from ConnectWise PSA: invalid credentials or insufficient permissions"
   */
  error?: string;
}
