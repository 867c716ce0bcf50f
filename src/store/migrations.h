#pragma once
#include <string>
#include <vector>

#include "core/status.h"

namespace dm::store {

class Database;

/// One schema step. SQL is written in the common subset of SQLite and PostgreSQL
/// (TEXT ids and ISO-8601 timestamps, BIGINT counters); `postgresql_sql`, when set,
/// replaces `sql` on PostgreSQL.
struct Migration {
  int version;
  const char* name;
  std::vector<std::string> sql;
};

const std::vector<Migration>& AllMigrations();

/// Applies every migration newer than the database's version, each in its own
/// transaction (serialised across nodes with an advisory lock on PostgreSQL).
Result<int> ApplyMigrations(Database& db);

}  // namespace dm::store
