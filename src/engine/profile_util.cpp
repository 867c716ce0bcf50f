/// Helpers shared by the profiler's passes (declared in profile_internal.h).

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <string>

#include "engine/profile_internal.h"
#include "engine/sql.h"

namespace dm::engine::profile {

std::optional<double> ToDouble(const json& v) {
  if (v.is_number()) return v.get<double>();
  if (v.is_string()) {
    const std::string& s = v.get_ref<const std::string&>();
    double d = 0;
    const auto r = std::from_chars(s.data(), s.data() + s.size(), d);
    if (r.ec == std::errc() && r.ptr == s.data() + s.size() && std::isfinite(d)) return d;
  }
  return std::nullopt;
}

std::int64_t ToInt(const json& v) {
  const auto d = ToDouble(v);
  return d ? static_cast<std::int64_t>(*d) : 0;
}

json FiniteOrNull(const json& v) {
  const auto d = ToDouble(v);
  return d ? json(*d) : json(nullptr);
}

/// A DOUBLE literal, exact (shortest round-trip) and locale-free.
std::string DoubleLiteral(double d) {
  char buf[64];
  const auto r = std::to_chars(buf, buf + sizeof(buf), d);
  return "CAST(" + QuoteLiteral(std::string(buf, r.ptr)) + " AS DOUBLE)";
}

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

bool NameHas(const std::string& name, std::initializer_list<const char*> hints) {
  const std::string lower = Lower(name);
  return std::any_of(hints.begin(), hints.end(),
                     [&](const char* h) { return lower.find(h) != std::string::npos; });
}

/// Name hint as a whole word-ish token ("lat", "lat_deg", "pickup_lat" but not "platform").
bool NameToken(const std::string& name, std::initializer_list<const char*> tokens) {
  const std::string lower = Lower(name);
  for (const char* t : tokens) {
    const std::string tok(t);
    for (std::size_t pos = lower.find(tok); pos != std::string::npos; pos = lower.find(tok, pos + 1)) {
      const bool left = pos == 0 || !std::isalpha(static_cast<unsigned char>(lower[pos - 1]));
      const std::size_t end = pos + tok.size();
      const bool right = end == lower.size() || !std::isalpha(static_cast<unsigned char>(lower[end]));
      if (left && right) return true;
    }
  }
  return false;
}

std::string Ident(const Column& c) {
  return QuoteIdent(c.name);
}

bool IdNamed(const std::string& name) {
  if (NameToken(name, {"id", "uuid", "guid", "key", "pk"})) return true;
  if (name.size() < 3) return false;
  const std::string tail = name.substr(name.size() - 2);
  return (tail == "Id" || tail == "ID") && std::islower(static_cast<unsigned char>(name[name.size() - 3]));
}

/// The column as DOUBLE for numeric statistics; non-finite floats become NULL.
std::string NumericValue(const Column& c) {
  if (c.is_float) return "CASE WHEN isfinite(" + Ident(c) + ") THEN CAST(" + Ident(c) + " AS DOUBLE) END";
  return "CAST(" + Ident(c) + " AS DOUBLE)";
}

/// Days since 1970-01-01 to civil date (H. Hinnant's algorithm).
void CivilFromDays(std::int64_t z, std::int64_t& y, unsigned& m, unsigned& d) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  y = static_cast<std::int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  if (m <= 2) ++y;
}

/// Epoch seconds as ISO "YYYY-MM-DDTHH:MM:SS" (whole seconds).
std::string IsoFromEpoch(double seconds) {
  const auto s = static_cast<std::int64_t>(std::floor(seconds));
  const std::int64_t days = s >= 0 ? s / 86400 : -((-s + 86399) / 86400);
  const std::int64_t rem = s - days * 86400;
  std::int64_t y = 0;
  unsigned m = 0, d = 0;
  CivilFromDays(days, y, m, d);
  const auto secs = static_cast<unsigned>(rem);  // [0, 86400)
  char buf[96];
  std::snprintf(buf, sizeof(buf), "%04lld-%02u-%02uT%02u:%02u:%02u", static_cast<long long>(y), m, d,
                secs / 3600, secs / 60 % 60, secs % 60);
  return buf;
}

std::string From(const std::string& source) {
  return " FROM " + source;
}

}  // namespace dm::engine::profile
