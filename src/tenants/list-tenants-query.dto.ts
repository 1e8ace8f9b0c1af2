import { IsIn, IsOptional } from '../common/validation/recorded-rules.js';
import { RecordFields, sortValues } from '../common/query/field-kinds.js';
import { PageQuery } from '../common/query/list-query.dto.js';
import type { Tenant } from './tenant.record.js';

export const TENANT_FIELDS: RecordFields<Tenant> = {
  id: 'string',
  name: 'string',
  is_active: 'boolean',
  llm_enabled: 'boolean',
};

export class ListTenantsQuery extends PageQuery {
  /**
   * A tenant field, `-` prefix for descending; ties break on `id`.
   * @example "name"
   */
  @IsOptional()
  @IsIn(sortValues(TENANT_FIELDS))
  sort?: string = 'id';
}
