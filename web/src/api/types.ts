// Hand-typed from shared/API.md (HTTP API v1). Field names are normative there; the server
// may add fields, so every object type here lists what the UI reads, not everything it gets.

export type Permission = 'project:write' | 'data:write' | 'org:manage' | (string & {});
export type Role = 'admin' | 'manager' | 'analyst' | 'viewer';

export interface ErrorEnvelope {
  error: { code: string; message: string; details?: Record<string, unknown> };
}

export interface User {
  id: string;
  email: string;
  full_name?: string | null;
}

export interface Organization {
  id: string;
  name: string;
}

export interface AuthResponse {
  user: User;
  organization: Organization;
  role: Role;
  access_token: string;
  token_type: 'bearer';
  expires_in: number;
  refresh_token?: string;
}

export interface Me {
  user: User;
  organization: Organization;
  role: Role;
  permissions: Permission[];
}

export interface RegisterInput {
  email: string;
  password: string;
  full_name?: string;
  organization_name?: string;
}

export interface LoginInput {
  email: string;
  password: string;
}

export interface Member {
  user_id: string;
  email: string;
  full_name?: string | null;
  role: Role;
}

export interface AddMemberInput {
  email: string;
  role: Role;
  password?: string;
  full_name?: string;
}

export type ProjectStatus = 'active' | 'archived' | (string & {});

export interface Project {
  id: string;
  name: string;
  description?: string | null;
  status: ProjectStatus;
  created_at: string;
  updated_at: string;
}

export interface ListResponse<T> {
  items: T[];
  total?: number;
}

export interface CreateProjectInput {
  name: string;
  description?: string;
}

export interface UpdateProjectInput {
  name?: string;
  description?: string;
  status?: ProjectStatus;
}

export type DetectedFormat =
  | 'csv'
  | 'tsv'
  | 'json'
  | 'ndjson'
  | 'parquet'
  | 'xlsx'
  | 'xls'
  | 'ods'
  | 'pdf'
  | 'image'
  | 'unknown';

export type FileStatus = 'uploaded' | 'processing' | 'ready' | 'error';

export interface FileRecord {
  id: string;
  original_filename: string;
  size_bytes: number;
  detected_format?: DetectedFormat | null;
  status: FileStatus;
  error_message?: string | null;
  dataset_ids?: string[];
  /** Not in API.md: read when the server adds it, to follow the ingest job by WebSocket. */
  job_id?: string | null;
  created_at?: string;
}

export type JobStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'canceled';

export interface Job {
  id: string;
  type?: string;
  status: JobStatus;
  progress: number;
  message?: string | null;
  result?: unknown;
  error?: string | null;
  created_at?: string;
  started_at?: string | null;
  finished_at?: string | null;
}

export type ColumnType =
  'integer' | 'float' | 'decimal' | 'boolean' | 'date' | 'timestamp' | 'time' | 'string';

export interface DatasetColumn {
  name: string;
  type: ColumnType;
  semantic_type?: string | null;
  nullable?: boolean;
}

export interface Dataset {
  id: string;
  project_id: string;
  name: string;
  version: number;
  row_count: number;
  column_count: number;
  columns: DatasetColumn[];
  quality_score?: number | null;
  source_file_id?: string | null;
  created_at: string;
}

export type Cell = string | number | boolean | null;

export interface RowsPage {
  columns: string[];
  rows: Cell[][];
  total: number;
  offset: number;
  limit: number;
}

export type SortDirection = 'asc' | 'desc';
export interface SortSpec {
  column: string;
  direction: SortDirection;
}

export interface Histogram {
  edges: number[];
  counts: number[];
}

export interface TopValue {
  value: Cell;
  count: number;
}

export interface ColumnProfile {
  name: string;
  type: ColumnType;
  semantic_type?: string | null;
  count: number;
  null_count: number;
  distinct_count?: number | null;
  min?: number | string | null;
  max?: number | string | null;
  mean?: number | null;
  std?: number | null;
  quantiles?: {
    p25?: number | string | null;
    p50?: number | string | null;
    p75?: number | string | null;
  } | null;
  histogram?: Histogram | null;
  top_values?: TopValue[] | null;
  quality?: { completeness?: number; validity?: number; consistency?: number } | null;
}

export type AlertSeverity =
  'critical' | 'high' | 'warning' | 'medium' | 'info' | 'low' | (string & {});

export interface ProfileAlert {
  column?: string | null;
  kind: string;
  message: string;
  severity: AlertSeverity;
}

export interface QualityScores {
  score: number;
  completeness: number;
  validity: number;
  consistency: number;
  uniqueness: number;
}

export interface Correlations {
  method: string;
  columns: string[];
  matrix: (number | null)[][];
}

/** Optional in the profile: detected hierarchies between columns (e.g. country > city). */
export interface Hierarchy {
  levels?: string[];
  columns?: string[];
  name?: string;
  [key: string]: unknown;
}

export interface Profile {
  row_count: number;
  column_count: number;
  duplicate_row_count?: number;
  memory_bytes?: number;
  quality: QualityScores;
  alerts: ProfileAlert[];
  correlations?: Correlations | null;
  columns: ColumnProfile[];
  hierarchies?: Hierarchy[] | null;
}

export interface QueryResult {
  columns: string[];
  rows: Cell[][];
  row_count: number;
  truncated: boolean;
}

export type ExportFormat = 'csv' | 'xlsx' | 'json' | 'ndjson' | 'parquet';

// ---- Cleaning (issue #6) ----

/** One cleaning operation: `{type, ...params}`; the params per type are in features/clean. */
export interface CleanOperation {
  type: string;
  [param: string]: unknown;
}

export interface CleanSuggestion {
  id: string;
  operation: CleanOperation;
  rationale: string;
  affected_rows: number;
  expected_quality_gain: number;
  safe: boolean;
}

export interface SuggestionsResponse {
  items: CleanSuggestion[];
  version: number;
}

export interface PreviewTable {
  columns: string[];
  rows: (Cell[] | null)[];
}

export interface CleanPreview {
  /** The head version the preview was made on: send it back as `base_version`. */
  version: number;
  before: PreviewTable;
  /** after.rows[i] is before.rows[i] after the operations; null when the row is removed. */
  after: PreviewTable;
  /** For each row, the names of the after-cells that differ from before. */
  changed_cells: string[][];
  affected_rows: number;
  row_count_before: number;
  row_count_after: number;
  quality_before: number | null;
  quality_after: number | null;
  operations?: { type: string; rows_before: number; rows_after: number; affected_rows: number }[];
}

export interface CleanInput {
  operations: CleanOperation[];
  message?: string;
  base_version?: number;
}

export interface JobAccepted {
  job: Job;
}

export interface HistoryStep {
  id: string;
  kind: 'clean' | 'restore' | (string & {});
  version: number;
  parent_version: number | null;
  op_index: number;
  operation: CleanOperation | null;
  rows_before: number | null;
  rows_after: number | null;
  affected_rows: number | null;
  quality_before: number | null;
  quality_after: number | null;
  message?: string | null;
  job_id?: string | null;
  created_by?: string | null;
  created_at: string;
}

export interface HistoryResponse {
  items: HistoryStep[];
  total: number;
  head_version: number;
}

export interface Recipe {
  dataset_id: string;
  version: number;
  operations: CleanOperation[];
}

export interface DatasetVersion {
  version: number;
  parent_version: number | null;
  row_count: number;
  column_count: number;
  quality_score: number | null;
  operations: CleanOperation[];
  created_at: string;
  created_by?: string | null;
}
