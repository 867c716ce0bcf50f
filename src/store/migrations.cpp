#include "store/migrations.h"
#include "store/transaction.h"

#include <spdlog/spdlog.h>

#include "core/time.h"
#include "store/database.h"

namespace dm::store {

const std::vector<Migration>& AllMigrations() {
  static const std::vector<Migration> kMigrations = {
      {1,
       "identity, organizations, projects, audit",
       {
           "CREATE TABLE organizations (id TEXT PRIMARY KEY, name TEXT NOT NULL, created_at TEXT NOT NULL)",
           "CREATE TABLE users (id TEXT PRIMARY KEY, email TEXT NOT NULL UNIQUE, full_name TEXT NOT NULL "
           "DEFAULT '', password_hash TEXT NOT NULL, created_at TEXT NOT NULL)",
           "CREATE TABLE memberships (organization_id TEXT NOT NULL REFERENCES organizations(id) ON DELETE "
           "CASCADE, user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE, role TEXT NOT NULL, "
           "created_at TEXT NOT NULL, PRIMARY KEY (organization_id, user_id))",
           "CREATE INDEX memberships_user ON memberships(user_id, created_at)",
           "CREATE TABLE refresh_tokens (id TEXT PRIMARY KEY, token_hash TEXT NOT NULL UNIQUE, family_id "
           "TEXT "
           "NOT NULL, user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE, organization_id TEXT NOT "
           "NULL REFERENCES organizations(id) ON DELETE CASCADE, expires_at BIGINT NOT NULL, created_at TEXT "
           "NOT NULL, used_at TEXT, revoked_at TEXT)",
           "CREATE INDEX refresh_tokens_family ON refresh_tokens(family_id)",
           "CREATE INDEX refresh_tokens_user ON refresh_tokens(user_id, organization_id)",
           "CREATE TABLE projects (id TEXT PRIMARY KEY, organization_id TEXT NOT NULL REFERENCES "
           "organizations(id) ON DELETE CASCADE, name TEXT NOT NULL, description TEXT NOT NULL DEFAULT '', "
           "status TEXT NOT NULL DEFAULT 'active', created_by TEXT, created_at TEXT NOT NULL, updated_at "
           "TEXT "
           "NOT NULL)",
           "CREATE INDEX projects_org ON projects(organization_id, created_at)",
           "CREATE TABLE audit_logs (id TEXT PRIMARY KEY, organization_id TEXT, user_id TEXT, action TEXT "
           "NOT "
           "NULL, target_type TEXT, target_id TEXT, ip TEXT, user_agent TEXT, details TEXT NOT NULL DEFAULT "
           "'{}', created_at TEXT NOT NULL)",
           "CREATE INDEX audit_logs_org ON audit_logs(organization_id, created_at)",
           "CREATE TABLE login_throttle (throttle_key TEXT PRIMARY KEY, failures BIGINT NOT NULL, "
           "window_start "
           "BIGINT NOT NULL, locked_until BIGINT NOT NULL)",
       }},
      {2,
       "files, datasets, versions, jobs, resumable uploads",
       {
           "CREATE TABLE files (id TEXT PRIMARY KEY, organization_id TEXT NOT NULL REFERENCES "
           "organizations(id) ON "
           "DELETE CASCADE, project_id TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE, "
           "original_filename "
           "TEXT NOT NULL, size_bytes BIGINT NOT NULL, detected_format TEXT NOT NULL, status TEXT NOT NULL, "
           "error_message TEXT, blob_key TEXT NOT NULL, details TEXT NOT NULL DEFAULT '{}', created_by TEXT, "
           "created_at TEXT NOT NULL, updated_at TEXT NOT NULL)",
           "CREATE INDEX files_project ON files(organization_id, project_id, created_at)",
           "CREATE TABLE datasets (id TEXT PRIMARY KEY, organization_id TEXT NOT NULL REFERENCES "
           "organizations(id) "
           "ON DELETE CASCADE, project_id TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE, "
           "source_file_id "
           "TEXT, name TEXT NOT NULL, head_version BIGINT NOT NULL, created_by TEXT, created_at TEXT NOT "
           "NULL, "
           "updated_at TEXT NOT NULL)",
           "CREATE INDEX datasets_project ON datasets(organization_id, project_id, created_at)",
           "CREATE INDEX datasets_file ON datasets(source_file_id)",
           "CREATE TABLE dataset_versions (dataset_id TEXT NOT NULL REFERENCES datasets(id) ON DELETE "
           "CASCADE, "
           "version BIGINT NOT NULL, parent_version BIGINT, organization_id TEXT NOT NULL, blob_key TEXT NOT "
           "NULL, "
           "row_count BIGINT NOT NULL, column_count BIGINT NOT NULL, schema_json TEXT NOT NULL, operations "
           "TEXT "
           "NOT NULL DEFAULT '[]', profile TEXT, quality_score DOUBLE PRECISION, created_by TEXT, created_at "
           "TEXT "
           "NOT NULL, PRIMARY KEY (dataset_id, version))",
           "CREATE TABLE jobs (id TEXT PRIMARY KEY, organization_id TEXT NOT NULL REFERENCES "
           "organizations(id) ON "
           "DELETE CASCADE, type TEXT NOT NULL, status TEXT NOT NULL, progress DOUBLE PRECISION NOT NULL "
           "DEFAULT "
           "0, message TEXT NOT NULL DEFAULT '', payload TEXT NOT NULL DEFAULT '{}', result TEXT, error "
           "TEXT, "
           "cancel_requested BIGINT NOT NULL DEFAULT 0, attempts BIGINT NOT NULL DEFAULT 0, worker_id TEXT, "
           "created_by TEXT, created_at TEXT NOT NULL, started_at TEXT, finished_at TEXT, heartbeat_at "
           "BIGINT "
           "NOT NULL DEFAULT 0)",
           "CREATE INDEX jobs_queue ON jobs(status, created_at)",
           "CREATE TABLE tus_uploads (id TEXT PRIMARY KEY, organization_id TEXT NOT NULL REFERENCES "
           "organizations(id) ON DELETE CASCADE, project_id TEXT NOT NULL REFERENCES projects(id) ON DELETE "
           "CASCADE, user_id TEXT NOT NULL, filename TEXT NOT NULL, upload_length BIGINT NOT NULL, "
           "upload_offset "
           "BIGINT NOT NULL DEFAULT 0, file_id TEXT, created_at TEXT NOT NULL, expires_at BIGINT NOT NULL)",
       }},
      {3,
       "cleaning operations (the audit trail of cleans and restores); error codes on jobs and files",
       {
           "CREATE TABLE cleaning_operations (id TEXT PRIMARY KEY, organization_id TEXT NOT NULL REFERENCES "
           "organizations(id) ON DELETE CASCADE, dataset_id TEXT NOT NULL REFERENCES datasets(id) ON DELETE "
           "CASCADE, kind TEXT NOT NULL, version BIGINT NOT NULL, parent_version BIGINT, op_index BIGINT NOT "
           "NULL DEFAULT 0, operation TEXT NOT NULL DEFAULT '{}', rows_before BIGINT, rows_after BIGINT, "
           "affected_rows BIGINT, quality_before DOUBLE PRECISION, quality_after DOUBLE PRECISION, message "
           "TEXT "
           "NOT NULL DEFAULT '', job_id TEXT, created_by TEXT, created_at TEXT NOT NULL)",
           "CREATE INDEX cleaning_operations_dataset ON cleaning_operations(organization_id, dataset_id, "
           "created_at)",
           // The stable error code (API.md's envelope codes) of a failed job and file.
           "ALTER TABLE jobs ADD COLUMN error_code TEXT",
           "ALTER TABLE files ADD COLUMN error_code TEXT",
       }},
  };
  return kMigrations;
}

Result<int> ApplyMigrations(Database& db) {
  return WithSession(db, [&db](soci::session& s) -> Result<int> {
    s << "CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, name TEXT NOT NULL, "
         "applied_at TEXT NOT NULL)";
    int applied = 0;
    for (const Migration& m : AllMigrations()) {
      store::Transaction tx(s);
      if (db.dialect() == Dialect::POSTGRESQL) {
        s << "SELECT pg_advisory_xact_lock(727274)";  // one migrator at a time across nodes
      }
      long long count = 0;
      const long long version = m.version;
      s << "SELECT COUNT(*) FROM schema_migrations WHERE version = :v", soci::use(version), soci::into(count);
      if (count > 0) {
        tx.rollback();
        continue;
      }
      for (const std::string& stmt : m.sql) s << stmt;
      const std::string name = m.name;
      const std::string now = NowIso();
      s << "INSERT INTO schema_migrations (version, name, applied_at) VALUES (:v, :n, :t)",
          soci::use(version), soci::use(name), soci::use(now);
      tx.commit();
      spdlog::info("applied migration {} ({})", m.version, m.name);
      ++applied;
    }
    return applied;
  });
}

}  // namespace dm::store
