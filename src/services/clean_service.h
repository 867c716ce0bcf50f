#pragma once
/// Cleaning: suggestions, preview on the full data, apply as a new immutable version (a
/// job), restore of an earlier version (a job; the head moves, history is kept), the
/// history of every step with rows and quality before/after, and the recipe that produced
/// the head. All tenant-scoped; every change is audited.

#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "core/status.h"
#include "engine/duckdb.h"
#include "jobs/worker_pool.h"
#include "services/dataset_service.h"
#include "services/principal.h"
#include "store/blob_store.h"
#include "store/database.h"
#include "store/records.h"

namespace dm::services {

class CleanService {
 public:
  CleanService(store::Database& db, store::BlobStore& blobs, engine::Engine& engine, jobs::WorkerPool& pool,
               DatasetService& datasets, std::string temp_dir)
      : db_(db),
        blobs_(blobs),
        engine_(engine),
        pool_(pool),
        datasets_(datasets),
        temp_dir_(std::move(temp_dir)) {}

  /// {items:[{id, operation, rationale, affected_rows, expected_quality_gain, safe}]} for the head.
  Result<nlohmann::json> Suggestions(const Principal& p, const std::string& id);

  /// Before/after of up to 100 changed rows, counts on the full data, quality before/after.
  Result<nlohmann::json> Preview(const Principal& p, const std::string& id, const nlohmann::json& operations);

  /// Validates the operations against the head's schema and queues a "clean" job. With
  /// `base_version`, refuses (409) when the head has moved on.
  Result<store::Job> Clean(const Principal& p, const std::string& id, const nlohmann::json& operations,
                           const std::string& message, std::optional<std::int64_t> base_version,
                           const RequestMeta& meta);

  /// Queues a "restore" job moving the head to `version`.
  Result<store::Job> Restore(const Principal& p, const std::string& id, std::int64_t version,
                             const RequestMeta& meta);

  /// {items:[step], total}: every clean operation and restore, oldest first.
  Result<nlohmann::json> History(const Principal& p, const std::string& id);

  /// {dataset_id, version, operations}: the operations producing the head from version 1
  /// (following parents, so steps undone by a restore are not included).
  Result<nlohmann::json> Recipe(const Principal& p, const std::string& id);

  /// Job handlers.
  Result<nlohmann::json> RunCleanJob(jobs::JobContext& ctx);
  Result<nlohmann::json> RunRestoreJob(jobs::JobContext& ctx);

 private:
  Result<store::Job> Enqueue(const Principal& p, const std::string& type, const nlohmann::json& payload,
                             const std::string& audit_action, const std::string& dataset_id,
                             const nlohmann::json& audit_details, const RequestMeta& meta);

  store::Database& db_;
  store::BlobStore& blobs_;
  engine::Engine& engine_;
  jobs::WorkerPool& pool_;
  DatasetService& datasets_;
  std::string temp_dir_;
};

/// The API shape of one history step.
nlohmann::json HistoryStepJson(const store::CleaningOperation& op);

}  // namespace dm::services
