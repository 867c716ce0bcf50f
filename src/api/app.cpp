#include "api/app.h"

#include <unistd.h>

#include <strings.h>

#include <cstring>
#include <filesystem>

#include <spdlog/spdlog.h>

#include "api/job_socket.h"
#include "store/database.h"

namespace dm::api {

namespace fs = std::filesystem;

std::string DatabaseUrlFor(const Config& config) {
  if (!config.database_url.empty()) return config.database_url;
  return "sqlite://" + (fs::absolute(config.data_dir) / "datamorph.db").string();
}

Result<std::unique_ptr<App>> App::Create(const Config& config) {
  std::unique_ptr<App> app(new App(config));
  std::error_code ec;
  fs::create_directories(config.data_dir, ec);
  if (ec) return Status(ErrorCode::UNAVAILABLE, "Cannot create the data directory: " + ec.message());
  fs::permissions(config.data_dir, fs::perms::owner_all, fs::perm_options::replace, ec);
  fs::create_directories(app->temp_dir(), ec);

  const bool postgres = DatabaseUrlFor(config).rfind("postgres", 0) == 0;
  DM_ASSIGN_OR_RETURN(app->db_, store::Database::Open(DatabaseUrlFor(config), postgres ? 16 : 8));
  DM_ASSIGN_OR_RETURN(int applied, app->db_->Migrate());
  if (applied > 0) spdlog::info("database {}: {} migration(s) applied", app->db_->display_name(), applied);

  std::string key;
  if (const char* env_key = std::getenv("DATAMORPH_JWT_SECRET"); env_key && std::strlen(env_key) >= 32) {
    key = env_key;  // shared by every node of a scaled-out deployment
  } else {
    DM_ASSIGN_OR_RETURN(key, services::LoadOrCreateSigningKey(config.data_dir + "/jwt.key"));
  }
  app->signer_ = std::make_unique<services::AccessTokenSigner>(std::move(key));
  app->identity_ = std::make_unique<services::IdentityService>(*app->db_, *app->signer_, app->config_);
  app->workspace_ = std::make_unique<services::WorkspaceService>(*app->db_, *app->identity_);

  app->blobs_ = std::make_unique<store::LocalBlobStore>((fs::absolute(config.data_dir) / "blobs").string());
  engine::EngineOptions engine_options;
  engine_options.temp_dir = app->temp_dir() + "/duckdb";
  // Bounds the server's peak memory while ingesting large files (spills to temp_dir beyond it).
  engine_options.memory_limit = "768MB";
  if (const char* limit = std::getenv("DATAMORPH_DUCKDB_MEMORY_LIMIT")) engine_options.memory_limit = limit;
  app->engine_ = std::make_unique<engine::Engine>(engine_options);
  DM_RETURN_IF_ERROR(app->engine_->status());
  app->pool_ = std::make_unique<jobs::WorkerPool>(*app->db_, app->bus_, config.workers);
  app->ingest_ = std::make_unique<services::IngestService>(*app->db_, *app->blobs_, *app->engine_,
                                                           *app->pool_, app->config_);
  app->datasets_ = std::make_unique<services::DatasetService>(*app->db_, *app->blobs_, *app->engine_,
                                                              *app->pool_, app->temp_dir() + "/exports");
  app->pool_->Register("ingest",
                       [svc = app->ingest_.get()](jobs::JobContext& ctx) { return svc->RunIngest(ctx); });
  app->pool_->Register(
      "profile", [svc = app->datasets_.get()](jobs::JobContext& ctx) { return svc->RunProfileJob(ctx); });
  app->clean_ = std::make_unique<services::CleanService>(*app->db_, *app->blobs_, *app->engine_, *app->pool_,
                                                         *app->datasets_, app->temp_dir() + "/clean");
  app->pool_->Register("clean",
                       [svc = app->clean_.get()](jobs::JobContext& ctx) { return svc->RunCleanJob(ctx); });
  app->pool_->Register("restore",
                       [svc = app->clean_.get()](jobs::JobContext& ctx) { return svc->RunRestoreJob(ctx); });
  app->ingest_->RemoveExpiredTus();
  app->BuildRoutes();
  return app;
}

App::~App() {
  StopWorkers();
}

void App::StartWorkers() {
  pool_->Start(/*single_process=*/db_->dialect() == store::Dialect::SQLITE);
}

void App::StopWorkers() {
  if (pool_) pool_->Stop();
}

nlohmann::json App::Health(bool& healthy) {
  const Status db_status = db_->Ping();
  const bool storage_ok = access(config_.data_dir.c_str(), W_OK) == 0;
  healthy = db_status.ok() && storage_ok;
  return {{"status", healthy ? "healthy" : "unhealthy"},
          {"database", db_status.ok() ? "connected" : "unavailable"},
          {"storage", storage_ok ? "available" : "unavailable"},
          {"version", DATAMORPH_VERSION}};
}

void App::BuildRoutes() {
  router_.SetAuthenticator([this](const http::Request& req) -> Result<services::Principal> {
    std::string token;
    const std::string_view auth = req.headers.Get("Authorization");
    if (auth.size() > 7 && strncasecmp(auth.data(), "Bearer ", 7) == 0) {
      token = std::string(auth.substr(7));
    } else {
      token = req.Cookie("dm_access");
      // Cookie sessions: refuse state changes from another origin (CSRF defence in depth
      // on top of SameSite cookies and the JSON content type).
      const std::string_view origin = req.headers.Get("Origin");
      const bool upgrade = !req.headers.Get("Upgrade").empty();  // WebSockets: no CORS protects them
      if (!token.empty() && !origin.empty() && ((req.method != "GET" && req.method != "HEAD") || upgrade)) {
        const std::string_view host = req.headers.Get("Host");
        const auto scheme_end = origin.find("://");
        if (scheme_end == std::string_view::npos || origin.substr(scheme_end + 3) != host) {
          return Forbidden("Cross-origin requests are not allowed.");
        }
      }
    }
    if (token.empty()) return Unauthenticated("Authentication is required.");
    return identity_->Authenticate(token);
  });
  AddSystemRoutes(router_, *this);
  AddAuthRoutes(router_, *this);
  AddOrganizationRoutes(router_, *this);
  AddProjectRoutes(router_, *this);
  AddDataRoutes(router_, *this);
  AddTusRoutes(router_, *this);
  AddCleanRoutes(router_, *this);
  router_.AddWebSocket("/api/v1/ws",
                       [this](const services::Principal& p, std::shared_ptr<http::WebSocketChannel> channel) {
                         return std::make_shared<JobSocket>(p, std::move(channel), *datasets_, bus_);
                       });
}

}  // namespace dm::api
