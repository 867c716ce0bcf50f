#include "store/database.h"

#include <cctype>

#include <soci/postgresql/soci-postgresql.h>
#include <soci/sqlite3/soci-sqlite3.h>
#include <spdlog/spdlog.h>

#include "store/migrations.h"

namespace dm::store {

Status DatabaseError(const char* what, const std::exception& e) {
  spdlog::error("{} failed: {}", what, e.what());
  return Internal("The metadata database could not complete the request.");
}

namespace {

bool StartsWith(const std::string& s, const char* prefix) {
  return s.rfind(prefix, 0) == 0;
}

std::string RedactUrl(const std::string& url) {
  // postgresql://user:secret@host/db -> postgresql://user:***@host/db
  const auto scheme_end = url.find("://");
  const auto at = url.find('@');
  if (scheme_end == std::string::npos || at == std::string::npos) return url;
  const auto colon = url.find(':', scheme_end + 3);
  if (colon == std::string::npos || colon > at) return url;
  return url.substr(0, colon + 1) + "***" + url.substr(at);
}

std::string Decode(std::string_view in) {
  std::string out;
  for (std::size_t i = 0; i < in.size(); ++i) {
    if (in[i] == '%' && i + 2 < in.size() && std::isxdigit(static_cast<unsigned char>(in[i + 1])) &&
        std::isxdigit(static_cast<unsigned char>(in[i + 2]))) {
      out.push_back(static_cast<char>(std::stoi(std::string(in.substr(i + 1, 2)), nullptr, 16)));
      i += 2;
    } else {
      out.push_back(in[i]);
    }
  }
  return out;
}

std::string Quote(const std::string& v) {
  std::string out = "'";
  for (char c : v) {
    if (c == '\\' || c == '\'') out.push_back('\\');
    out.push_back(c);
  }
  return out + "'";
}

}  // namespace

/// postgresql://user:pass@host:port/db?k=v -> libpq keyword/value form (SOCI does not
/// pass URIs through intact).
std::string PostgresConnInfo(const std::string& url) {
  std::string_view rest(url);
  rest.remove_prefix(rest.find("://") + 3);
  std::string conninfo;
  auto add = [&conninfo](const char* key, const std::string& value) {
    if (value.empty()) return;
    if (!conninfo.empty()) conninfo += ' ';
    conninfo += std::string(key) + "=" + Quote(value);
  };
  std::string_view params;
  if (const auto q = rest.find('?'); q != std::string_view::npos) {
    params = rest.substr(q + 1);
    rest = rest.substr(0, q);
  }
  std::string_view db;
  if (const auto slash = rest.find('/'); slash != std::string_view::npos) {
    db = rest.substr(slash + 1);
    rest = rest.substr(0, slash);
  }
  if (const auto at = rest.rfind('@'); at != std::string_view::npos) {
    const std::string_view cred = rest.substr(0, at);
    rest = rest.substr(at + 1);
    const auto colon = cred.find(':');
    add("user", Decode(cred.substr(0, colon)));
    if (colon != std::string_view::npos) add("password", Decode(cred.substr(colon + 1)));
  }
  const auto colon = rest.rfind(':');
  if (colon != std::string_view::npos && rest.find(']') == std::string_view::npos) {
    add("host", Decode(rest.substr(0, colon)));
    add("port", std::string(rest.substr(colon + 1)));
  } else {
    add("host", Decode(rest));
  }
  add("dbname", Decode(db));
  while (!params.empty()) {
    const auto amp = params.find('&');
    const std::string_view kv = params.substr(0, amp);
    params = amp == std::string_view::npos ? std::string_view() : params.substr(amp + 1);
    const auto eq = kv.find('=');
    if (eq != std::string_view::npos) {
      const std::string key = Decode(kv.substr(0, eq));
      if (!key.empty() && key.find_first_not_of("abcdefghijklmnopqrstuvwxyz_") == std::string::npos) {
        add(key.c_str(), Decode(kv.substr(eq + 1)));
      }
    }
  }
  return conninfo;
}

Result<std::unique_ptr<Database>> Database::Open(const std::string& url, std::size_t pool_size) {
  std::unique_ptr<Database> db(new Database());
  db->pool_size_ = pool_size;
  db->url_ = url;
  db->pool_ = std::make_unique<soci::connection_pool>(pool_size);
  try {
    if (StartsWith(url, "postgresql://") || StartsWith(url, "postgres://")) {
      db->dialect_ = Dialect::POSTGRESQL;
      db->display_name_ = RedactUrl(url);
      for (std::size_t i = 0; i < pool_size; ++i) {
        soci::session& s = db->pool_->at(i);
        s.open(soci::postgresql, PostgresConnInfo(url));
        s << "SET TIME ZONE 'UTC'";
        s << "SET client_min_messages TO WARNING";
      }
    } else {
      std::string path = url;
      if (StartsWith(path, "sqlite://")) path = path.substr(9);
      db->dialect_ = Dialect::SQLITE;
      db->display_name_ = "sqlite";
      for (std::size_t i = 0; i < pool_size; ++i) {
        soci::session& s = db->pool_->at(i);
        s.open(soci::sqlite3, "db=\"" + path + "\" timeout=10 shared_cache=false");
        s << "PRAGMA journal_mode=WAL";
        s << "PRAGMA synchronous=NORMAL";
        s << "PRAGMA foreign_keys=ON";
        s << "PRAGMA busy_timeout=10000";
      }
    }
  } catch (const std::exception& e) {
    spdlog::error("cannot open metadata database {}: {}", RedactUrl(url), e.what());
    return Status(ErrorCode::UNAVAILABLE, "The metadata database cannot be opened: " + std::string(e.what()));
  }
  return db;
}

Database::~Database() = default;

Result<int> Database::Migrate() {
  return ApplyMigrations(*this);
}

Status Database::Ping() {
  return WithSession(*this, [](soci::session& s) -> Status {
    int one = 0;
    s << "SELECT 1", soci::into(one);
    return one == 1 ? Status::Ok() : Internal("The metadata database did not answer.");
  });
}

}  // namespace dm::store
