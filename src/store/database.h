#pragma once
/// Metadata database: a SOCI connection pool over SQLite (embedded default) or
/// PostgreSQL (scale-out). Repositories lease a session per call.

#include <memory>
#include <string>

#include <soci/soci.h>

#include "core/status.h"

namespace dm::store {

enum class Dialect { SQLITE, POSTGRESQL };

class Database {
 public:
  /// `url` is "sqlite:///abs/path.db" / a plain file path, or "postgresql://...".
  static Result<std::unique_ptr<Database>> Open(const std::string& url, std::size_t pool_size);
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  Dialect dialect() const { return dialect_; }
  soci::connection_pool& pool() { return *pool_; }
  /// A description safe to log (no password).
  const std::string& display_name() const { return display_name_; }
  /// The URL it was opened with (holds credentials: never log it).
  const std::string& url() const { return url_; }

  /// Applies pending migrations; returns how many were applied.
  Result<int> Migrate();
  /// Cheap liveness probe (SELECT 1).
  Status Ping();

 private:
  Database() = default;
  Dialect dialect_ = Dialect::SQLITE;
  std::size_t pool_size_ = 0;
  std::unique_ptr<soci::connection_pool> pool_;
  std::string display_name_;
  std::string url_;
};

/// Runs `fn(session)` with a pooled session, converting SOCI/std exceptions into an
/// INTERNAL Status (logged with the cause; the message shown to clients is generic).
template <typename Fn>
auto WithSession(Database& db, Fn&& fn) -> decltype(fn(std::declval<soci::session&>()));

Status DatabaseError(const char* what, const std::exception& e);

/// libpq keyword/value connection string for a postgresql:// URL.
std::string PostgresConnInfo(const std::string& url);

template <typename Fn>
auto WithSession(Database& db, Fn&& fn) -> decltype(fn(std::declval<soci::session&>())) {
  try {
    soci::session session(db.pool());
    return fn(session);
  } catch (const std::exception& e) {
    return DatabaseError("metadata query", e);
  }
}

}  // namespace dm::store
