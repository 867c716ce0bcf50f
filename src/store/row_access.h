#pragma once
/// Null-tolerant accessors for soci::row, identical on SQLite and PostgreSQL.

#include <optional>
#include <string>

#include <soci/soci.h>
#include <nlohmann/json.hpp>

namespace dm::store {

inline std::string Text(const soci::row& r, std::size_t i) {
  return r.get_indicator(i) == soci::i_null ? std::string() : r.get<std::string>(i);
}

inline std::optional<std::string> OptText(const soci::row& r, std::size_t i) {
  if (r.get_indicator(i) == soci::i_null) return std::nullopt;
  return r.get<std::string>(i);
}

/// Integer column; SQLite and PostgreSQL report different widths for the same column.
inline long long Int(const soci::row& r, std::size_t i) {
  if (r.get_indicator(i) == soci::i_null) return 0;
  switch (r.get_properties(i).get_data_type()) {
    case soci::dt_integer:
      return r.get<int>(i);
    case soci::dt_long_long:
      return r.get<long long>(i);
    case soci::dt_unsigned_long_long:
      return static_cast<long long>(r.get<unsigned long long>(i));
    case soci::dt_double:
      return static_cast<long long>(r.get<double>(i));
    case soci::dt_string:
      return std::stoll(r.get<std::string>(i));
    default:
      return 0;
  }
}

}  // namespace dm::store

namespace dm::store {

/// JSON stored as TEXT; unreadable text yields `fallback`.
inline nlohmann::json JsonText(const soci::row& r, std::size_t i, nlohmann::json fallback = nullptr) {
  if (r.get_indicator(i) == soci::i_null) return fallback;
  auto j = nlohmann::json::parse(r.get<std::string>(i), nullptr, /*allow_exceptions=*/false);
  return j.is_discarded() ? fallback : j;
}

inline std::string DumpJson(const nlohmann::json& j) {
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

inline double Real(const soci::row& r, std::size_t i) {
  if (r.get_indicator(i) == soci::i_null) return 0;
  switch (r.get_properties(i).get_data_type()) {
    case soci::dt_double:
      return r.get<double>(i);
    case soci::dt_integer:
      return r.get<int>(i);
    case soci::dt_long_long:
      return static_cast<double>(r.get<long long>(i));
    case soci::dt_string:
      return std::stod(r.get<std::string>(i));
    default:
      return 0;
  }
}

}  // namespace dm::store
