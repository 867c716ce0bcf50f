#pragma once
#include <chrono>
#include <cstdint>
#include <string>

namespace dm {

using Clock = std::chrono::system_clock;

/// UTC ISO-8601 with milliseconds, e.g. "2026-11-23T18:57:13.123Z". Sorts as text.
std::string ToIso(Clock::time_point t);
inline std::string NowIso() {
  return ToIso(Clock::now());
}
/// Seconds since the Unix epoch.
std::int64_t NowUnix();

}  // namespace dm
