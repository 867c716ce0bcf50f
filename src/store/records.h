#pragma once
/// Plain records the repositories read and write.

#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace dm::store {

/// The organization that owns tenant data. Every repository call on tenant data takes
/// one, so a query without tenant scoping cannot be written by accident.
struct TenantId {
  explicit TenantId(std::string id) : value(std::move(id)) {}
  std::string value;
};

struct User {
  std::string id;
  std::string email;
  std::string full_name;
  std::string password_hash;
  std::string created_at;
};

struct Organization {
  std::string id;
  std::string name;
  std::string created_at;
};

struct Member {
  std::string user_id;
  std::string email;
  std::string full_name;
  std::string role;
  std::string created_at;
};

struct RefreshToken {
  std::string id;
  std::string token_hash;  ///< hex SHA-256 of the token; the token itself is never stored
  std::string family_id;
  std::string user_id;
  std::string organization_id;
  std::int64_t expires_at = 0;  ///< unix seconds
  std::optional<std::string> used_at;
  std::optional<std::string> revoked_at;
};

struct Project {
  std::string id;
  std::string organization_id;
  std::string name;
  std::string description;
  std::string status;  ///< active | archived
  std::string created_by;
  std::string created_at;
  std::string updated_at;
};

struct AuditEntry {
  std::string id;
  std::optional<std::string> organization_id;
  std::optional<std::string> user_id;
  std::string action;       ///< e.g. "auth.login", "project.create"
  std::string target_type;  ///< e.g. "project"
  std::string target_id;
  std::string ip;
  std::string user_agent;
  nlohmann::json details = nlohmann::json::object();
  std::string created_at;
};

struct FileRecord {
  std::string id;
  std::string organization_id;
  std::string project_id;
  std::string original_filename;
  std::int64_t size_bytes = 0;
  std::string detected_format;
  std::string status;  ///< uploaded | processing | ready | error
  std::optional<std::string> error_message;
  std::optional<std::string> error_code;  ///< the envelope code of the ingest failure
  std::string blob_key;
  nlohmann::json details = nlohmann::json::object();
  std::string created_by;
  std::string created_at;
  std::string updated_at;
};

struct DatasetRecord {
  std::string id;
  std::string organization_id;
  std::string project_id;
  std::string source_file_id;
  std::string name;
  std::int64_t head_version = 1;
  std::string created_by;
  std::string created_at;
  std::string updated_at;
};

struct DatasetVersion {
  std::string dataset_id;
  std::int64_t version = 1;
  std::optional<std::int64_t> parent_version;
  std::string organization_id;
  std::string blob_key;
  std::int64_t row_count = 0;
  std::int64_t column_count = 0;
  nlohmann::json schema = nlohmann::json::array();  ///< [{name,type,semantic_type,nullable}]
  nlohmann::json operations = nlohmann::json::array();
  std::optional<double> quality_score;
  std::string created_by;
  std::string created_at;
};

/// One step of a dataset's cleaning history: an operation of a clean (one row per
/// operation, op_index 0..n-1) or a restore (kind "restore", operation {}).
struct CleaningOperation {
  std::string id;
  std::string organization_id;
  std::string dataset_id;
  std::string kind;                            ///< clean | restore
  std::int64_t version = 0;                    ///< the version this step produced (or restored to)
  std::optional<std::int64_t> parent_version;  ///< the head it started from
  std::int64_t op_index = 0;
  nlohmann::json operation = nlohmann::json::object();
  std::optional<std::int64_t> rows_before;
  std::optional<std::int64_t> rows_after;
  std::optional<std::int64_t> affected_rows;
  std::optional<double> quality_before;
  std::optional<double> quality_after;
  std::string message;
  std::string job_id;
  std::string created_by;
  std::string created_at;
};

struct Job {
  std::string id;
  std::string organization_id;
  std::string type;
  std::string status;  ///< queued | running | succeeded | failed | canceled
  double progress = 0;
  std::string message;
  nlohmann::json payload = nlohmann::json::object();
  nlohmann::json result;  ///< null until succeeded
  std::optional<std::string> error;
  /// The envelope code of a failed or canceled job (VALIDATION_ERROR, UNSUPPORTED_FORMAT, ...).
  std::optional<std::string> error_code;
  bool cancel_requested = false;
  std::string created_by;
  std::string created_at;
  std::optional<std::string> started_at;
  std::optional<std::string> finished_at;
};

struct TusUpload {
  std::string id;
  std::string organization_id;
  std::string project_id;
  std::string user_id;
  std::string filename;
  std::int64_t upload_length = 0;
  std::int64_t upload_offset = 0;
  std::optional<std::string> file_id;
  std::string created_at;
  std::int64_t expires_at = 0;
};

}  // namespace dm::store
