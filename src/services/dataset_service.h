#pragma once
/// Reading and managing what ingestion produced: files, datasets and their versions,
/// rows, exports, sandboxed SQL, and the jobs behind them. All tenant-scoped.

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/status.h"
#include "engine/duckdb.h"
#include "jobs/worker_pool.h"
#include "services/principal.h"
#include "store/blob_store.h"
#include "store/database.h"
#include "store/records.h"

namespace dm::services {

struct DatasetView {
  store::DatasetRecord dataset;
  store::DatasetVersion head;
};

struct ExportedFile {
  std::string path;  ///< temporary; the caller streams and removes it
  std::string filename;
  std::string content_type;
};

class DatasetService {
 public:
  DatasetService(store::Database& db, store::BlobStore& blobs, engine::Engine& engine, jobs::WorkerPool& pool,
                 std::string temp_dir)
      : db_(db), blobs_(blobs), engine_(engine), pool_(pool), temp_dir_(std::move(temp_dir)) {}

  Result<std::pair<std::vector<DatasetView>, long long>> List(const Principal& p,
                                                              const std::string& project_id,
                                                              std::int64_t limit, std::int64_t offset);
  Result<DatasetView> Get(const Principal& p, const std::string& id);
  Result<std::vector<store::DatasetVersion>> Versions(const Principal& p, const std::string& id);
  /// `sort` is "col:asc,other:desc".
  Result<nlohmann::json> Rows(const Principal& p, const std::string& id, std::int64_t offset,
                              std::int64_t limit, const std::string& sort);
  Result<ExportedFile> Export(const Principal& p, const std::string& id, const std::string& format);
  Result<nlohmann::json> Query(const Principal& p, const std::string& id, const std::string& sql);
  Status Delete(const Principal& p, const std::string& id, const RequestMeta& meta);
  /// The head version's profile (computed now if its profile job has not run yet).
  Result<nlohmann::json> Profile(const Principal& p, const std::string& id);
  /// The "profile" job handler: profiles one version and stores the result.
  Result<nlohmann::json> RunProfileJob(jobs::JobContext& ctx);
  /// Profiles the version's Parquet file and stores profile, score and semantic types (and
  /// the measured quality on the cleaning steps that produced the version).
  Result<nlohmann::json> ProfileVersion(const store::TenantId& tenant, const store::DatasetVersion& version);

  Result<std::pair<store::FileRecord, std::vector<std::string>>> GetFile(const Principal& p,
                                                                         const std::string& id);
  Result<std::pair<std::vector<store::FileRecord>, long long>> ListFiles(const Principal& p,
                                                                         const std::string& project_id,
                                                                         std::int64_t limit,
                                                                         std::int64_t offset);

  Result<store::Job> GetJob(const Principal& p, const std::string& id);
  Result<store::Job> CancelJob(const Principal& p, const std::string& id, const RequestMeta& meta);

 private:
  Result<std::string> HeadPath(const Principal& p, const std::string& id);
  Result<nlohmann::json> ComputeAndStoreProfile(const store::TenantId& tenant,
                                                const store::DatasetVersion& version);

  store::Database& db_;
  store::BlobStore& blobs_;
  engine::Engine& engine_;
  jobs::WorkerPool& pool_;
  std::string temp_dir_;
};

}  // namespace dm::services
