import { OmitType, PartialType, PickType } from '@nestjs/swagger';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { Tenant } from '../tenants/tenant.record.js';

/** The whole tenant, as it will be stored; `name` redeclares the record's checks because class-validator lets a subclass's replace them. */
export class CreateTenantBody extends PickType(Tenant, ['id', 'name', 'is_active', 'llm_enabled'] as const) {
  /** @example "Acme MSP" */
  @IsNotEmpty()
  @MaxLength(200)
  @IsString()
  declare name: string;
}

/** Any subset of the tenant's fields except its id. */
export class UpdateTenantBody extends PartialType(OmitType(CreateTenantBody, ['id'] as const)) {}
