#pragma once
/// WebSocket /api/v1/ws: a client sends {"subscribe":"job:<id>"} and receives the job
/// object now and on every change. Only the caller's organization's jobs.

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "http/websocket.h"
#include "jobs/progress_bus.h"
#include "services/dataset_service.h"

namespace dm::api {

/// One subscription's stream of a job. A job only moves forward (queued, running, ended;
/// progress up), but two senders race: the bus, and the snapshot read after subscribing,
/// which can be read before a change and sent after it (seen as progress 1.0, 0.0, 100 in
/// tests/api). So a state older than the last one sent is dropped, never sent out of order.
/// A job re-queued after its worker was lost (another node's stale-heartbeat sweep) shows
/// again once its new run passes the old progress; its end is always sent.
class JobStream {
 public:
  /// Sends `job` (as JSON text) through `send` unless it is older than the last one sent.
  template <class Sender>
  void Send(const nlohmann::json& job, Sender&& send) {
    std::lock_guard<std::mutex> lock(mu_);
    if (Admit(job)) send(job.dump());
  }

 private:
  bool Admit(const nlohmann::json& job);

  std::mutex mu_;
  int rank_ = -1;
  double progress_ = 0;
};

class JobSocket final : public http::WebSocketHandler {
 public:
  JobSocket(services::Principal principal, std::shared_ptr<http::WebSocketChannel> channel,
            services::DatasetService& datasets, jobs::ProgressBus& bus)
      : principal_(std::move(principal)), channel_(std::move(channel)), datasets_(datasets), bus_(bus) {}
  ~JobSocket() override;

  void OnMessage(const std::string& text) override;

 private:
  void SendError(const Status& s);

  services::Principal principal_;
  std::shared_ptr<http::WebSocketChannel> channel_;
  services::DatasetService& datasets_;
  jobs::ProgressBus& bus_;
  std::mutex mu_;
  std::vector<std::uint64_t> tokens_;
};

}  // namespace dm::api
