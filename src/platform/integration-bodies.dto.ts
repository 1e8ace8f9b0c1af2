import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUrl,
  MaxLength,
  ValidationArguments,
  registerDecorator,
} from 'class-validator';

import { VENDORS, type Vendor } from '../config/domains-and-vendors.js';

export { VENDORS, type Vendor } from '../config/domains-and-vendors.js';

const URL_OPTIONS = { require_tld: false, require_protocol: true, protocols: ['https', 'http'] };

/** A valid IANA time zone name (what `Intl` accepts). */
function IsTimeZone(): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isTimeZone',
      target: target.constructor,
      propertyName: propertyName as string,
      options: { message: (a: ValidationArguments) => `${a.property} must be an IANA time zone such as Europe/London` },
      validator: {
        validate(value: unknown) {
          if (typeof value !== 'string') return false;
          try {
            new Intl.DateTimeFormat('en-US', { timeZone: value });
            return true;
          } catch {
            return false;
          }
        },
      },
    });
}

/** ConnectWise PSA (Manage). `private_key` is a secret. */
export class ConnectWiseIntegrationBody {
  /**
   * API root up to and including `/apis/3.0`.
   * @example "https://api-na.myconnectwise.net/v4_6_release/apis/3.0"
   */
  @IsUrl(URL_OPTIONS)
  base_url: string;

  /** @example "contoso" */
  @IsNotEmpty()
  @MaxLength(256)
  @IsString()
  company_id: string;

  /** @example "Ab12Cd34Ef56Gh78" */
  @IsNotEmpty()
  @MaxLength(256)
  @IsString()
  public_key: string;

  /**
   * Secret: encrypted at rest, never returned.
   * @example "Zz99Yy88Xx77Ww66"
   */
  @IsNotEmpty()
  @MaxLength(1024)
  @IsString()
  private_key: string;

  /** @example "00000000-0000-0000-0000-000000000000" */
  @IsNotEmpty()
  @MaxLength(256)
  @IsString()
  client_id: string;

  /**
   * IANA time zone that decides the day a time entry counts for; default `UTC`.
   * @example "America/New_York"
   */
  @IsOptional()
  @IsTimeZone()
  time_zone?: string;
}

/** SmileBack. `client_secret` and `password` are secrets. */
export class SmileBackIntegrationBody {
  /**
   * Default `https://app.smileback.io`.
   * @example "https://app.smileback.io"
   */
  @IsOptional()
  @IsUrl(URL_OPTIONS)
  base_url?: string;

  /** @example "smb-client-id" */
  @IsNotEmpty()
  @MaxLength(256)
  @IsString()
  client_id: string;

  /** Secret: encrypted at rest, never returned. */
  @IsNotEmpty()
  @MaxLength(1024)
  @IsString()
  client_secret: string;

  /** @example "api@msp.example" */
  @IsNotEmpty()
  @MaxLength(256)
  @IsString()
  username: string;

  /** Secret: encrypted at rest, never returned. */
  @IsNotEmpty()
  @MaxLength(1024)
  @IsString()
  password: string;
}

/** SentinelOne. `api_token` is a secret. */
export class SentinelOneIntegrationBody {
  /**
   * Console root.
   * @example "https://usea1.sentinelone.net"
   */
  @IsUrl(URL_OPTIONS)
  base_url: string;

  /** Secret: encrypted at rest, never returned. */
  @IsNotEmpty()
  @MaxLength(4096)
  @IsString()
  api_token: string;

  /**
   * Narrow the scope to these accounts.
   * @example ["225494730938493804"]
   */
  @IsOptional()
  @ArrayMaxSize(100)
  @IsNotEmpty({ each: true })
  @IsArray()
  @IsString({ each: true })
  account_ids?: string[];

  /**
   * Narrow the scope to these sites.
   * @example ["225494730938493915"]
   */
  @IsOptional()
  @ArrayMaxSize(100)
  @IsNotEmpty({ each: true })
  @IsArray()
  @IsString({ each: true })
  site_ids?: string[];
}

/** Microsoft Defender (Graph `alerts_v2` by default, or the Defender for Endpoint API). `client_secret` is a secret. */
export class DefenderIntegrationBody {
  /**
   * `graph` (default) or `endpoint`.
   * @example "graph"
   */
  @IsOptional()
  @IsIn(['graph', 'endpoint'])
  api?: 'graph' | 'endpoint';

  /**
   * The customer's Entra (Azure AD) tenant id.
   * @example "11111111-2222-3333-4444-555555555555"
   */
  @IsNotEmpty()
  @MaxLength(256)
  @IsString()
  azure_tenant_id: string;

  /** @example "66666666-7777-8888-9999-000000000000" */
  @IsNotEmpty()
  @MaxLength(256)
  @IsString()
  client_id: string;

  /** Secret: encrypted at rest, never returned. */
  @IsNotEmpty()
  @MaxLength(1024)
  @IsString()
  client_secret: string;

  /**
   * Default `https://graph.microsoft.com` (graph) or `https://api.security.microsoft.com` (endpoint).
   * @example "https://graph.microsoft.com"
   */
  @IsOptional()
  @IsUrl(URL_OPTIONS)
  base_url?: string;

  /**
   * Default `https://login.microsoftonline.com`.
   * @example "https://login.microsoftonline.com"
   */
  @IsOptional()
  @IsUrl(URL_OPTIONS)
  login_url?: string;

  /**
   * Graph `serviceSource` values to include; default `["microsoftDefenderForEndpoint"]`.
   * @example ["microsoftDefenderForEndpoint"]
   */
  @IsOptional()
  @ArrayMaxSize(20)
  @IsNotEmpty({ each: true })
  @IsArray()
  @IsString({ each: true })
  service_sources?: string[];
}

export type IntegrationBody =
  | ConnectWiseIntegrationBody
  | SmileBackIntegrationBody
  | SentinelOneIntegrationBody
  | DefenderIntegrationBody;

export interface VendorDefinition {
  label: string;
  body: new () => IntegrationBody;
  secrets: readonly string[];
  /** Fills the documented defaults, so what is stored (and listed) is what the client will use. */
  withDefaults(settings: Record<string, unknown>): Record<string, unknown>;
}

export const VENDOR_DEFINITIONS: Record<Vendor, VendorDefinition> = {
  connectwise: {
    label: 'ConnectWise PSA',
    body: ConnectWiseIntegrationBody,
    secrets: ['private_key'],
    withDefaults: (s) => ({ time_zone: 'UTC', ...s }),
  },
  smileback: {
    label: 'SmileBack',
    body: SmileBackIntegrationBody,
    secrets: ['client_secret', 'password'],
    withDefaults: (s) => ({ base_url: 'https://app.smileback.io', ...s }),
  },
  sentinelone: {
    label: 'SentinelOne',
    body: SentinelOneIntegrationBody,
    secrets: ['api_token'],
    withDefaults: (s) => s,
  },
  defender: {
    label: 'Microsoft Defender',
    body: DefenderIntegrationBody,
    secrets: ['client_secret'],
    withDefaults: (s) => {
      const api = s.api === 'endpoint' ? 'endpoint' : 'graph';
      return {
        api,
        base_url: api === 'graph' ? 'https://graph.microsoft.com' : 'https://api.security.microsoft.com',
        login_url: 'https://login.microsoftonline.com',
        service_sources: ['microsoftDefenderForEndpoint'],
        ...s,
      };
    },
  },
};

export function isVendor(value: string): value is Vendor {
  return (VENDORS as readonly string[]).includes(value);
}

