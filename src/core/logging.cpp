#include "core/logging.h"

#include <cstdio>
#include <mutex>

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

void LogJson(const nlohmann::json& record) {
  static std::mutex mu;
  nlohmann::json line = record;
  line["ts"] = NowIso();
  const std::string text = line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
  std::lock_guard<std::mutex> lock(mu);
  std::fwrite(text.data(), 1, text.size(), stdout);
  std::fflush(stdout);
}

}  // namespace dm
