#include "api/job_socket.h"

#include "jobs/worker_pool.h"

namespace dm::api {

namespace {
constexpr std::size_t kMaxSubscriptions = 100;

}  // namespace

bool JobStream::Admit(const nlohmann::json& job) {
  const std::string status = job.value("status", "");
  const int rank = status == "queued" ? 0 : status == "running" ? 1 : 2;
  const double progress =
      job.contains("progress") && job["progress"].is_number() ? job["progress"].get<double>() : 0;
  if (rank < rank_ || (rank == rank_ && rank < 2 && progress < progress_)) return false;
  rank_ = rank;
  progress_ = progress;
  return true;
}

JobSocket::~JobSocket() {
  std::lock_guard<std::mutex> lock(mu_);
  for (auto token : tokens_) bus_.Unsubscribe(token);
}

void JobSocket::SendError(const Status& s) {
  channel_->Send(nlohmann::json{
      {"error", {{"code", ErrorCodeName(s.code())}, {"message", s.message()}, {"details", s.details()}}}}
                     .dump());
}

void JobSocket::OnMessage(const std::string& text) {
  const auto msg = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!msg.is_object() || !msg.contains("subscribe") || !msg["subscribe"].is_string()) {
    SendError(Invalid("Send {\"subscribe\":\"job:<id>\"}."));
    return;
  }
  const std::string topic = msg["subscribe"].get<std::string>();
  if (topic.rfind("job:", 0) != 0) {
    SendError(Invalid("Only job subscriptions (job:<id>) are supported."));
    return;
  }
  const std::string job_id = topic.substr(4);
  if (auto check = datasets_.GetJob(principal_, job_id); !check.ok()) {
    SendError(check.status());
    return;
  }
  auto stream = std::make_shared<JobStream>();
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (tokens_.size() >= kMaxSubscriptions) {
      SendError(Invalid("Too many subscriptions on one connection."));
      return;
    }
    std::weak_ptr<http::WebSocketChannel> weak = channel_;
    tokens_.push_back(bus_.Subscribe(job_id, [weak, stream](const nlohmann::json& job) {
      if (auto ch = weak.lock()) stream->Send(job, [&](const std::string& text) { ch->Send(text); });
    }));
  }
  // Subscribed first, then read: a change in between is sent twice rather than missed (or,
  // when the read is older than it, dropped by the stream).
  auto job = datasets_.GetJob(principal_, job_id);
  if (job.ok()) stream->Send(jobs::JobToJson(*job), [&](const std::string& text) { channel_->Send(text); });
}

}  // namespace dm::api
