#pragma once
/// The composition root: configuration, metadata database, services and the route
/// table. `serve` builds one App; tests build one per case.

#include <memory>
#include <string>

#include "core/config.h"
#include "engine/duckdb.h"
#include "http/router.h"
#include "jobs/progress_bus.h"
#include "jobs/worker_pool.h"
#include "services/access_token.h"
#include "services/clean_service.h"
#include "services/dataset_service.h"
#include "services/identity_service.h"
#include "services/ingest_service.h"
#include "services/workspace_service.h"
#include "store/blob_store.h"
#include "store/database.h"

namespace dm::api {

class App {
 public:
  /// Opens the data directory and database, applies migrations, loads the signing key.
  static Result<std::unique_ptr<App>> Create(const Config& config);
  ~App();

  const Config& config() const { return config_; }
  store::Database& db() { return *db_; }
  services::IdentityService& identity() { return *identity_; }
  services::WorkspaceService& workspace() { return *workspace_; }
  services::IngestService& ingest() { return *ingest_; }
  services::DatasetService& datasets() { return *datasets_; }
  services::CleanService& clean() { return *clean_; }
  jobs::ProgressBus& bus() { return bus_; }
  /// Starts the background workers (serve and worker roles).
  void StartWorkers();
  void StopWorkers();
  const http::Router& router() const { return router_; }
  /// Where streamed request bodies are written before a handler takes them.
  std::string temp_dir() const { return config_.data_dir + "/tmp"; }
  /// Health: database and storage status, as GET /health reports them.
  nlohmann::json Health(bool& healthy);

 private:
  explicit App(const Config& config) : config_(config) {}
  void BuildRoutes();

  Config config_;
  std::unique_ptr<store::Database> db_;
  std::unique_ptr<services::AccessTokenSigner> signer_;
  std::unique_ptr<services::IdentityService> identity_;
  std::unique_ptr<services::WorkspaceService> workspace_;
  std::unique_ptr<store::BlobStore> blobs_;
  std::unique_ptr<engine::Engine> engine_;
  jobs::ProgressBus bus_;
  std::unique_ptr<jobs::WorkerPool> pool_;
  std::unique_ptr<services::IngestService> ingest_;
  std::unique_ptr<services::DatasetService> datasets_;
  std::unique_ptr<services::CleanService> clean_;
  http::Router router_;
};

/// Route groups, one file each.
void AddSystemRoutes(http::Router& router, App& app);
void AddAuthRoutes(http::Router& router, App& app);
void AddOrganizationRoutes(http::Router& router, App& app);
void AddProjectRoutes(http::Router& router, App& app);
void AddDataRoutes(http::Router& router, App& app);
void AddTusRoutes(http::Router& router, App& app);
void AddCleanRoutes(http::Router& router, App& app);

/// The database URL for a config (empty = SQLite in the data dir).
std::string DatabaseUrlFor(const Config& config);

}  // namespace dm::api
