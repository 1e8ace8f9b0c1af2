import { Injectable } from '@nestjs/common';
import { PlatformDb, nowIso } from '../platform-db.js';

export interface ApiKeyRow {
  id: string;
  name: string;
  key_hash: string;
  /** `admin` or the JSON of `{ tenants: [...] }`. */
  scope: string;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

export type ApiKeyListRow = Omit<ApiKeyRow, 'key_hash'>;
export type ApiKeyCheckRow = Pick<ApiKeyRow, 'id' | 'key_hash' | 'scope' | 'revoked_at' | 'last_used_at'>;

/** The `api_keys` table: hashes only, never a key. */
@Injectable()
export class ApiKeyRepository {
  constructor(private readonly platform: PlatformDb) {}

  async create(row: ApiKeyRow): Promise<void> {
    await this.platform.db.insertInto('api_keys').values(row).execute();
  }

  getAll(): Promise<ApiKeyListRow[]> {
    return this.platform.db
      .selectFrom('api_keys')
      .select(['id', 'name', 'scope', 'created_at', 'last_used_at', 'revoked_at'])
      .orderBy('created_at')
      .orderBy('id')
      .execute();
  }

  getForCheck(id: string): Promise<ApiKeyCheckRow | undefined> {
    return this.platform.db
      .selectFrom('api_keys')
      .select(['id', 'key_hash', 'scope', 'revoked_at', 'last_used_at'])
      .where('id', '=', id)
      .executeTakeFirst();
  }

  async exists(id: string): Promise<boolean> {
    return (await this.platform.db.selectFrom('api_keys').select('id').where('id', '=', id).executeTakeFirst()) !== undefined;
  }

  /** Marks an unrevoked key revoked; false when there was none to revoke. */
  async revoke(id: string): Promise<boolean> {
    const result = await this.platform.db
      .updateTable('api_keys')
      .set({ revoked_at: nowIso() })
      .where('id', '=', id)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  async setLastUsed(id: string, at: string): Promise<void> {
    await this.platform.db.updateTable('api_keys').set({ last_used_at: at }).where('id', '=', id).execute();
  }

}
