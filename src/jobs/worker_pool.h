#pragma once
/// Background job execution: worker threads claim queued jobs from the database queue,
/// run the handler registered for the job's type, report progress (persisted and
/// published on the ProgressBus), honour cancellation, and record the outcome. Jobs a
/// crashed process left running are re-queued (at start-up for the embedded database;
/// by heartbeat age when several nodes share PostgreSQL).

#include <atomic>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/status.h"
#include "jobs/progress_bus.h"
#include "store/database.h"
#include "store/records.h"

namespace dm::jobs {

struct JobContext {
  store::Job job;
  /// Reports progress (0-100) and a message; returns false once cancellation was asked.
  std::function<bool(double percent, const std::string& message)> progress;
};

/// Returns the job's result JSON, or a Status (CANCELED when it stopped on request).
using JobHandler = std::function<Result<nlohmann::json>(JobContext&)>;

/// The API shape of a job.
nlohmann::json JobToJson(const store::Job& job);

class WorkerPool {
 public:
  WorkerPool(store::Database& db, ProgressBus& bus, int workers);
  ~WorkerPool();

  void Register(const std::string& type, JobHandler handler);
  /// Re-queues orphaned jobs and starts the workers (no-op with 0 workers).
  void Start(bool single_process);
  void Stop();
  /// Wakes an idle worker (after enqueueing).
  void Wake();
  /// Marks a running job for cancellation in this process (the database flag reaches
  /// workers of other processes).
  void Cancel(const std::string& job_id);
  /// Publishes the job's current state to subscribers.
  void Publish(const store::Job& job);

 private:
  void Loop(int index);
  void Execute(store::Job job);
  void Maintain();
  /// PostgreSQL only: LISTENs on the job channel on a dedicated connection and republishes
  /// other nodes' job changes on the local bus, so a WebSocket on any node sees every job.
  void ListenRemote();

  store::Database& db_;
  ProgressBus& bus_;
  int workers_;
  std::string node_id_;
  std::unordered_map<std::string, JobHandler> handlers_;
  std::vector<std::thread> threads_;
  std::thread maintenance_;
  std::thread listener_;
  std::atomic<bool> stopping_{false};
  std::mutex mu_;
  std::condition_variable wake_;
  std::set<std::string> cancel_requested_;
  std::set<std::string> running_;
};

}  // namespace dm::jobs
