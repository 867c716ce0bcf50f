#pragma once
#include <string>

#include <nlohmann/json.hpp>

namespace dm {

/// Sets up spdlog: human-readable lines on stderr at `level`.
void InitLogging(const std::string& level);

/// Queues one structured JSON line (access log, job events) for stdout. Lines are
/// written in batches by a background thread (at most ~100 ms late), so a request
/// never waits on a write to the terminal or pipe.
void LogJson(const nlohmann::json& record);
/// Writes every queued line now (called at shutdown).
void FlushLogs();

}  // namespace dm
