#pragma once
/// Failed-login counters per key (email + client IP), kept in the metadata database so
/// every server node sees the same counts.

#include <soci/soci.h>
#include <cstdint>

namespace dm::store::login_throttle {

/// Unix seconds until which the key is locked (0 if not locked).
std::int64_t LockedUntil(soci::session& s, const std::string& key);
/// Counts one failure in a window of `window_s`; locks for `lockout_s` at `max_failures`.
/// Returns the lock deadline (0 if not locked).
std::int64_t RecordFailure(soci::session& s, const std::string& key, std::int64_t now, int max_failures,
                           int window_s, int lockout_s);
void Reset(soci::session& s, const std::string& key);

}  // namespace dm::store::login_throttle
