#pragma once
#include <string>

#include <nlohmann/json.hpp>

namespace dm {

/// Sets up spdlog: human-readable lines on stderr at `level`.
void InitLogging(const std::string& level);

/// Writes one structured JSON line (access log, job events) to stdout.
void LogJson(const nlohmann::json& record);

}  // namespace dm
