#pragma once
/// Getting files in: accepting uploads (multipart or resumable tus), detecting their
/// real format, queueing the ingest job, and running it (every table becomes dataset
/// version 1, a Parquet file in the blob store).

#include <optional>
#include <string>

#include "core/config.h"
#include "core/status.h"
#include "engine/duckdb.h"
#include "jobs/worker_pool.h"
#include "services/principal.h"
#include "store/blob_store.h"
#include "store/database.h"
#include "store/records.h"

namespace dm::services {

struct UploadResult {
  store::FileRecord file;
  store::Job job;
};

struct TusAppendResult {
  store::TusUpload upload;
  std::optional<UploadResult> completed;  ///< set when this chunk finished the upload
};

/// "report.csv" from "C:\\Users\\x\\report.csv" or "../../report.csv": display only, never a path.
std::string CleanFilename(std::string_view raw);

class IngestService {
 public:
  IngestService(store::Database& db, store::BlobStore& blobs, engine::Engine& engine, jobs::WorkerPool& pool,
                const Config& config);

  std::int64_t max_upload_bytes() const;

  /// Takes the uploaded bytes at `temp_path` (moved into storage) and queues ingestion.
  Result<UploadResult> AcceptUpload(const Principal& p, const std::string& project_id,
                                    const std::string& temp_path, const std::string& filename,
                                    const RequestMeta& meta);
  /// The "ingest" job handler.
  Result<nlohmann::json> RunIngest(jobs::JobContext& ctx);

  Result<store::TusUpload> CreateTus(const Principal& p, const std::string& project_id,
                                     const std::string& filename, std::int64_t length,
                                     const RequestMeta& meta);
  Result<store::TusUpload> GetTus(const Principal& p, const std::string& id);
  /// Appends the chunk at `chunk_path` if `offset` is the upload's current offset.
  Result<TusAppendResult> AppendTus(const Principal& p, const std::string& id, std::int64_t offset,
                                    const std::string& chunk_path, const RequestMeta& meta);
  Status DeleteTus(const Principal& p, const std::string& id);
  /// Removes unfinished resumable uploads past their expiry.
  void RemoveExpiredTus();

 private:
  Status RequireProject(soci::session& s, const Principal& p, const std::string& project_id);
  /// Appends a chunk to an upload the caller has serialised (and, on PostgreSQL, row-locked
  /// through `locked`, which then carries the row's updates); stages a finished upload.
  Result<TusAppendResult> AppendTusLocked(store::TusUpload u, std::int64_t offset,
                                          const std::string& chunk_path, soci::session* locked);
  /// Accepts a staged, finished upload as a file and queues its ingest.
  Result<TusAppendResult> CompleteTus(const Principal& p, TusAppendResult appended, const RequestMeta& meta);

  store::Database& db_;
  store::BlobStore& blobs_;
  engine::Engine& engine_;
  jobs::WorkerPool& pool_;
  const Config& config_;
};

}  // namespace dm::services
