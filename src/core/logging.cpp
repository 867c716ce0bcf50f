#include "core/logging.h"

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <string>
#include <thread>

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include "core/time.h"

namespace dm {

void InitLogging(const std::string& level) {
  auto logger = spdlog::stderr_color_mt("datamorph");
  logger->set_pattern("%Y-%m-%dT%H:%M:%S.%eZ %^%l%$ %v", spdlog::pattern_time_type::utc);
  spdlog::set_default_logger(logger);
  spdlog::set_level(spdlog::level::from_str(level));
}

namespace {

/// Batches lines and writes them from one thread.
class LineWriter {
 public:
  LineWriter() : thread_([this] { Run(); }) {
    std::atexit([] { FlushLogs(); });
  }

  void Append(std::string line) {
    std::lock_guard<std::mutex> lock(mu_);
    if (pending_.size() > (16u << 20)) return;  // the reader is stuck: drop rather than grow
    pending_ += line;
    if (pending_.size() > (64u << 10)) wake_.notify_one();
  }

  void Flush() {
    std::string out;
    {
      std::lock_guard<std::mutex> lock(mu_);
      out.swap(pending_);
    }
    std::lock_guard<std::mutex> io(io_mu_);
    if (!out.empty()) std::fwrite(out.data(), 1, out.size(), stdout);
    std::fflush(stdout);
  }

 private:
  void Run() {
    for (;;) {
      {
        std::unique_lock<std::mutex> lock(mu_);
        wake_.wait_for(lock, std::chrono::milliseconds(100));
      }
      Flush();
    }
  }

  std::mutex mu_;
  std::mutex io_mu_;
  std::condition_variable wake_;
  std::string pending_;
  std::thread thread_;
};

LineWriter& Writer() {
  static LineWriter* writer = new LineWriter();  // never destroyed: its thread lives until exit
  return *writer;
}

}  // namespace

void LogJson(const nlohmann::json& record) {
  nlohmann::json line = record;
  line["ts"] = NowIso();
  Writer().Append(line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n");
}

void FlushLogs() {
  Writer().Flush();
}

}  // namespace dm
