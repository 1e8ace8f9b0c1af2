/** The platform's own state. Booleans are 0/1 and instants ISO text in both engines, so one code path serves both. */
export interface PlatformDatabase {
  tenants: TenantsTable;
  integrations: IntegrationsTable;
  api_keys: ApiKeysTable;
  replica_records: ReplicaRecordsTable;
  sync_state: SyncStateTable;
  sync_runs: SyncRunsTable;
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

/** One vendor record of one tenant×stream, as fetched (raw) and as served (mapped), JSON text both. */
export interface ReplicaRecordsTable {
  tenant_id: string;
  stream: string;
  vendor_id: string;
  vendor: string;
  raw: string;
  /** Null when the mapper keeps nothing of the record (e.g. a review the vendor marks deleted). */
  mapped: string | null;
  vendor_updated_at: string | null;
  /** SHA-256 (hex) of the canonical raw JSON: an unchanged record is never rewritten. */
  content_hash: string;
  first_seen_at: string;
  changed_at: string;
  deleted_at: string | null;
  run_id: string;
}

/** Where a tenant×stream's sync stands; written in the same transaction as the page it follows. */
export interface SyncStateTable {
  tenant_id: string;
  stream: string;
  vendor: string;
  /** The vendor change instant the next incremental asks from (minus the overlap). */
  checkpoint: string | null;
  /** JSON: run kind → where its interrupted run resumes. */
  resume: string | null;
  history_from: string | null;
  /** Set while a backfill below history_from is still owed: its upper bound. */
  backfill_until: string | null;
  last_success_at: string | null;
  /** The last reconcile of the recent window (daily); it covers the open records too. */
  last_reconcile_at: string | null;
  /** The last reconcile of the open records (hourly). */
  last_open_reconcile_at: string | null;
  last_error: string | null;
  consecutive_failures: number;
  /** Bumped by every transaction that changed a row of the stream, never otherwise. */
  data_version: number;
  state: string;
  updated_at: string;
}

export interface SyncRunsTable {
  id: string;
  tenant_id: string;
  stream: string;
  vendor: string;
  kind: string;
  started_at: string;
  finished_at: string | null;
  vendor_calls: number;
  http_429: number;
  waited_ms: number;
  seen: number;
  inserted: number;
  changed: number;
  deleted: number;
  error: string | null;
  /** What the run chose not to do and why (a refused reconcile). */
  note: string | null;
}
