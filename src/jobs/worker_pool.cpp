#include "jobs/worker_pool.h"

#include <sys/select.h>

#include <chrono>
#include <cmath>

#include <libpq-fe.h>

#include <spdlog/spdlog.h>

#include "core/ids.h"
#include "core/time.h"
#include "store/job_repository.h"

namespace dm::jobs {

namespace {
constexpr auto kPollInterval = std::chrono::seconds(1);
constexpr auto kProgressInterval = std::chrono::milliseconds(250);
constexpr std::int64_t kStaleAfterS = 120;
/// The PostgreSQL NOTIFY channel carrying "<node id>|<organization id>|<job id>".
constexpr const char* kJobChannel = "dm_jobs";

nlohmann::json OptionalText(const std::optional<std::string>& s) {
  return s ? nlohmann::json(*s) : nlohmann::json(nullptr);
}
}  // namespace

nlohmann::json JobToJson(const store::Job& j) {
  return {{"id", j.id},
          {"type", j.type},
          {"status", j.status},
          {"progress", std::round(j.progress * 10) / 10},
          {"message", j.message},
          {"result", j.result},
          {"error", OptionalText(j.error)},
          {"error_code", OptionalText(j.error_code)},
          {"created_at", j.created_at},
          {"started_at", OptionalText(j.started_at)},
          {"finished_at", OptionalText(j.finished_at)}};
}

WorkerPool::WorkerPool(store::Database& db, ProgressBus& bus, int workers)
    : db_(db), bus_(bus), workers_(workers), node_id_(NewId()) {}

WorkerPool::~WorkerPool() {
  Stop();
}

void WorkerPool::Register(const std::string& type, JobHandler handler) {
  handlers_[type] = std::move(handler);
}

void WorkerPool::Start(bool single_process) {
  if (db_.dialect() == store::Dialect::POSTGRESQL && !listener_.joinable()) {
    listener_ = std::thread([this] { ListenRemote(); });
  }
  if (workers_ <= 0) return;
  // Embedded mode has one process: anything still "running" was orphaned by a crash.
  const std::int64_t stale_before = single_process ? NowUnix() + 1 : NowUnix() - kStaleAfterS;
  auto requeued = store::WithSession(
      db_, [&](soci::session& s) -> Result<int> { return store::jobs::RequeueStale(s, stale_before); });
  if (requeued.ok() && *requeued > 0) spdlog::warn("re-queued {} interrupted job(s)", *requeued);
  for (int i = 0; i < workers_; ++i) threads_.emplace_back([this, i] { Loop(i); });
  maintenance_ = std::thread([this] { Maintain(); });
}

void WorkerPool::Stop() {
  if (stopping_.exchange(true)) return;
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (const auto& id : running_) cancel_requested_.insert(id);  // running jobs stop and re-queue
  }
  wake_.notify_all();
  for (auto& t : threads_) t.join();
  if (maintenance_.joinable()) maintenance_.join();
  if (listener_.joinable()) listener_.join();
}

void WorkerPool::Wake() {
  wake_.notify_one();
}

void WorkerPool::Cancel(const std::string& job_id) {
  std::lock_guard<std::mutex> lock(mu_);
  if (running_.count(job_id)) cancel_requested_.insert(job_id);
}

void WorkerPool::Publish(const store::Job& job) {
  bus_.Publish(job.id, JobToJson(job));
  if (db_.dialect() != store::Dialect::POSTGRESQL) return;
  // Other nodes' WebSocket clients learn of the change through their listener.
  const std::string payload = node_id_ + "|" + job.organization_id + "|" + job.id;
  (void)store::WithSession(db_, [&](soci::session& s) -> Status {
    s << "SELECT pg_notify('" << kJobChannel << "', :p)", soci::use(payload);
    return Status::Ok();
  });
}

void WorkerPool::ListenRemote() {
  const std::string conninfo = store::PostgresConnInfo(db_.url());
  auto backoff = std::chrono::milliseconds(200);
  while (!stopping_) {
    PGconn* conn = PQconnectdb(conninfo.c_str());
    if (PQstatus(conn) == CONNECTION_OK) {
      PGresult* listened = PQexec(conn, (std::string("LISTEN ") + kJobChannel).c_str());
      const bool ok = PQresultStatus(listened) == PGRES_COMMAND_OK;
      PQclear(listened);
      if (ok) backoff = std::chrono::milliseconds(200);
      while (ok && !stopping_ && PQstatus(conn) == CONNECTION_OK) {
        const int fd = PQsocket(conn);
        fd_set in;
        FD_ZERO(&in);
        FD_SET(fd, &in);
        timeval tv{0, 250000};  // wakes 4x a second to notice Stop()
        if (select(fd + 1, &in, nullptr, nullptr, &tv) < 0) break;
        if (PQconsumeInput(conn) == 0) break;
        while (PGnotify* n = PQnotifies(conn)) {
          const std::string payload = n->extra != nullptr ? n->extra : "";
          PQfreemem(n);
          const auto a = payload.find('|'), b = payload.rfind('|');
          if (a == std::string::npos || b == a) continue;
          if (payload.compare(0, a, node_id_) == 0 && a == node_id_.size()) continue;  // our own
          const std::string job_id = payload.substr(b + 1);
          if (!bus_.HasListeners(job_id)) continue;
          const store::TenantId tenant(payload.substr(a + 1, b - a - 1));
          auto job = store::WithSession(db_, [&](soci::session& s) -> Result<std::optional<store::Job>> {
            return store::jobs::Find(s, tenant, job_id);
          });
          if (job.ok() && *job) bus_.Publish(job_id, JobToJson(**job));
        }
      }
    }
    PQfinish(conn);
    if (stopping_) break;
    spdlog::warn("job event listener: PostgreSQL connection lost; reconnecting");
    std::this_thread::sleep_for(backoff);
    backoff = std::min(backoff * 2, std::chrono::milliseconds(5000));
  }
}

void WorkerPool::Loop(int index) {
  const std::string worker_id = node_id_ + "/" + std::to_string(index);
  while (!stopping_) {
    auto claimed = store::WithSession(db_, [&](soci::session& s) -> Result<std::optional<store::Job>> {
      return store::jobs::ClaimNext(s, db_.dialect(), worker_id);
    });
    if (claimed.ok() && claimed->has_value()) {
      Execute(std::move(**claimed));
      continue;
    }
    std::unique_lock<std::mutex> lock(mu_);
    wake_.wait_for(lock, kPollInterval);
  }
}

void WorkerPool::Execute(store::Job job) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    running_.insert(job.id);
  }
  Publish(job);
  spdlog::info("job {} ({}) started", job.id, job.type);
  auto last_write = std::chrono::steady_clock::now() - kProgressInterval;
  auto last_db_check = std::chrono::steady_clock::now();
  bool canceled = false;

  JobContext ctx;
  ctx.job = job;
  ctx.progress = [&](double percent, const std::string& message) -> bool {
    const auto now = std::chrono::steady_clock::now();
    {
      std::lock_guard<std::mutex> lock(mu_);
      canceled = canceled || cancel_requested_.count(job.id) > 0;
    }
    if (!canceled && now - last_db_check > std::chrono::seconds(1)) {
      last_db_check = now;
      auto flag = store::WithSession(
          db_, [&](soci::session& s) -> Result<bool> { return store::jobs::IsCancelRequested(s, job.id); });
      canceled = flag.ok() && *flag;
    }
    if (now - last_write >= kProgressInterval) {
      last_write = now;
      job.progress = std::clamp(percent, 0.0, 99.9);
      job.message = message;
      (void)store::WithSession(db_, [&](soci::session& s) -> Status {
        store::jobs::UpdateProgress(s, job.id, job.progress, job.message);
        return Status::Ok();
      });
      Publish(job);
    }
    return !canceled;
  };

  Result<nlohmann::json> outcome = Internal("No handler is registered for this job type.");
  if (auto it = handlers_.find(job.type); it != handlers_.end()) {
    try {
      outcome = it->second(ctx);
    } catch (const std::exception& e) {
      spdlog::error("job {} threw: {}", job.id, e.what());
      outcome = Internal("The job failed unexpectedly; the error has been logged.");
    }
  }

  const bool shutting_down = stopping_.load();
  std::optional<store::Job> finished;
  (void)store::WithSession(db_, [&](soci::session& s) -> Status {
    if (outcome.ok()) {
      store::jobs::Finish(s, job.id, "succeeded", *outcome, std::nullopt);
    } else if (outcome.status().code() == ErrorCode::CANCELED && shutting_down) {
      store::jobs::Requeue(s, job.id);  // resumes after restart; inputs are kept
    } else if (outcome.status().code() == ErrorCode::CANCELED) {
      store::jobs::Finish(s, job.id, "canceled", nullptr, std::string("Canceled on request."),
                          std::string("CANCELED"));
    } else {
      store::jobs::Finish(s, job.id, "failed", nullptr, outcome.status().message(),
                          std::string(ErrorCodeName(outcome.status().code())));
    }
    finished = store::jobs::Find(s, store::TenantId(job.organization_id), job.id);
    return Status::Ok();
  });
  if (finished) Publish(*finished);  // outside the session: Publish may take one (NOTIFY)
  spdlog::info("job {} ({}) finished: {}", job.id, job.type,
               outcome.ok() ? "ok" : outcome.status().message());
  std::lock_guard<std::mutex> lock(mu_);
  running_.erase(job.id);
  cancel_requested_.erase(job.id);
}

void WorkerPool::Maintain() {
  auto next = std::chrono::steady_clock::now();
  while (!stopping_) {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    if (std::chrono::steady_clock::now() < next) continue;
    next = std::chrono::steady_clock::now() + std::chrono::seconds(15);
    std::vector<std::string> running;
    {
      std::lock_guard<std::mutex> lock(mu_);
      running.assign(running_.begin(), running_.end());
    }
    (void)store::WithSession(db_, [&](soci::session& s) -> Status {
      for (const auto& id : running) store::jobs::Heartbeat(s, id);
      store::jobs::RequeueStale(s, NowUnix() - kStaleAfterS);
      return Status::Ok();
    });
  }
}

}  // namespace dm::jobs
