#pragma once
/// In-process publish/subscribe of job state, keyed by job id. Workers publish every
/// change; WebSocket sessions subscribe. Across nodes sharing PostgreSQL, the WorkerPool
/// relays other nodes' changes onto this bus through LISTEN/NOTIFY.

#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <unordered_map>

#include <nlohmann/json.hpp>

namespace dm::jobs {

class ProgressBus {
 public:
  using Listener = std::function<void(const nlohmann::json& job)>;

  /// Returns a token for Unsubscribe. Listeners run on the publishing thread and must
  /// not block.
  std::uint64_t Subscribe(const std::string& job_id, Listener listener);
  void Unsubscribe(std::uint64_t token);
  void Publish(const std::string& job_id, const nlohmann::json& job);
  /// Whether anyone listens to this job here (saves fetching jobs nobody watches).
  bool HasListeners(const std::string& job_id);

 private:
  struct Entry {
    std::string job_id;
    Listener listener;
  };
  std::mutex mu_;
  std::uint64_t next_ = 1;
  std::unordered_map<std::uint64_t, Entry> listeners_;
};

}  // namespace dm::jobs
