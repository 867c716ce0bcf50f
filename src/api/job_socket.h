#pragma once
/// WebSocket /api/v1/ws: a client sends {"subscribe":"job:<id>"} and receives the job
/// object now and on every change. Only the caller's organization's jobs.

#include <memory>
#include <mutex>
#include <vector>

#include "http/websocket.h"
#include "jobs/progress_bus.h"
#include "services/dataset_service.h"

namespace dm::api {

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
