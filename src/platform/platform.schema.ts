/** The platform's own state. Booleans are 0/1 and instants ISO text in both engines, so one code path serves both. */
export interface PlatformDatabase {
  tenants: TenantsTable;
  integrations: IntegrationsTable;
  api_keys: ApiKeysTable;
}

export interface TenantsTable {
  id: string;
  name: string;
  is_active: number;
  llm_enabled: number;
  created_at: string;
  updated_at: string;
}

export interface IntegrationsTable {
  tenant_id: string;
  vendor: string;
  /** JSON object of the non-secret settings. */
  settings: string;
  /** JSON object: secret field → ciphertext (`v1.<key id>.<iv>.<tag>.<data>`). */
  secrets: string;
  updated_at: string;
}

export interface ApiKeysTable {
  id: string;
  name: string;
  /** SHA-256 (hex) of the whole key; the key itself is never stored. */
  key_hash: string;
  /** `admin`, or JSON `{"tenants":[...]}`. */
  scope: string;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}
