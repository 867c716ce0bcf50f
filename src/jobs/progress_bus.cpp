#include "jobs/progress_bus.h"

#include <vector>

namespace dm::jobs {

std::uint64_t ProgressBus::Subscribe(const std::string& job_id, Listener listener) {
  std::lock_guard<std::mutex> lock(mu_);
  const std::uint64_t token = next_++;
  listeners_.emplace(token, Entry{job_id, std::move(listener)});
  return token;
}

void ProgressBus::Unsubscribe(std::uint64_t token) {
  std::lock_guard<std::mutex> lock(mu_);
  listeners_.erase(token);
}

bool ProgressBus::HasListeners(const std::string& job_id) {
  std::lock_guard<std::mutex> lock(mu_);
  for (const auto& [token, e] : listeners_) {
    if (e.job_id == job_id) return true;
  }
  return false;
}

void ProgressBus::Publish(const std::string& job_id, const nlohmann::json& job) {
  std::vector<Listener> targets;
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (const auto& [token, e] : listeners_) {
      if (e.job_id == job_id) targets.push_back(e.listener);
    }
  }
  for (const auto& l : targets) l(job);
}

}  // namespace dm::jobs
