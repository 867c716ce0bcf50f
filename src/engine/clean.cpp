#include "engine/clean.h"

/// Validation of cleaning operations and their compilation to one DuckDB SELECT.
///
/// The SELECT is a chain of CTEs s0, s1, ... Stage s0 reads the Parquet file with the row
/// ordinal kOrdinal; each operation adds one or a few stages that read the stage before and
/// list every column explicitly (quoted), so helper columns never leak and the column order
/// is ours. Stages are of three shapes:
///   map     SELECT <expr> AS "c", ..., "__dm_row" FROM prev          (values change)
///   filter  SELECT "c", ..., "__dm_row" FROM prev WHERE <keep>        (rows go)
///   raw     windows and GROUP BY (ffill, interpolate, deduplicate)    (order is lost: the
///           final SELECT then sorts by the ordinal)
/// Data-dependent values (a median, outlier bounds, the date formats found in a column, the
/// decimal separator) come from the Resolver: compiled without data they are scalar
/// subqueries over the stage before; compiled for data they are computed once and inlined as
/// typed literals, which keeps the final SELECT streaming.
///
/// With a token, a second variant of the chain counts per operation in the same pass
/// (clean_run.cpp registers the functions): map stages route the ordinal through
/// __dm_tally(token, op, changed, ordinal), filter stages test __dm_keep(token, op, keep,
/// ordinal). Because the ordinal of every stage then comes out of a volatile function, DuckDB
/// cannot push a later filter below an earlier operation, so each counter sees exactly the
/// rows that reach its operation.

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <functional>
#include <set>

#include "engine/clean_internal.h"
#include "engine/formula.h"
#include "engine/sql.h"

namespace dm::engine::clean {
namespace {

using internal::CountKind;
using internal::Resolver;
using nlohmann::json;

constexpr const char* kReservedPrefix = "__dm_";

std::string Lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::string Id(const std::string& name) {
  return QuoteIdent(name);
}

const std::string& Ord() {
  static const std::string ord = QuoteIdent(kOrdinal);
  return ord;
}

/// A column as the chain knows it.
struct Col {
  std::string name;
  std::string type;         // API type
  std::string duckdb_type;  // DuckDB spelling ("" when unknown without data)
  std::string origin;       // the input column it derives from, "" for a new column
  bool changed = false;     // whether an operation replaced its values (see Builder::Map)
};

/// A column that still holds its input column's values unchanged (possibly renamed).
bool Pristine(const Col& c) {
  return !c.changed && !c.origin.empty();
}

bool IsNumeric(const Col& c) {
  return c.type == "integer" || c.type == "float" || c.type == "decimal";
}
bool IsText(const Col& c) {
  return c.type == "string" && (c.duckdb_type == "VARCHAR" || c.duckdb_type.starts_with("ENUM("));
}
bool IsTemporal(const Col& c) {
  return c.type == "date" || c.type == "timestamp";
}
/// A plain scalar type whose DuckDB spelling may be used in a CAST (no nested types).
bool IsScalar(const Col& c) {
  if (c.duckdb_type.empty()) return false;
  for (const char ch : c.duckdb_type) {
    if (!(std::isalnum(static_cast<unsigned char>(ch)) || ch == ' ' || ch == '(' || ch == ')' || ch == ',' ||
          ch == '_')) {
      return false;
    }
  }
  return !c.duckdb_type.starts_with("STRUCT") && !c.duckdb_type.starts_with("MAP") &&
         !c.duckdb_type.starts_with("UNION") && !c.duckdb_type.starts_with("ENUM");
}

std::string DescribeType(const Col& c) {
  if (c.type == "string" && !IsText(c)) return c.duckdb_type.empty() ? "string" : c.duckdb_type;
  return c.type;
}

std::string DoubleLiteral(double d) {
  char buf[64];
  const auto r = std::to_chars(buf, buf + sizeof(buf), d);
  return "CAST(" + QuoteLiteral(std::string(buf, r.ptr)) + " AS DOUBLE)";
}

std::string JsonText(const json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_boolean()) return v.get<bool>() ? "true" : "false";
  if (v.is_number_integer()) return v.dump();
  if (v.is_number_float()) {
    char buf[64];
    const auto r = std::to_chars(buf, buf + sizeof(buf), v.get<double>());
    return std::string(buf, r.ptr);
  }
  return v.dump();
}

bool ParseDouble(const std::string& s, double& out) {
  std::size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  if (b == e) return false;
  const char* first = s.data() + b;
  if (*first == '+') ++first;
  const auto r = std::from_chars(first, s.data() + e, out);
  return r.ec == std::errc() && r.ptr == s.data() + e && std::isfinite(out);
}

bool ValidDate(int y, int m, int d) {
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (y < 1 || y > 9999 || m < 1 || m > 12 || d < 1) return false;
  const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return d <= kDays[m - 1] + (m == 2 && leap ? 1 : 0);
}

bool LooksLikeDate(const std::string& s, bool allow_time) {
  int y = 0, m = 0, d = 0, consumed = 0;
  if (std::sscanf(s.c_str(), "%4d-%2d-%2d%n", &y, &m, &d, &consumed) != 3 || consumed != 10) return false;
  if (!ValidDate(y, m, d)) return false;
  if (s.size() == 10) return true;
  if (!allow_time) return false;
  int hh = 0, mm = 0;
  double ss = 0;
  const char sep = s[10];
  if (sep != ' ' && sep != 'T') return false;
  const int n = std::sscanf(s.c_str() + 11, "%2d:%2d:%lf", &hh, &mm, &ss);
  return n >= 2 && hh >= 0 && hh < 24 && mm >= 0 && mm < 60 && ss >= 0 && ss < 61;
}

/// Parsing of one operation's parameters, with errors naming the operation and field.
class OpReader {
 public:
  OpReader(const json& op, std::size_t index, std::string type)
      : op_(op), index_(index), type_(std::move(type)) {}

  std::size_t index() const { return index_; }
  const std::string& type() const { return type_; }

  Status Error(const std::string& field, const std::string& message) const {
    return Invalid("operation " + std::to_string(index_) + " (" + type_ + "): " + message,
                   {{"index", index_}, {"field", field}});
  }

  Status AllowOnly(std::initializer_list<const char*> fields) const {
    for (const auto& [key, value] : op_.items()) {
      if (key == "type") continue;
      if (std::none_of(fields.begin(), fields.end(), [&](const char* f) { return key == f; })) {
        return Error(key, "unknown field '" + key + "'");
      }
    }
    return Status::Ok();
  }

  bool Has(const char* field) const { return op_.contains(field) && !op_[field].is_null(); }
  const json& Raw(const char* field) const { return op_[field]; }

  Result<std::string> String(const char* field, std::optional<std::string> fallback = std::nullopt,
                             bool allow_empty = false) const {
    if (!Has(field)) {
      if (fallback) return *fallback;
      return Error(field, std::string("'") + field + "' is required");
    }
    if (!op_[field].is_string()) return Error(field, std::string("'") + field + "' must be a string");
    std::string value = op_[field].get<std::string>();
    if (value.empty() && !allow_empty) return Error(field, std::string("'") + field + "' must not be empty");
    return value;
  }

  Result<std::string> Enum(const char* field, const std::vector<std::string>& allowed,
                           std::optional<std::string> fallback = std::nullopt) const {
    DM_ASSIGN_OR_RETURN(std::string value, String(field, fallback));
    if (std::find(allowed.begin(), allowed.end(), value) != allowed.end()) return value;
    std::string list;
    for (std::size_t i = 0; i < allowed.size(); ++i) list += (i ? ", " : "") + allowed[i];
    return Error(field, std::string("'") + field + "' must be one of " + list + ", not '" + value + "'");
  }

  Result<bool> Bool(const char* field, bool fallback) const {
    if (!Has(field)) return fallback;
    if (!op_[field].is_boolean()) return Error(field, std::string("'") + field + "' must be true or false");
    return op_[field].get<bool>();
  }

  Result<std::optional<double>> Number(const char* field) const {
    if (!Has(field)) return std::optional<double>();
    if (!op_[field].is_number()) return Error(field, std::string("'") + field + "' must be a number");
    const double v = op_[field].get<double>();
    if (!std::isfinite(v)) return Error(field, std::string("'") + field + "' must be a finite number");
    return std::optional<double>(v);
  }

  Result<std::vector<std::string>> Strings(const char* field, bool required) const {
    if (!Has(field)) {
      if (required) return Error(field, std::string("'") + field + "' is required");
      return std::vector<std::string>();
    }
    const json& v = op_[field];
    if (!v.is_array()) return Error(field, std::string("'") + field + "' must be an array of strings");
    std::vector<std::string> out;
    for (const auto& item : v) {
      if (!item.is_string() || item.get<std::string>().empty()) {
        return Error(field, std::string("'") + field + "' must be an array of non-empty strings");
      }
      out.push_back(item.get<std::string>());
    }
    if (out.empty() && required) return Error(field, std::string("'") + field + "' must not be empty");
    return out;
  }

 private:
  const json& op_;
  std::size_t index_;
  std::string type_;
};

/// The chain of the operations before one operation, built again under other CTE names over
/// a subset of the input rows (see Builder::Rebuild).
struct SubChain {
  std::vector<std::string> ctes;
  std::string last;  ///< name of its last stage
};

/// Builds the CTE chain.
class Builder {
 public:
  /// Builds the operations [0, upto) again as CTEs named with `prefix`, over the input rows
  /// for which `where` (an expression over the input columns) holds.
  using RebuildFn =
      std::function<Result<SubChain>(std::size_t upto, const std::string& prefix, const std::string& where)>;

  Builder(std::vector<Col> cols, Resolver& resolver, std::int64_t token, std::string prefix = "")
      : cols_(std::move(cols)), resolver_(resolver), token_(token), prefix_(std::move(prefix)) {}

  std::vector<Col>& cols() { return cols_; }
  Resolver& resolver() { return resolver_; }
  bool counting() const { return token_ != 0; }
  bool ordered() const { return ordered_; }
  void NeedOrder() {
    ordered_ = true;
    rowwise_ = false;
  }
  /// Whether every stage so far computes each row from that row alone (maps and filters: no
  /// windows, no grouping), so the chain may run over a subset of the input rows.
  bool rowwise() const { return rowwise_; }
  void NotRowwise() { rowwise_ = false; }
  std::size_t op() const { return op_; }
  const std::vector<std::string>& ctes() const { return ctes_; }
  /// Stage names start with the prefix (a rebuilt chain has its own names).
  const std::string& prefix() const { return prefix_; }

  /// The Parquet file stage s1 reads.
  void set_input_path(std::string path) { input_path_ = std::move(path); }
  const std::string& input_path() const { return input_path_; }

  void set_rebuild(RebuildFn fn) { rebuild_ = std::move(fn); }
  Result<SubChain> Rebuild(const std::string& prefix, const std::string& where) const {
    if (!rebuild_) return Internal("the chain cannot be rebuilt here");
    return rebuild_(op_, prefix, where);
  }
  bool can_rebuild() const { return static_cast<bool>(rebuild_); }

  /// Adds a CTE that is not a stage of the chain (Prev() does not move).
  void AddSide(const std::string& name, const std::string& body) {
    ctes_.push_back(name + " AS NOT MATERIALIZED (" + body + ")");
  }
  void AddSides(const std::vector<std::string>& ctes) { ctes_.insert(ctes_.end(), ctes.begin(), ctes.end()); }

  void BeginOp(std::size_t index) {
    op_ = index;
    tallied_ = false;
  }
  /// Makes sure the current operation counted its rows (every operation has one counter).
  void EndOp() {
    if (counting() && !tallied_) Map({}, "FALSE");
  }
  CountKind count_kind() const { return count_kind_; }

  std::string Prev() const { return prefix_ + "s" + std::to_string(stage_); }
  std::string With() const {
    std::string out = "WITH ";
    for (std::size_t i = 0; i < ctes_.size(); ++i) out += (i ? ",\n" : "") + ctes_[i];
    return out + "\n";
  }
  void Push(const std::string& body) {
    ++stage_;
    ctes_.push_back(Prev() + " AS (" + body + ")");
  }

  Col* Find(const std::string& name) {
    for (auto& c : cols_) {
      if (c.name == name) return &c;
    }
    const std::string lower = Lower(name);
    for (auto& c : cols_) {
      if (Lower(c.name) == lower) return &c;
    }
    return nullptr;
  }

  /// The plain column list of the current schema.
  std::string ColumnList() const {
    std::string out;
    for (const auto& c : cols_) out += Id(c.name) + ", ";
    return out;
  }

  /// A map stage: `exprs` replaces columns by name (others pass through); `added` are new
  /// columns appended (or inserted after `insert_after`); `affected` is a boolean SQL
  /// expression over the previous stage telling whether the row changed.
  void Map(const std::map<std::string, std::string>& exprs, const std::string& affected,
           const std::vector<std::pair<Col, std::string>>& added = {}, const std::string& insert_after = "") {
    std::vector<Col> next;
    std::string select;
    auto add_new = [&] {
      for (const auto& [col, expr] : added) {
        select += expr + " AS " + Id(col.name) + ", ";
        next.push_back(col);
      }
    };
    for (const auto& c : cols_) {
      const auto it = exprs.find(c.name);
      select += it == exprs.end() ? Id(c.name) + ", " : it->second + " AS " + Id(c.name) + ", ";
      next.push_back(c);
      if (it != exprs.end()) next.back().changed = true;
      if (!insert_after.empty() && c.name == insert_after) add_new();
    }
    if (insert_after.empty()) add_new();
    cols_ = std::move(next);
    if (counting() && !tallied_) {
      select += std::string(internal::kTallyFunction) + "(" + std::to_string(token_) + ", " +
                std::to_string(op_) + ", coalesce(" + affected + ", FALSE), " + Ord() + ") AS " + Ord();
      tallied_ = true;
      count_kind_ = CountKind::kFlagged;
    } else {
      select += Ord();
    }
    Push("SELECT " + select + " FROM " + Prev());
  }

  /// A stage choosing an explicit list of (expression, column) pairs (renames, drops).
  void Project(const std::vector<std::pair<std::string, Col>>& items, const std::string& affected) {
    std::string select;
    std::vector<Col> next;
    for (const auto& [expr, col] : items) {
      select += expr + " AS " + Id(col.name) + ", ";
      next.push_back(col);
    }
    cols_ = std::move(next);
    if (counting() && !tallied_) {
      select += std::string(internal::kTallyFunction) + "(" + std::to_string(token_) + ", " +
                std::to_string(op_) + ", coalesce(" + affected + ", FALSE), " + Ord() + ") AS " + Ord();
      tallied_ = true;
      count_kind_ = CountKind::kFlagged;
    } else {
      select += Ord();
    }
    Push("SELECT " + select + " FROM " + Prev());
  }

  /// A filter stage keeping rows where `keep` is true (NULL counts as false).
  /// Counted, the flag is computed by __dm_keep in a projection and filtered one stage up:
  /// a filter on a volatile column is never pushed below that projection, so it cannot move
  /// below (or merge with) an earlier operation and every counter sees the rows that reach it.
  /// A filter that is not the operation's counter counts into the scratch slot.
  void Filter(const std::string& keep) {
    if (!counting()) {
      Push("SELECT " + ColumnList() + Ord() + " FROM " + Prev() + " WHERE coalesce(" + keep + ", FALSE)");
      return;
    }
    const std::size_t slot = tallied_ ? scratch_slot_ : op_;
    if (!tallied_) {
      tallied_ = true;
      count_kind_ = CountKind::kRemoved;
    }
    Push("SELECT " + ColumnList() + Ord() + ", " + std::string(internal::kKeepFunction) + "(" +
         std::to_string(token_) + ", " + std::to_string(slot) + ", " + keep + ", " + Ord() +
         ") AS \"__dm_k\" FROM " + Prev());
    Push("SELECT " + ColumnList() + Ord() + " FROM " + Prev() + " WHERE \"__dm_k\"");
  }
  void set_scratch_slot(std::size_t slot) { scratch_slot_ = slot; }

  /// The source of a raw stage that removes rows (deduplicate): the previous stage, counted.
  std::string CountedSource() {
    if (!counting() || tallied_) return Prev();
    tallied_ = true;
    count_kind_ = CountKind::kRemoved;
    return "(SELECT " + ColumnList() + std::string(internal::kTallyFunction) + "(" + std::to_string(token_) +
           ", " + std::to_string(op_) + ", FALSE, " + Ord() + ") AS " + Ord() + " FROM " + Prev() + ")";
  }

  /// Data-dependent values: `select` is a query over the chain so far (it may name Prev())
  /// returning one row with columns v0..v(n-1), each cast to the SQL type in `types`.
  /// Returns SQL expressions (typed literals with data, scalar subqueries without).
  Result<std::vector<std::string>> Values(const std::string& key, const std::string& select,
                                          const std::vector<std::string>& types) {
    std::vector<std::string> out;
    if (!resolver_.HasData()) {
      ordered_ = true;  // a scalar subquery does not keep the row order
      for (std::size_t i = 0; i < types.size(); ++i) {
        out.push_back("(SELECT CAST(v" + std::to_string(i) + " AS " + types[i] + ") FROM (" + select +
                      ") AS t)");
      }
      return out;
    }
    const std::string cache_key = std::to_string(op_) + ":" + key;
    auto it = resolver_.cache.find(cache_key);
    if (it == resolver_.cache.end()) {
      std::string query = With() + "SELECT ";
      for (std::size_t i = 0; i < types.size(); ++i) {
        query += (i ? ", " : "") + std::string("CAST(CAST(v") + std::to_string(i) + " AS " + types[i] +
                 ") AS VARCHAR)";
      }
      query += " FROM (" + select + ") AS t";
      DM_ASSIGN_OR_RETURN(QueryResult r, resolver_.Query(query));
      std::vector<std::optional<std::string>> values;
      for (std::size_t i = 0; i < types.size(); ++i) {
        if (r.RowCount() == 0 || r.IsNull(0, i)) {
          values.emplace_back();
        } else {
          values.emplace_back(r.CellString(0, i));
        }
      }
      it = resolver_.cache.emplace(cache_key, std::move(values)).first;
    }
    for (std::size_t i = 0; i < types.size(); ++i) {
      const auto& v = it->second[i];
      out.push_back(v ? "CAST(" + QuoteLiteral(*v) + " AS " + types[i] + ")"
                      : "CAST(NULL AS " + types[i] + ")");
    }
    return out;
  }

  /// Runs a query over the chain so far with data, cached by key; nullopt without data.
  Result<std::optional<std::vector<std::optional<std::string>>>> Probe(const std::string& key,
                                                                       const std::string& select) {
    using Out = std::optional<std::vector<std::optional<std::string>>>;
    if (!resolver_.HasData()) return Out();
    const std::string cache_key = std::to_string(op_) + ":" + key;
    auto it = resolver_.cache.find(cache_key);
    if (it == resolver_.cache.end()) {
      DM_ASSIGN_OR_RETURN(QueryResult r, resolver_.Query(With() + select));
      std::vector<std::optional<std::string>> values;
      for (std::int64_t row = 0; row < r.RowCount(); ++row) {
        for (std::size_t i = 0; i < r.ColumnCount(); ++i) {
          if (r.IsNull(row, i)) {
            values.emplace_back();
          } else {
            values.emplace_back(r.CellString(row, i));
          }
        }
      }
      it = resolver_.cache.emplace(cache_key, std::move(values)).first;
    }
    return Out(it->second);
  }

  /// Checks SQL that fails at bind time on a bad user pattern/format (only with data).
  Status Check(const std::string& key, const std::string& sql) {
    if (!resolver_.HasData()) return Status::Ok();
    const std::string cache_key = std::to_string(op_) + ":check:" + key;
    if (resolver_.cache.count(cache_key) != 0) return Status::Ok();
    DM_ASSIGN_OR_RETURN(QueryResult r, resolver_.Query(sql));
    (void)r;
    resolver_.cache.emplace(cache_key, std::vector<std::optional<std::string>>{});
    return Status::Ok();
  }

  /// Refreshes the column types from DuckDB (with data), e.g. after a formula.
  Status RefreshTypes(const std::string& key) {
    if (!resolver_.HasData()) return Status::Ok();
    const std::string cache_key = std::to_string(op_) + ":describe:" + key;
    auto it = resolver_.cache.find(cache_key);
    if (it == resolver_.cache.end()) {
      DM_ASSIGN_OR_RETURN(QueryResult r, resolver_.Query("DESCRIBE " + With() + "SELECT * FROM " + Prev()));
      std::vector<std::optional<std::string>> pairs;
      for (std::int64_t row = 0; row < r.RowCount(); ++row) {
        pairs.emplace_back(r.CellString(row, 0));
        pairs.emplace_back(r.CellString(row, 1));
      }
      it = resolver_.cache.emplace(cache_key, std::move(pairs)).first;
    }
    const auto& pairs = it->second;
    for (std::size_t i = 0; i + 1 < pairs.size(); i += 2) {
      for (auto& c : cols_) {
        if (c.name == *pairs[i]) {
          c.duckdb_type = *pairs[i + 1];
          c.type = ApiTypeFor(c.duckdb_type);
        }
      }
    }
    return Status::Ok();
  }

 private:
  std::vector<Col> cols_;
  Resolver& resolver_;
  std::int64_t token_;
  std::string prefix_;
  std::string input_path_;
  RebuildFn rebuild_;
  std::vector<std::string> ctes_;
  int stage_ = 0;
  bool rowwise_ = true;
  std::size_t op_ = 0;
  std::size_t scratch_slot_ = 0;
  bool tallied_ = false;
  bool ordered_ = false;
  CountKind count_kind_ = CountKind::kFlagged;
};

// ------------------------------------------------------------------ helpers for operations

Result<Col*> NeedColumn(Builder& b, const OpReader& r, const char* field) {
  DM_ASSIGN_OR_RETURN(std::string name, r.String(field));
  Col* c = b.Find(name);
  if (c == nullptr) return r.Error(field, "unknown column '" + name + "'");
  return c;
}

Result<std::vector<std::string>> NeedColumns(Builder& b, const OpReader& r, const char* field,
                                             bool required) {
  DM_ASSIGN_OR_RETURN(std::vector<std::string> names, r.Strings(field, required));
  std::vector<std::string> out;
  for (const auto& name : names) {
    const Col* c = b.Find(name);
    if (c == nullptr) return r.Error(field, "unknown column '" + name + "'");
    if (std::find(out.begin(), out.end(), c->name) != out.end()) {
      return r.Error(field, "column '" + c->name + "' is listed twice");
    }
    out.push_back(c->name);
  }
  return out;
}

/// Checks a new column name: not empty, not reserved, not taken (case-insensitively), except
/// by `except` (a column being renamed to a different spelling of itself).
Status CheckNewName(Builder& b, const OpReader& r, const char* field, const std::string& name,
                    const std::string& except = "") {
  if (name.empty()) return r.Error(field, "a column name must not be empty");
  if (Lower(name).starts_with(kReservedPrefix)) {
    return r.Error(field, "column names starting with '__dm_' are reserved");
  }
  const Col* existing = b.Find(name);
  if (existing != nullptr && existing->name != except) {
    return r.Error(field, "a column named '" + existing->name + "' already exists");
  }
  return Status::Ok();
}

Status NeedText(const OpReader& r, const char* field, const Col& c) {
  if (IsText(c)) return Status::Ok();
  return r.Error(field, "column '" + c.name + "' holds " + DescribeType(c) + ", not text");
}

Status NeedNumeric(const OpReader& r, const char* field, const Col& c, const std::string& why) {
  if (IsNumeric(c)) return Status::Ok();
  return r.Error(field, why + " needs a numeric column; '" + c.name + "' holds " + DescribeType(c));
}

/// A JSON scalar as a SQL literal of the column's type, or an error when it does not fit.
Result<std::string> TypedLiteral(const OpReader& r, const char* field, const Col& c, const json& v) {
  if (v.is_null() || v.is_array() || v.is_object()) {
    return r.Error(field, std::string("'") + field + "' must be a single value (text, number or true/false)");
  }
  const std::string text = JsonText(v);
  auto bad = [&] {
    return r.Error(
        field, "the value " + v.dump() + " does not fit column '" + c.name + "' (" + DescribeType(c) + ")");
  };
  if (IsText(c)) return QuoteLiteral(text);
  if (!IsScalar(c))
    return r.Error(field, "column '" + c.name + "' (" + DescribeType(c) + ") cannot be compared");
  if (c.type == "integer") {
    double d = 0;
    if (v.is_boolean() || !ParseDouble(text, d) || std::floor(d) != d) return bad();
  } else if (c.type == "float" || c.type == "decimal") {
    double d = 0;
    if (v.is_boolean() || !ParseDouble(text, d)) return bad();
  } else if (c.type == "boolean") {
    const std::string l = Lower(text);
    if (l != "true" && l != "false") return bad();
  } else if (c.type == "date") {
    if (!v.is_string() || !LooksLikeDate(text, false)) return bad();
  } else if (c.type == "timestamp") {
    if (!v.is_string() || !LooksLikeDate(text, true)) return bad();
  } else if (!v.is_string()) {
    return bad();
  }
  return "CAST(" + QuoteLiteral(text) + " AS " + c.duckdb_type + ")";
}

std::string AsDouble(const Col& c) {
  return "CAST(" + Id(c.name) + " AS DOUBLE)";
}

/// Whitespace removed by trim_whitespace: ASCII space and controls, no-break and other
/// Unicode spaces, the byte-order mark.
const std::string& WhitespaceChars() {
  static const std::string chars =
      " \t\n\r\v\f"
      "\xC2\xA0"       // U+00A0 no-break space
      "\xE2\x80\x87"   // U+2007 figure space
      "\xE2\x80\xAF"   // U+202F narrow no-break space
      "\xE3\x80\x80"   // U+3000 ideographic space
      "\xEF\xBB\xBF";  // U+FEFF byte-order mark
  return chars;
}

std::string Trimmed(const std::string& sql) {
  return "trim(" + sql + ", " + QuoteLiteral(WhitespaceChars()) + ")";
}

std::string Changed(const std::string& after, const std::string& before) {
  return "(" + after + " IS DISTINCT FROM " + before + ")";
}

// ------------------------------------------------------------------ operations

Status FillMissing(Builder& b, const OpReader& r) {
  DM_RETURN_IF_ERROR(r.AllowOnly({"column", "strategy", "value"}));
  DM_ASSIGN_OR_RETURN(Col * c, NeedColumn(b, r, "column"));
  const Col col = *c;
  DM_ASSIGN_OR_RETURN(std::string strategy, r.Enum("strategy", {"mean", "median", "mode", "constant", "ffill",
                                                                "bfill", "interpolate"}));
  if (strategy != "constant" && r.Has("value")) {
    return r.Error("value", "'value' is only used with strategy 'constant'");
  }
  if (!IsScalar(col) && !IsText(col)) {
    return r.Error("column", "column '" + col.name + "' (" + DescribeType(col) + ") cannot be filled");
  }
  const std::string x = Id(col.name);
  std::string fill;
  if (strategy == "constant") {
    if (!r.Has("value")) return r.Error("value", "'value' is required with strategy 'constant'");
    DM_ASSIGN_OR_RETURN(fill, TypedLiteral(r, "value", col, r.Raw("value")));
  } else if (strategy == "mean" || strategy == "median") {
    DM_RETURN_IF_ERROR(NeedNumeric(r, "strategy", col, "strategy '" + strategy + "'"));
    const std::string xd = AsDouble(col);
    const std::string agg = strategy == "mean" ? "avg(" + xd + ")" : "quantile_cont(" + xd + ", 0.5)";
    DM_ASSIGN_OR_RETURN(
        auto values,
        b.Values(strategy, "SELECT " + agg + " FILTER (WHERE isfinite(" + xd + ")) AS v0 FROM " + b.Prev(),
                 {col.type == "integer" ? "DOUBLE" : col.duckdb_type}));
    fill = col.type == "integer" ? "CAST(round(" + values[0] + ") AS " + col.duckdb_type + ")" : values[0];
  } else if (strategy == "mode") {
    // The most frequent value; ties go to the smallest, so the result is deterministic.
    DM_ASSIGN_OR_RETURN(
        auto values, b.Values("mode",
                              "SELECT " + x + " AS v0 FROM " + b.Prev() + " WHERE " + x +
                                  " IS NOT NULL GROUP BY " + x + " ORDER BY count(*) DESC, " + x + " LIMIT 1",
                              {IsText(col) ? "VARCHAR" : col.duckdb_type}));
    fill = values[0];
  } else if (strategy == "ffill" || strategy == "bfill") {
    b.NeedOrder();
    const std::string frame = strategy == "ffill" ? "ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW"
                                                  : "ROWS BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING";
    const std::string fn = strategy == "ffill" ? "last_value" : "first_value";
    b.Push("SELECT *, " + fn + "(" + x + " IGNORE NULLS) OVER (ORDER BY " + Ord() + " " + frame +
           ") AS \"__dm_w\" FROM " + b.Prev());
    fill = "\"__dm_w\"";
  } else {  // interpolate
    DM_RETURN_IF_ERROR(NeedNumeric(r, "strategy", col, "strategy 'interpolate'"));
    b.NeedOrder();
    const std::string xd = AsDouble(col);
    b.Push("SELECT *, row_number() OVER (ORDER BY " + Ord() + ") AS \"__dm_p\" FROM " + b.Prev());
    const std::string known_pos = "CASE WHEN " + x + " IS NOT NULL THEN \"__dm_p\" END";
    const std::string before = "ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW";
    const std::string after = "ROWS BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING";
    b.Push("SELECT *, last_value(" + known_pos + " IGNORE NULLS) OVER (ORDER BY \"__dm_p\" " + before +
           ") AS \"__dm_p0\", last_value(" + xd + " IGNORE NULLS) OVER (ORDER BY \"__dm_p\" " + before +
           ") AS \"__dm_v0\", first_value(" + known_pos + " IGNORE NULLS) OVER (ORDER BY \"__dm_p\" " +
           after + ") AS \"__dm_p1\", first_value(" + xd + " IGNORE NULLS) OVER (ORDER BY \"__dm_p\" " +
           after + ") AS \"__dm_v1\" FROM " + b.Prev());
    const std::string value =
        "(\"__dm_v0\" + (\"__dm_v1\" - \"__dm_v0\") * CAST(\"__dm_p\" - \"__dm_p0\" AS DOUBLE) / "
        "NULLIF(\"__dm_p1\" - \"__dm_p0\", 0))";
    fill = col.type == "integer" ? "CAST(round(" + value + ") AS " + col.duckdb_type + ")"
                                 : "CAST(" + value + " AS " + col.duckdb_type + ")";
  }
  const std::string expr = "coalesce(" + x + ", " + fill + ")";
  b.Map({{col.name, expr}}, "(" + x + " IS NULL AND " + expr + " IS NOT NULL)");
  return Status::Ok();
}

Status DropMissing(Builder& b, const OpReader& r) {
  DM_RETURN_IF_ERROR(r.AllowOnly({"columns", "how"}));
  DM_ASSIGN_OR_RETURN(std::vector<std::string> columns, NeedColumns(b, r, "columns", false));
  DM_ASSIGN_OR_RETURN(std::string how, r.Enum("how", {"any", "all"}, "any"));
  if (columns.empty()) {
    for (const auto& c : b.cols()) columns.push_back(c.name);
  }
  std::string keep;
  for (const auto& name : columns) {
    keep += (keep.empty() ? "" : (how == "any" ? " AND " : " OR ")) + Id(name) + " IS NOT NULL";
  }
  b.Filter("(" + keep + ")");
  return Status::Ok();
}

Status Outliers(Builder& b, const OpReader& r) {
  DM_RETURN_IF_ERROR(r.AllowOnly({"column", "method", "threshold", "action"}));
  DM_ASSIGN_OR_RETURN(Col * c, NeedColumn(b, r, "column"));
  const Col col = *c;
  DM_RETURN_IF_ERROR(NeedNumeric(r, "column", col, "outliers"));
  DM_ASSIGN_OR_RETURN(std::string method, r.Enum("method", {"iqr", "zscore", "mad"}, "iqr"));
  DM_ASSIGN_OR_RETURN(std::string action, r.Enum("action", {"drop", "cap", "set_null"}, "cap"));
  DM_ASSIGN_OR_RETURN(std::optional<double> threshold, r.Number("threshold"));
  const double t = threshold.value_or(method == "iqr" ? 1.5 : (method == "zscore" ? 3.0 : 3.5));
  if (t <= 0) return r.Error("threshold", "'threshold' must be greater than 0");
  const std::string xd = AsDouble(col);
  const std::string tl = DoubleLiteral(t);
  const std::string finite = " FROM " + b.Prev() + " WHERE isfinite(" + xd + ")";
  std::string select;
  if (method == "iqr") {
    select = "SELECT q1 - " + tl + " * (q3 - q1) AS v0, q3 + " + tl +
             " * (q3 - q1) AS v1 FROM (SELECT quantile_cont(" + xd + ", 0.25) AS q1, quantile_cont(" + xd +
             ", 0.75) AS q3" + finite + ")";
  } else if (method == "zscore") {
    select = "SELECT CASE WHEN sd > 0 THEN mu - " + tl + " * sd END AS v0, CASE WHEN sd > 0 THEN mu + " + tl +
             " * sd END AS v1 FROM (SELECT avg(" + xd + ") AS mu, stddev_samp(" + xd + ") AS sd" + finite +
             ")";
  } else {
    // Modified z-score (Iglewicz and Hoaglin): |0.6745 (x - median) / MAD| > threshold.
    select =
        "SELECT CASE WHEN mad > 0 THEN m - " + tl + " * mad / 0.6745 END AS v0, CASE WHEN mad > 0 THEN m + " +
        tl +
        " * mad / 0.6745 END AS v1 FROM (SELECT any_value(m) AS m, quantile_cont(abs(x - m), 0.5) AS mad "
        "FROM (SELECT " +
        xd + " AS x, quantile_cont(" + xd + ", 0.5) OVER () AS m" + finite + "))";
  }
  DM_ASSIGN_OR_RETURN(auto bounds, b.Values(method, select, {"DOUBLE", "DOUBLE"}));
  const std::string& lo = bounds[0];
  const std::string& hi = bounds[1];
  const std::string outlier = "coalesce(" + xd + " < " + lo + " OR " + xd + " > " + hi + ", FALSE)";
  const std::string x = Id(col.name);
  if (action == "drop") {
    b.Filter("NOT " + outlier);
  } else if (action == "set_null") {
    b.Map({{col.name, "CASE WHEN " + outlier + " THEN NULL ELSE " + x + " END"}}, outlier);
  } else {
    const bool integral = col.type == "integer";
    const std::string lo_v = integral ? "ceil(" + lo + ")" : lo;
    const std::string hi_v = integral ? "floor(" + hi + ")" : hi;
    const std::string expr = "CASE WHEN " + xd + " < " + lo + " THEN CAST(" + lo_v + " AS " +
                             col.duckdb_type + ") WHEN " + xd + " > " + hi + " THEN CAST(" + hi_v + " AS " +
                             col.duckdb_type + ") ELSE " + x + " END";
    b.Map({{col.name, expr}}, Changed(expr, x));
  }
  return Status::Ok();
}

/// The strptime formats standardize_dates looks for, in order of preference when several
/// match equally often (month-first before day-first: an all-ambiguous column is read the
/// US way; a single value like 31/12/2020 tips the count).
const std::vector<std::string>& DateFormats() {
  static const std::vector<std::string> formats = [] {
    const std::vector<std::string> dates = {"%Y-%m-%d",  "%Y/%m/%d", "%Y.%m.%d", "%Y%m%d",   "%m/%d/%Y",
                                            "%d/%m/%Y",  "%m-%d-%Y", "%d-%m-%Y", "%d.%m.%Y", "%m/%d/%y",
                                            "%d/%m/%y",  "%d.%m.%y", "%d %b %Y", "%d %B %Y", "%b %d, %Y",
                                            "%B %d, %Y", "%b %d %Y", "%B %d %Y", "%d-%b-%Y", "%a, %d %b %Y"};
    const std::vector<std::string> times = {
        "", " %H:%M:%S", " %H:%M", "T%H:%M:%S", " %H:%M:%S.%f", "T%H:%M:%S.%f", " %I:%M %p", " %I:%M:%S %p"};
    std::vector<std::string> out;
    for (const auto& d : dates) {
      for (const auto& t : times) out.push_back(d + t);
    }
    return out;
  }();
  return formats;
}

bool HasTime(const std::string& format) {
  return format.find("%H") != std::string::npos || format.find("%I") != std::string::npos ||
         format.find("%M") != std::string::npos || format.find("%S") != std::string::npos;
}

std::string FormatList(const std::vector<std::string>& formats) {
  std::string out = "[";
  for (std::size_t i = 0; i < formats.size(); ++i) out += (i ? ", " : "") + QuoteLiteral(formats[i]);
  return out + "]";
}

Status StandardizeDates(Builder& b, const OpReader& r) {
  DM_RETURN_IF_ERROR(r.AllowOnly({"column", "input_format"}));
  DM_ASSIGN_OR_RETURN(Col * c, NeedColumn(b, r, "column"));
  const Col col = *c;
  DM_ASSIGN_OR_RETURN(std::string input_format, r.String("input_format", std::string()));
  if (IsTemporal(col) && input_format.empty()) {
    b.Map({}, "FALSE");  // already dates: nothing to do
    return Status::Ok();
  }
  DM_RETURN_IF_ERROR(NeedText(r, "column", col));
  const std::string x = Id(col.name);
  std::vector<std::string> formats;
  if (!input_format.empty()) {
    if (input_format.find('%') == std::string::npos) {
      return r.Error("input_format", "'input_format' must be a strptime format such as %d/%m/%Y");
    }
    const Status checked = b.Check("format", "SELECT try_strptime('', " + QuoteLiteral(input_format) + ")");
    if (!checked.ok())
      return r.Error("input_format", "'input_format' is not a valid format: " + checked.message());
    formats.push_back(input_format);
  } else {
    // Rank the candidate formats by how many of (up to 20,000 distinct) values they read.
    const auto& all = DateFormats();
    std::string counts;
    for (std::size_t i = 0; i < all.size(); ++i) {
      counts += (i ? ", " : "") + std::string("count(try_strptime(v, ") + QuoteLiteral(all[i]) + "))";
    }
    DM_ASSIGN_OR_RETURN(
        auto probed,
        b.Probe("formats", "SELECT " + counts + " FROM (SELECT " + Trimmed(x) +
                               " AS v FROM (SELECT DISTINCT " + x + " FROM " + b.Prev() + " WHERE " + x +
                               " IS NOT NULL) AS d(" + x + ") ORDER BY hash(v), v LIMIT 20000) AS sample"));
    if (probed) {
      std::vector<std::pair<std::int64_t, std::size_t>> ranked;
      for (std::size_t i = 0; i < all.size() && i < probed->size(); ++i) {
        const std::int64_t n = (*probed)[i] ? std::stoll(*(*probed)[i]) : 0;
        if (n > 0) ranked.emplace_back(-n, i);
      }
      std::stable_sort(ranked.begin(), ranked.end(),
                       [](const auto& a, const auto& b2) { return a.first < b2.first; });
      for (const auto& [n, i] : ranked) formats.push_back(all[i]);
      if (formats.empty()) formats.push_back("%Y-%m-%d");
    } else {
      formats = all;
    }
  }
  const bool with_time = std::any_of(formats.begin(), formats.end(), HasTime);
  const std::string parsed = "try_strptime(" + Trimmed(x) + ", " +
                             (formats.size() == 1 ? QuoteLiteral(formats[0]) : FormatList(formats)) + ")";
  const std::string expr = with_time ? parsed : "CAST(" + parsed + " AS DATE)";
  Col out = col;
  out.type = with_time ? "timestamp" : "date";
  out.duckdb_type = with_time ? "TIMESTAMP" : "DATE";
  b.Map({{col.name, expr}},
        "(" + x + " IS NOT NULL AND (" + expr + " IS NULL OR CAST(" + expr + " AS VARCHAR) <> " + x + "))");
  b.Find(col.name)->type = out.type;
  b.Find(col.name)->duckdb_type = out.duckdb_type;
  return Status::Ok();
}

Status ParseNumbers(Builder& b, const OpReader& r) {
  DM_RETURN_IF_ERROR(r.AllowOnly({"column"}));
  DM_ASSIGN_OR_RETURN(Col * c, NeedColumn(b, r, "column"));
  const Col col = *c;
  if (IsNumeric(col)) {
    b.Map({}, "FALSE");  // already numbers
    return Status::Ok();
  }
  DM_RETURN_IF_ERROR(NeedText(r, "column", col));
  const std::string x = Id(col.name);
  // Is a decimal comma evident in the column? More values look like "1.234,5" / "12,5" than
  // like "1,234.5" / "12.5".
  const std::string comma_dec = QuoteLiteral(R"(\d\.\d{3},\d|^[^.]*\d,\d{1,2}\D*$)");
  const std::string point_dec = QuoteLiteral(R"(\d,\d{3}\.\d|^[^,]*\d\.\d{1,2}\D*$)");
  // (Each pattern needs its separator: the regular expression runs only where it occurs.)
  DM_ASSIGN_OR_RETURN(
      auto dc,
      b.Values("decimal_comma",
               "SELECT count_if(CASE WHEN contains(" + x + ", ',') THEN regexp_matches(" + x + ", " +
                   comma_dec + ") END) > count_if(CASE WHEN contains(" + x + ", '.') THEN regexp_matches(" +
                   x + ", " + point_dec + ") END) AS v0 FROM " + b.Prev(),
               {"BOOLEAN"}));
  const std::string decimal_comma = "coalesce(" + dc[0] + ", FALSE)";
  // __dm_s: the trimmed text; __dm_r: its first number with separators (spaces, apostrophes
  // and no-break spaces grouping digits are dropped).
  const std::string s = Trimmed(x);
  const std::string number = QuoteLiteral(R"((\d[\d.,' ]*\d|\d|[.,]\d+)([eE][-+]?\d+)?)");
  b.Push("SELECT *, " + s + " AS \"__dm_s\", replace(replace(replace(regexp_extract(" + s + ", " + number +
         ", 0), ' ', ''), '''', ''), " + QuoteLiteral("\xC2\xA0") + ", '') AS \"__dm_r\" FROM " + b.Prev());
  const std::string rr = "\"__dm_r\"";
  auto last_pos = [&](const char* ch) {
    return "CASE WHEN instr(" + rr + ", '" + ch + "') = 0 THEN 0 ELSE length(" + rr + ") - instr(reverse(" +
           rr + "), '" + ch + "') + 1 END";
  };
  const std::string normalized =
      "CASE WHEN contains(" + rr + ", ',') AND contains(" + rr + ", '.') THEN (CASE WHEN " + last_pos(",") +
      " > " + last_pos(".") + " THEN replace(replace(" + rr + ", '.', ''), ',', '.') ELSE replace(" + rr +
      ", ',', '') END) WHEN contains(" + rr + ", ',') THEN (CASE WHEN NOT " + decimal_comma +
      " AND regexp_full_match(" + rr + ", " + QuoteLiteral(R"(\d{1,3}(,\d{3})+)") + ") THEN replace(" + rr +
      ", ',', '') ELSE replace(" + rr + ", ',', '.') END) WHEN contains(" + rr + ", '.') THEN (CASE WHEN " +
      decimal_comma + " AND regexp_full_match(" + rr + ", " + QuoteLiteral(R"(\d{1,3}(\.\d{3})+)") +
      ") THEN replace(" + rr + ", '.', '') ELSE " + rr + " END) ELSE " + rr + " END";
  const std::string value = "TRY_CAST(NULLIF(" + normalized + ", '') AS DOUBLE)";
  const std::string ss = "\"__dm_s\"";
  // Negative: "(12)" or a minus before the first digit; percent: a trailing "%" or "%)". The
  // regular expressions only run on the few values that can match (a CASE evaluates its THEN
  // for the rows whose WHEN holds).
  const std::string negative =
      "(CASE WHEN starts_with(" + ss + ", '(') AND ends_with(" + ss + ", ')') THEN regexp_matches(" + ss +
      ", " + QuoteLiteral(R"(^\(.*\)$)") + ") ELSE FALSE END OR CASE WHEN contains(" + ss +
      ", '-') THEN regexp_matches(" + ss + ", " + QuoteLiteral("^[^0-9]*-") + ") ELSE FALSE END)";
  const std::string percent = "(ends_with(" + ss + ", '%') OR ends_with(" + ss + ", '%)'))";
  b.Push("SELECT *, " + value + " * CASE WHEN " + negative + " THEN -1.0 ELSE 1.0 END / CASE WHEN " +
         percent + " THEN 100.0 ELSE 1.0 END AS \"__dm_n\" FROM " + b.Prev());
  const std::string expr = "CASE WHEN isfinite(\"__dm_n\") THEN \"__dm_n\" END";
  b.Map({{col.name, expr}},
        "(" + x + " IS NOT NULL AND " + Changed(expr, "TRY_CAST(" + x + " AS DOUBLE)") + ")");
  Col* out = b.Find(col.name);
  out->type = "float";
  out->duckdb_type = "DOUBLE";
  return Status::Ok();
}

Status Cast(Builder& b, const OpReader& r) {
  DM_RETURN_IF_ERROR(r.AllowOnly({"column", "to", "format", "on_error"}));
  DM_ASSIGN_OR_RETURN(Col * c, NeedColumn(b, r, "column"));
  const Col col = *c;
  DM_ASSIGN_OR_RETURN(std::string to, r.Enum("to", {"integer", "float", "decimal", "boolean", "date",
                                                    "timestamp", "string"}));
  DM_ASSIGN_OR_RETURN(std::string on_error, r.Enum("on_error", {"null", "drop", "fail"}, "null"));
  DM_ASSIGN_OR_RETURN(std::string format, r.String("format", std::string()));
  if (!IsScalar(col) && !IsText(col)) {
    return r.Error("column", "column '" + col.name + "' (" + DescribeType(col) + ") cannot be cast");
  }
  const std::string x = Id(col.name);
  const std::string tx = IsText(col) ? Trimmed(x) : x;
  std::string target;
  std::string conv;
  auto unsupported = [&] {
    return r.Error("to", "cannot cast column '" + col.name + "' (" + DescribeType(col) + ") to " + to);
  };
  if (!format.empty() && to != "date" && to != "timestamp" && to != "decimal" &&
      !(to == "string" && IsTemporal(col))) {
    return r.Error("format", "'format' applies to date, timestamp and decimal targets (and dates to string)");
  }
  if (to == "string") {
    target = "VARCHAR";
    if (!format.empty()) {
      if (format.find('%') == std::string::npos)
        return r.Error("format", "'format' must be a strftime format");
      const Status checked =
          b.Check("format", "SELECT strftime(TIMESTAMP '2000-01-01', " + QuoteLiteral(format) + ")");
      if (!checked.ok()) return r.Error("format", "'format' is not a valid format: " + checked.message());
      conv = "strftime(" + x + ", " + QuoteLiteral(format) + ")";
    } else {
      conv = "CAST(" + x + " AS VARCHAR)";
    }
  } else if (to == "integer" || to == "float" || to == "decimal") {
    if (to == "integer") {
      target = "BIGINT";
    } else if (to == "float") {
      target = "DOUBLE";
    } else {
      int precision = 18, scale = 4;
      if (!format.empty()) {
        int consumed = 0;
        if (std::sscanf(format.c_str(), "%d,%d%n", &precision, &scale, &consumed) != 2 ||
            consumed != static_cast<int>(format.size()) || precision < 1 || precision > 38 || scale < 0 ||
            scale > precision) {
          return r.Error("format",
                         "for decimal, 'format' is \"precision,scale\", e.g. \"18,2\" (precision 1-38)");
        }
      }
      target = "DECIMAL(" + std::to_string(precision) + "," + std::to_string(scale) + ")";
    }
    if (!IsText(col) && !IsNumeric(col) && col.type != "boolean") return unsupported();
    conv = "TRY_CAST(" + tx + " AS " + target + ")";
    if (to == "float") conv = "CASE WHEN isfinite(" + conv + ") THEN " + conv + " END";
  } else if (to == "boolean") {
    target = "BOOLEAN";
    if (IsText(col)) {
      conv = "CASE lower(" + tx +
             ") WHEN 'true' THEN TRUE WHEN 't' THEN TRUE WHEN 'yes' THEN TRUE WHEN 'y' THEN TRUE WHEN '1' "
             "THEN TRUE "
             "WHEN 'on' THEN TRUE WHEN 'false' THEN FALSE WHEN 'f' THEN FALSE WHEN 'no' THEN FALSE WHEN 'n' "
             "THEN "
             "FALSE WHEN '0' THEN FALSE WHEN 'off' THEN FALSE END";
    } else if (IsNumeric(col)) {
      conv = "(" + x + " <> 0)";
    } else if (col.type == "boolean") {
      conv = x;
    } else {
      return unsupported();
    }
  } else {  // date, timestamp
    target = to == "date" ? "DATE" : "TIMESTAMP";
    if (IsText(col)) {
      if (!format.empty()) {
        if (format.find('%') == std::string::npos)
          return r.Error("format", "'format' must be a strptime format");
        const Status checked = b.Check("format", "SELECT try_strptime('', " + QuoteLiteral(format) + ")");
        if (!checked.ok()) return r.Error("format", "'format' is not a valid format: " + checked.message());
        conv = "CAST(try_strptime(" + tx + ", " + QuoteLiteral(format) + ") AS " + target + ")";
      } else {
        conv = "TRY_CAST(" + tx + " AS " + target + ")";
      }
    } else if (IsTemporal(col)) {
      if (!format.empty()) return r.Error("format", "'format' is for reading text");
      conv = "CAST(" + x + " AS " + target + ")";
    } else {
      return unsupported();
    }
  }
  const std::string bad = "(" + x + " IS NOT NULL AND " + conv + " IS NULL)";
  const std::string affected =
      "(" + bad + " OR CAST(" + conv + " AS VARCHAR) IS DISTINCT FROM CAST(" + x + " AS VARCHAR))";
  Col out = col;
  out.duckdb_type = target;
  out.type = ApiTypeFor(target);
  if (on_error == "fail") {
    const std::string fail =
        "error(" + QuoteLiteral(std::string(internal::kCastFailMarker) + std::to_string(r.index()) + ":") +
        " || CAST(" + x + " AS VARCHAR))";
    b.Map({{col.name, "CASE WHEN " + bad + " THEN " + fail + " ELSE " + conv + " END"}}, affected);
  } else if (on_error == "drop") {
    b.Map({{col.name, conv}}, affected, {{Col{"__dm_bad", "boolean", "BOOLEAN", ""}, bad}});
    b.cols().pop_back();  // the helper column is not part of the schema
    b.Filter("NOT \"__dm_bad\"");
  } else {
    b.Map({{col.name, conv}}, affected);
  }
  Col* now = b.Find(col.name);
  now->type = out.type;
  now->duckdb_type = out.duckdb_type;
  return Status::Ok();
}

Status TrimWhitespace(Builder& b, const OpReader& r) {
  DM_RETURN_IF_ERROR(r.AllowOnly({"columns"}));
  DM_ASSIGN_OR_RETURN(std::vector<std::string> columns, NeedColumns(b, r, "columns", false));
  if (r.Has("columns")) {
    for (const auto& name : columns) DM_RETURN_IF_ERROR(NeedText(r, "columns", *b.Find(name)));
  } else {
    for (const auto& c : b.cols()) {
      if (IsText(c)) columns.push_back(c.name);
    }
  }
  std::map<std::string, std::string> exprs;
  std::string affected;
  for (const auto& name : columns) {
    const std::string t = Trimmed(Id(name));
    exprs[name] = t;
    affected +=
        (affected.empty() ? "" : " OR ") + std::string("coalesce(") + t + " <> " + Id(name) + ", FALSE)";
  }
  b.Map(exprs, affected.empty() ? "FALSE" : "(" + affected + ")");
  return Status::Ok();
}

Status ChangeCase(Builder& b, const OpReader& r) {
  DM_RETURN_IF_ERROR(r.AllowOnly({"column", "case"}));
  DM_ASSIGN_OR_RETURN(Col * c, NeedColumn(b, r, "column"));
  DM_RETURN_IF_ERROR(NeedText(r, "column", *c));
  DM_ASSIGN_OR_RETURN(std::string kase, r.Enum("case", {"lower", "upper", "title"}));
  const std::string x = Id(c->name);
  std::string expr;
  if (kase == "title") {
    // Each space-separated word: first character upper case, the rest lower case.
    expr = "array_to_string(list_transform(string_split(lower(" + x +
           "), ' '), lambda w: upper(w[1]) || w[2:]), ' ')";
  } else {
    expr = kase + "(" + x + ")";
  }
  b.Map({{c->name, expr}}, "coalesce(" + expr + " <> " + x + ", FALSE)");
  return Status::Ok();
}

Status NormalizeCategories(Builder& b, const OpReader& r) {
  DM_RETURN_IF_ERROR(r.AllowOnly({"column", "mapping"}));
  DM_ASSIGN_OR_RETURN(Col * c, NeedColumn(b, r, "column"));
  DM_RETURN_IF_ERROR(NeedText(r, "column", *c));
  if (!r.Has("mapping") || !r.Raw("mapping").is_object()) {
    return r.Error("mapping", "'mapping' must be an object {\"variant\": \"canonical\", ...}");
  }
  const json& mapping = r.Raw("mapping");
  if (mapping.empty()) return r.Error("mapping", "'mapping' must not be empty");
  const std::string x = Id(c->name);
  std::string expr = "CASE " + x;
  for (const auto& [variant, canonical] : mapping.items()) {
    if (!canonical.is_string() && !canonical.is_null()) {
      return r.Error("mapping", "'mapping' values must be strings (or null), not " + canonical.dump());
    }
    expr += " WHEN " + QuoteLiteral(variant) + " THEN " +
            (canonical.is_null() ? std::string("CAST(NULL AS VARCHAR)")
                                 : QuoteLiteral(canonical.get<std::string>()));
  }
  expr += " ELSE " + x + " END";
  const std::string name = c->name;  // Map() replaces the column list
  b.Map({{name, expr}}, Changed(expr, x));
  b.Find(name)->duckdb_type = "VARCHAR";
  return Status::Ok();
}

Status FindReplace(Builder& b, const OpReader& r) {
  DM_RETURN_IF_ERROR(r.AllowOnly({"column", "find", "replace", "regex"}));
  DM_ASSIGN_OR_RETURN(Col * c, NeedColumn(b, r, "column"));
  DM_RETURN_IF_ERROR(NeedText(r, "column", *c));
  DM_ASSIGN_OR_RETURN(std::string find, r.String("find"));
  DM_ASSIGN_OR_RETURN(std::string replace, r.String("replace", std::string(), /*allow_empty=*/true));
  DM_ASSIGN_OR_RETURN(bool regex, r.Bool("regex", false));
  const std::string x = Id(c->name);
  std::string expr;
  if (regex) {
    const Status checked = b.Check(
        "regex", "SELECT regexp_replace('', " + QuoteLiteral(find) + ", " + QuoteLiteral(replace) + ", 'g')");
    if (!checked.ok())
      return r.Error("find", "'find' is not a valid regular expression: " + checked.message());
    expr = "regexp_replace(" + x + ", " + QuoteLiteral(find) + ", " + QuoteLiteral(replace) + ", 'g')";
  } else {
    expr = "replace(" + x + ", " + QuoteLiteral(find) + ", " + QuoteLiteral(replace) + ")";
  }
  const std::string name = c->name;  // Map() replaces the column list
  b.Map({{name, expr}}, "coalesce(" + expr + " <> " + x + ", FALSE)");
  b.Find(name)->duckdb_type = "VARCHAR";
  return Status::Ok();
}

/// deduplicate without data, after windows or grouping, or after another deduplicate: one
/// GROUP BY over the key columns keeping the first (last) ordinal; the output is then sorted.
void DeduplicateGrouped(Builder& b, const std::vector<std::string>& keys, const std::string& keep) {
  b.NeedOrder();
  const std::string pick = keep == "first" ? "min" : "max";
  const std::string source = b.CountedSource();
  std::string group;
  for (const auto& k : keys) group += (group.empty() ? "" : ", ") + Id(k);
  if (keys.size() == b.cols().size()) {
    // Whole-row duplicates: group by every column.
    std::string cols;
    for (const auto& c : b.cols()) cols += (cols.empty() ? "" : ", ") + Id(c.name);
    b.Push("SELECT " + cols + ", " + pick + "(" + Ord() + ") AS " + Ord() + " FROM " + source + " GROUP BY " +
           cols);
    return;
  }
  // Key columns: the other columns come from the first (last) row of each group.
  std::string packed;
  for (const auto& c : b.cols()) {
    if (std::find(keys.begin(), keys.end(), c.name) != keys.end()) continue;
    packed += (packed.empty() ? "" : ", ") + QuoteLiteral(c.name) + ": " + Id(c.name);
  }
  std::string select;
  for (const auto& c : b.cols()) {
    if (std::find(keys.begin(), keys.end(), c.name) != keys.end()) {
      select += Id(c.name) + ", ";
    } else {
      select += "\"__dm_s\"[" + QuoteLiteral(c.name) + "] AS " + Id(c.name) + ", ";
    }
  }
  b.Push("SELECT " + select + Ord() + " FROM (SELECT " + group + ", " + pick + "(" + Ord() + ") AS " + Ord() +
         ", arg_" + pick + "({" + packed + "}, " + Ord() + ") AS \"__dm_s\" FROM " + source + " GROUP BY " +
         group + ")");
}

/// deduplicate as a filter that keeps the row order (no sorting, no GROUP BY over every row):
///   1. candidates: a 64-bit hash of the key columns that still hold their input values
///      (read straight from the Parquet file), grouped; the hashes seen more than once;
///   2. exact check: the chain before this operation is built again over the candidate rows
///      only, grouped by the real key values (so a hash collision never merges distinct rows);
///      every row of a group but the first (last) is marked in a bitstring indexed by ordinal;
///   3. the chain goes on with the rows whose bit is not set.
/// When no key column is untouched, steps 1 and 2 hash and group the key columns computed by
/// the chain (built again over every row). Needs the input's row count (with data).
Status DeduplicateFiltered(Builder& b, const std::vector<std::string>& keys, const std::string& keep,
                           std::int64_t rows) {
  const std::string tag = b.prefix() + "d" + std::to_string(b.op()) + "_";
  const std::string hashes = tag + "h", bits = tag + "b";
  // Key columns that hold their input values, by input name.
  std::vector<std::string> raw;
  for (const auto& k : keys) {
    const Col* c = b.Find(k);
    if (c != nullptr && Pristine(*c)) raw.push_back(c->origin);
  }
  auto hash_of = [](const std::vector<std::string>& names) {
    std::string list;
    for (const auto& n : names) list += (list.empty() ? "" : ", ") + Id(n);
    return "hash(" + list + ")";
  };
  std::string group;
  for (const auto& k : keys) group += (group.empty() ? "" : ", ") + Id(k);
  const std::string is_candidate = " IN (SELECT \"__dm_h\" FROM " + hashes + ")";
  std::string candidates;  // the rows to check exactly, with the key columns and the ordinal
  if (!raw.empty()) {
    b.AddSide(hashes, "SELECT " + hash_of(raw) + " AS \"__dm_h\" FROM read_parquet(" +
                          QuoteLiteral(b.input_path()) + ") GROUP BY \"__dm_h\" HAVING count(*) > 1");
    DM_ASSIGN_OR_RETURN(SubChain sub, b.Rebuild(tag + "c", hash_of(raw) + is_candidate));
    b.AddSides(sub.ctes);
    candidates = sub.last;
  } else {
    DM_ASSIGN_OR_RETURN(SubChain all, b.Rebuild(tag + "a", ""));
    b.AddSides(all.ctes);
    b.AddSide(hashes, "SELECT " + hash_of(keys) + " AS \"__dm_h\" FROM " + all.last +
                          " GROUP BY \"__dm_h\" HAVING count(*) > 1");
    DM_ASSIGN_OR_RETURN(SubChain again, b.Rebuild(tag + "c", ""));
    b.AddSides(again.ctes);
    candidates = "(SELECT * FROM " + again.last + " WHERE " + hash_of(keys) + is_candidate + ")";
  }
  const std::string n = std::to_string(rows);
  b.AddSide(bits, "SELECT coalesce(bitstring_agg(\"__dm_o\", 0, " + std::to_string(rows - 1) +
                      "), bitstring('0', " + n + ")) AS \"__dm_b\" FROM (SELECT unnest((list(" + Ord() +
                      " ORDER BY " + Ord() + (keep == "first" ? "" : " DESC") +
                      "))[2:]) AS \"__dm_o\" FROM " + candidates + " AS \"__dm_c\" GROUP BY " + group + ")");
  b.Filter("get_bit((SELECT \"__dm_b\" FROM " + bits + "), CAST(" + Ord() + " AS INTEGER)) = 0");
  b.NotRowwise();
  return Status::Ok();
}

Status Deduplicate(Builder& b, const OpReader& r) {
  DM_RETURN_IF_ERROR(r.AllowOnly({"columns", "keep"}));
  DM_ASSIGN_OR_RETURN(std::vector<std::string> keys, NeedColumns(b, r, "columns", false));
  DM_ASSIGN_OR_RETURN(std::string keep, r.Enum("keep", {"first", "last"}, "first"));
  if (keys.empty()) {
    for (const auto& c : b.cols()) keys.push_back(c.name);
  }
  std::int64_t rows = -1;
  if (b.rowwise() && b.can_rebuild()) {
    // The input's row count bounds the ordinals (Parquet metadata: no scan).
    DM_ASSIGN_OR_RETURN(auto counted, b.Probe("rows", "SELECT count(*) FROM read_parquet(" +
                                                          QuoteLiteral(b.input_path()) + ")"));
    if (counted && !counted->empty() && (*counted)[0]) rows = std::stoll(*(*counted)[0]);
  }
  if (rows < 1 || rows > 2147483647) {
    DeduplicateGrouped(b, keys, keep);
    return Status::Ok();
  }
  return DeduplicateFiltered(b, keys, keep, rows);
}

Status FilterRows(Builder& b, const OpReader& r) {
  DM_RETURN_IF_ERROR(r.AllowOnly({"column", "op", "value"}));
  DM_ASSIGN_OR_RETURN(Col * c, NeedColumn(b, r, "column"));
  const Col col = *c;
  DM_ASSIGN_OR_RETURN(std::string op, r.Enum("op", {"eq", "ne", "lt", "le", "gt", "ge", "in", "not_in",
                                                    "is_null", "not_null", "contains", "matches"}));
  const std::string x = Id(col.name);
  const bool needs_value = op != "is_null" && op != "not_null";
  if (!needs_value && r.Has("value")) return r.Error("value", "'value' is not used with op '" + op + "'");
  if (needs_value && !r.Has("value")) return r.Error("value", "'value' is required with op '" + op + "'");
  std::string keep;
  if (op == "is_null") {
    keep = x + " IS NULL";
  } else if (op == "not_null") {
    keep = x + " IS NOT NULL";
  } else if (op == "in" || op == "not_in") {
    const json& list = r.Raw("value");
    if (!list.is_array() || list.empty())
      return r.Error("value", "'value' must be a non-empty array with op '" + op + "'");
    std::string items;
    for (const auto& v : list) {
      DM_ASSIGN_OR_RETURN(std::string lit, TypedLiteral(r, "value", col, v));
      items += (items.empty() ? "" : ", ") + lit;
    }
    keep = op == "in" ? x + " IN (" + items + ")" : "(" + x + " IS NULL OR " + x + " NOT IN (" + items + "))";
  } else if (op == "contains" || op == "matches") {
    if (!r.Raw("value").is_string()) return r.Error("value", "'value' must be a string with op '" + op + "'");
    const std::string v = r.Raw("value").get<std::string>();
    const std::string text = IsText(col) ? x : "CAST(" + x + " AS VARCHAR)";
    if (op == "contains") {
      keep = "contains(" + text + ", " + QuoteLiteral(v) + ")";
    } else {
      const Status checked = b.Check("regex", "SELECT regexp_matches('', " + QuoteLiteral(v) + ")");
      if (!checked.ok())
        return r.Error("value", "'value' is not a valid regular expression: " + checked.message());
      keep = "regexp_matches(" + text + ", " + QuoteLiteral(v) + ")";
    }
  } else {
    DM_ASSIGN_OR_RETURN(std::string lit, TypedLiteral(r, "value", col, r.Raw("value")));
    static const std::map<std::string, std::string> kOps = {
        {"eq", "="}, {"lt", "<"}, {"le", "<="}, {"gt", ">"}, {"ge", ">="}};
    keep = op == "ne" ? x + " IS DISTINCT FROM " + lit : x + " " + kOps.at(op) + " " + lit;
  }
  b.Filter("(" + keep + ")");
  return Status::Ok();
}

Status RenameColumn(Builder& b, const OpReader& r) {
  DM_RETURN_IF_ERROR(r.AllowOnly({"from", "to"}));
  DM_ASSIGN_OR_RETURN(Col * c, NeedColumn(b, r, "from"));
  DM_ASSIGN_OR_RETURN(std::string to, r.String("to"));
  DM_RETURN_IF_ERROR(CheckNewName(b, r, "to", to, c->name));
  std::vector<std::pair<std::string, Col>> items;
  for (const auto& col : b.cols()) {
    Col next = col;
    if (col.name == c->name) next.name = to;
    items.emplace_back(Id(col.name), next);
  }
  b.Project(items, "FALSE");
  return Status::Ok();
}

Status DropColumns(Builder& b, const OpReader& r) {
  DM_RETURN_IF_ERROR(r.AllowOnly({"columns"}));
  DM_ASSIGN_OR_RETURN(std::vector<std::string> columns, NeedColumns(b, r, "columns", true));
  if (columns.size() == b.cols().size()) return r.Error("columns", "cannot drop every column");
  std::vector<std::pair<std::string, Col>> items;
  std::string affected;
  for (const auto& col : b.cols()) {
    if (std::find(columns.begin(), columns.end(), col.name) != columns.end()) {
      affected += (affected.empty() ? "" : " OR ") + Id(col.name) + " IS NOT NULL";
      continue;
    }
    items.emplace_back(Id(col.name), col);
  }
  b.Project(items, "(" + affected + ")");
  return Status::Ok();
}

Status SplitColumn(Builder& b, const OpReader& r) {
  DM_RETURN_IF_ERROR(r.AllowOnly({"column", "delimiter", "into"}));
  DM_ASSIGN_OR_RETURN(Col * c, NeedColumn(b, r, "column"));
  DM_RETURN_IF_ERROR(NeedText(r, "column", *c));
  const std::string source = c->name;
  DM_ASSIGN_OR_RETURN(std::string delimiter, r.String("delimiter"));
  DM_ASSIGN_OR_RETURN(std::vector<std::string> into, r.Strings("into", true));
  std::set<std::string> seen;
  for (const auto& name : into) {
    DM_RETURN_IF_ERROR(CheckNewName(b, r, "into", name));
    if (!seen.insert(Lower(name)).second) return r.Error("into", "'into' names '" + name + "' twice");
  }
  b.Push("SELECT *, string_split(" + Id(source) + ", " + QuoteLiteral(delimiter) +
         ") AS \"__dm_parts\" FROM " + b.Prev());
  std::vector<std::pair<Col, std::string>> added;
  std::string affected;
  for (std::size_t i = 0; i < into.size(); ++i) {
    const std::string n = std::to_string(i + 1);
    std::string expr = i + 1 < into.size() ? "\"__dm_parts\"[" + n + "]"
                                           : "CASE WHEN len(\"__dm_parts\") >= " + n +
                                                 " THEN array_to_string(\"__dm_parts\"[" + n + ":], " +
                                                 QuoteLiteral(delimiter) + ") END";
    added.emplace_back(Col{into[i], "string", "VARCHAR", ""}, expr);
    affected += (affected.empty() ? "" : " OR ") + expr + " IS NOT NULL";
  }
  b.Map({}, "(" + affected + ")", added, source);
  return Status::Ok();
}

Status MergeColumns(Builder& b, const OpReader& r) {
  DM_RETURN_IF_ERROR(r.AllowOnly({"columns", "separator", "into"}));
  DM_ASSIGN_OR_RETURN(std::vector<std::string> columns, NeedColumns(b, r, "columns", true));
  DM_ASSIGN_OR_RETURN(std::string separator, r.String("separator", std::string(), /*allow_empty=*/true));
  DM_ASSIGN_OR_RETURN(std::string into, r.String("into"));
  DM_RETURN_IF_ERROR(CheckNewName(b, r, "into", into));
  std::string parts, any;
  for (const auto& name : columns) {
    parts += ", CAST(" + Id(name) + " AS VARCHAR)";
    any += (any.empty() ? "" : " OR ") + Id(name) + " IS NOT NULL";
  }
  const std::string expr =
      "CASE WHEN " + any + " THEN concat_ws(" + QuoteLiteral(separator) + parts + ") END";
  b.Map({}, "(" + any + ")", {{Col{into, "string", "VARCHAR", ""}, expr}});
  return Status::Ok();
}

Status DeriveColumn(Builder& b, const OpReader& r) {
  DM_RETURN_IF_ERROR(r.AllowOnly({"name", "expression"}));
  DM_ASSIGN_OR_RETURN(std::string name, r.String("name"));
  DM_ASSIGN_OR_RETURN(std::string expression, r.String("expression"));
  std::vector<ColumnSchema> schema;
  for (const auto& c : b.cols()) schema.push_back(ColumnSchema{c.name, c.type, c.duckdb_type, true});
  auto compiled = formula::Compile(expression, schema);
  if (!compiled.ok()) {
    json details = compiled.status().details();
    details["index"] = r.index();
    details["field"] = "expression";
    return Invalid(
        "operation " + std::to_string(r.index()) + " (derive_column): " + compiled.status().message(),
        details);
  }
  Col* existing = b.Find(name);
  if (existing == nullptr) DM_RETURN_IF_ERROR(CheckNewName(b, r, "name", name));
  const std::string sql = compiled->sql;
  if (existing != nullptr) {
    const std::string x = Id(existing->name);
    const std::string key = existing->name;
    b.Map({{key, sql}}, "CAST(" + sql + " AS VARCHAR) IS DISTINCT FROM CAST(" + x + " AS VARCHAR)");
    Col* now = b.Find(key);
    now->type = compiled->type.empty() ? "string" : compiled->type;
    now->duckdb_type = compiled->duckdb_type;
  } else {
    b.Map({}, "(" + sql + ") IS NOT NULL",
          {{Col{name, compiled->type.empty() ? "string" : compiled->type, compiled->duckdb_type, ""}, sql}});
  }
  const Status refreshed = b.RefreshTypes("derive");
  if (!refreshed.ok()) {
    return Invalid("operation " + std::to_string(r.index()) +
                       " (derive_column): the formula cannot be computed: " + refreshed.message(),
                   {{"index", r.index()}, {"field", "expression"}});
  }
  return Status::Ok();
}

using OpFn = Status (*)(Builder&, const OpReader&);
const std::map<std::string, OpFn>& Operations() {
  static const std::map<std::string, OpFn> ops = {
      {"fill_missing", FillMissing},
      {"drop_missing", DropMissing},
      {"outliers", Outliers},
      {"cast", Cast},
      {"trim_whitespace", TrimWhitespace},
      {"change_case", ChangeCase},
      {"normalize_categories", NormalizeCategories},
      {"standardize_dates", StandardizeDates},
      {"parse_numbers", ParseNumbers},
      {"find_replace", FindReplace},
      {"deduplicate", Deduplicate},
      {"filter_rows", FilterRows},
      {"rename_column", RenameColumn},
      {"drop_columns", DropColumns},
      {"split_column", SplitColumn},
      {"merge_columns", MergeColumns},
      {"derive_column", DeriveColumn},
  };
  return ops;
}

/// The input schema as the chain's columns (reserved names refused).
Result<std::vector<Col>> InputColumns(const std::vector<ColumnSchema>& schema) {
  std::vector<Col> cols;
  for (const auto& c : schema) {
    if (Lower(c.name).starts_with(kReservedPrefix)) {
      return Invalid("The dataset has a column named '" + c.name +
                         "'; column names starting with '__dm_' are reserved for cleaning.",
                     {{"field", "operations"}, {"column", c.name}});
    }
    cols.push_back(Col{c.name, c.type.empty() ? ApiTypeFor(c.duckdb_type) : c.type, c.duckdb_type, c.name});
  }
  if (cols.empty()) return Invalid("The dataset has no columns.", {{"field", "operations"}});
  return cols;
}

/// Stage s1: the file with the ordinal, keeping the rows where `where` holds when given.
/// file_row_number reads it in parallel; a file that has a column of that name falls back to
/// row_number() over the scan.
void PushInput(Builder& b, const std::string& parquet_path, const std::string& where) {
  bool has_row_number_column = false;
  for (const auto& c : b.cols()) {
    if (Lower(c.name) == "file_row_number") has_row_number_column = true;
  }
  const std::string list = b.ColumnList();
  const std::string select = has_row_number_column
                                 ? "SELECT " + list + "row_number() OVER () - 1 AS " + Ord() +
                                       " FROM read_parquet(" + QuoteLiteral(parquet_path) + ")"
                                 : "SELECT " + list + "file_row_number AS " + Ord() + " FROM read_parquet(" +
                                       QuoteLiteral(parquet_path) + ", file_row_number = true)";
  b.set_input_path(parquet_path);
  b.Push(where.empty() ? select : "SELECT * FROM (" + select + ") AS \"__dm_in\" WHERE " + where);
}

/// Validates and compiles operations [0, upto) onto `b`; `out` (when given) receives each
/// operation's type and count kind.
Status RunOperations(Builder& b, const json& operations, std::size_t upto, internal::Compiled* out) {
  for (std::size_t i = 0; i < upto; ++i) {
    const json& op = operations[i];
    if (!op.is_object()) {
      return Invalid("operation " + std::to_string(i) + " must be an object {\"type\": ..., ...}",
                     {{"index", i}, {"field", "type"}});
    }
    if (!op.contains("type") || !op["type"].is_string()) {
      return Invalid("operation " + std::to_string(i) + " has no 'type'", {{"index", i}, {"field", "type"}});
    }
    const std::string type = op["type"].get<std::string>();
    const auto found = Operations().find(type);
    if (found == Operations().end()) {
      return Invalid("operation " + std::to_string(i) + ": unknown operation type '" + type + "'",
                     {{"index", i}, {"field", "type"}});
    }
    OpReader reader(op, i, type);
    b.BeginOp(i);
    const Status status = found->second(b, reader);
    if (!status.ok()) {
      if (status.details().contains("index")) return status;
      // A query run for the operation failed (statistics on data that cannot be read).
      return Invalid("operation " + std::to_string(i) + " (" + type + "): " + status.message(),
                     {{"index", i}, {"field", "column"}});
    }
    b.EndOp();
    if (out != nullptr) {
      out->types.push_back(type);
      out->count_kinds.push_back(b.count_kind());
    }
  }
  return Status::Ok();
}

Result<internal::Compiled> BuildChain(const json& operations, const std::vector<ColumnSchema>& schema,
                                      const std::string& parquet_path, Resolver& resolver,
                                      std::int64_t token) {
  if (!operations.is_array()) {
    return Invalid("operations must be a JSON array of operations.", {{"field", "operations"}});
  }
  DM_ASSIGN_OR_RETURN(std::vector<Col> cols, InputColumns(schema));
  Builder b(cols, resolver, token);
  b.set_scratch_slot(operations.size());
  PushInput(b, parquet_path, "");
  // deduplicate rebuilds the (uncounted) chain before it over the candidate rows. Data-
  // dependent values come from the resolver's cache, filled by this chain on the full data.
  b.set_rebuild([&operations, &cols, &parquet_path, &resolver](std::size_t upto, const std::string& prefix,
                                                               const std::string& where) -> Result<SubChain> {
    Builder sub(cols, resolver, 0, prefix);
    PushInput(sub, parquet_path, where);
    DM_RETURN_IF_ERROR(RunOperations(sub, operations, upto, nullptr));
    return SubChain{sub.ctes(), sub.Prev()};
  });
  internal::Compiled out;
  DM_RETURN_IF_ERROR(RunOperations(b, operations, operations.size(), &out));
  std::string select;
  for (const auto& c : b.cols()) {
    select += (select.empty() ? "" : ", ") + Id(c.name);
    out.origins.push_back(c.origin);
    out.plan.output_schema.push_back(ColumnSchema{c.name, c.type, c.duckdb_type, true});
  }
  const std::string order = b.ordered() ? " ORDER BY " + Ord() : "";
  out.ordered = b.ordered();
  if (token != 0) {
    // Reading the ordinal keeps every stage's counter alive (nothing else reads it when the
    // output needs no sorting).
    out.counted_sql =
        b.With() + "SELECT " + select + " FROM " + b.Prev() + " WHERE " + Ord() + " >= 0" + order;
  } else {
    out.plan.sql = b.With() + "SELECT " + select + " FROM " + b.Prev() + order;
    out.plan.sql_with_ordinal = b.With() + "SELECT " + select + ", " + Ord() + " FROM " + b.Prev() + order;
  }
  return out;
}

}  // namespace

namespace internal {

Result<Compiled> CompileWith(const nlohmann::json& operations, const std::vector<ColumnSchema>& schema,
                             const std::string& parquet_path, Resolver& resolver, std::int64_t token) {
  DM_ASSIGN_OR_RETURN(Compiled plain, BuildChain(operations, schema, parquet_path, resolver, 0));
  if (token != 0) {
    DM_ASSIGN_OR_RETURN(Compiled counted, BuildChain(operations, schema, parquet_path, resolver, token));
    plain.counted_sql = std::move(counted.counted_sql);
    plain.count_kinds = std::move(counted.count_kinds);
  }
  return plain;
}

}  // namespace internal

namespace {

class NoData : public Resolver {
 public:
  bool HasData() const override { return false; }
  Result<QueryResult> Query(const std::string&) override { return Internal("no data to query"); }
};

}  // namespace

Result<Plan> Compile(const nlohmann::json& operations, const std::vector<ColumnSchema>& schema,
                     const std::string& parquet_path) {
  NoData resolver;
  DM_ASSIGN_OR_RETURN(internal::Compiled compiled,
                      internal::CompileWith(operations, schema, parquet_path, resolver, 0));
  return std::move(compiled.plan);
}

}  // namespace dm::engine::clean
