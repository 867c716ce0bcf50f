/// Apply and preview of cleaning operations (see clean.h), and the per-operation counters.
///
/// Apply is one statement: COPY (<the compiled SELECT>) TO 'out' (FORMAT parquet,
/// COMPRESSION zstd). The statistics cost no extra pass: the counted variant of the SELECT
/// (clean.cpp) routes each operation's rows through two small volatile scalar functions
/// registered here, which add to atomic counters keyed by a per-apply token. Data-dependent
/// values (medians, outlier bounds, detected formats) are computed before the COPY, each by
/// one aggregate over the chain up to its operation (reading only the columns it needs).

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_map>

#include "engine/clean.h"
#include "engine/clean_internal.h"
#include "engine/dataset_io.h"
#include "engine/sql.h"

namespace dm::engine::clean {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// ------------------------------------------------------------------ counters

struct Counters {
  explicit Counters(std::size_t n) : seen(n), hit(n) {}
  std::vector<std::atomic<std::int64_t>> seen;
  std::vector<std::atomic<std::int64_t>> hit;
};

std::mutex& RegistryMutex() {
  static std::mutex mutex;
  return mutex;
}
std::unordered_map<std::int64_t, std::shared_ptr<Counters>>& Registry() {
  static std::unordered_map<std::int64_t, std::shared_ptr<Counters>> registry;
  return registry;
}
std::atomic<std::int64_t> g_next_token{1};

/// Registers counters for one apply and removes them at scope end.
class CounterScope {
 public:
  explicit CounterScope(std::size_t operations)
      : token_(g_next_token.fetch_add(1)), counters_(std::make_shared<Counters>(operations)) {
    std::lock_guard<std::mutex> lock(RegistryMutex());
    Registry()[token_] = counters_;
  }
  ~CounterScope() {
    std::lock_guard<std::mutex> lock(RegistryMutex());
    Registry().erase(token_);
  }
  CounterScope(const CounterScope&) = delete;
  CounterScope& operator=(const CounterScope&) = delete;
  std::int64_t token() const { return token_; }
  const Counters& counters() const { return *counters_; }

 private:
  std::int64_t token_;
  std::shared_ptr<Counters> counters_;
};

std::shared_ptr<Counters> FindCounters(std::int64_t token) {
  std::lock_guard<std::mutex> lock(RegistryMutex());
  const auto it = Registry().find(token);
  return it == Registry().end() ? nullptr : it->second;
}

bool ValidAt(const std::uint64_t* validity, idx_t row) {
  return validity == nullptr || duckdb_validity_row_is_valid(const_cast<std::uint64_t*>(validity), row);
}

/// Shared body of __dm_tally (returns the ordinal) and __dm_keep (returns the flag).
template <bool kKeep>
void CountRows(duckdb_function_info info, duckdb_data_chunk input, duckdb_vector output) {
  const idx_t n = duckdb_data_chunk_get_size(input);
  if (n == 0) return;
  duckdb_vector tokens = duckdb_data_chunk_get_vector(input, 0);
  duckdb_vector ops = duckdb_data_chunk_get_vector(input, 1);
  duckdb_vector flags = duckdb_data_chunk_get_vector(input, 2);
  duckdb_vector rows = duckdb_data_chunk_get_vector(input, 3);
  const auto* token = static_cast<const std::int64_t*>(duckdb_vector_get_data(tokens));
  const auto* op = static_cast<const std::int32_t*>(duckdb_vector_get_data(ops));
  const auto* flag = static_cast<const bool*>(duckdb_vector_get_data(flags));
  const std::uint64_t* flag_valid = duckdb_vector_get_validity(flags);
  const auto* row = static_cast<const std::int64_t*>(duckdb_vector_get_data(rows));
  const std::uint64_t* row_valid = duckdb_vector_get_validity(rows);
  std::int64_t hits = 0;
  if constexpr (kKeep) {
    auto* out = static_cast<bool*>(duckdb_vector_get_data(output));
    for (idx_t i = 0; i < n; ++i) {
      out[i] = ValidAt(flag_valid, i) && flag[i];
      hits += out[i] ? 1 : 0;
    }
  } else {
    auto* out = static_cast<std::int64_t*>(duckdb_vector_get_data(output));
    bool any_null = false;
    for (idx_t i = 0; i < n; ++i) {
      hits += ValidAt(flag_valid, i) && flag[i] ? 1 : 0;
      out[i] = row[i];
      any_null |= !ValidAt(row_valid, i);
    }
    if (any_null) {
      duckdb_vector_ensure_validity_writable(output);
      std::uint64_t* out_valid = duckdb_vector_get_validity(output);
      for (idx_t i = 0; i < n; ++i) {
        if (!ValidAt(row_valid, i)) duckdb_validity_set_row_invalid(out_valid, i);
      }
    }
  }
  const std::shared_ptr<Counters> counters = FindCounters(token[0]);
  if (counters == nullptr || op[0] < 0 || static_cast<std::size_t>(op[0]) >= counters->seen.size()) {
    duckdb_scalar_function_set_error(info, "cleaning counters are gone (internal error)");
    return;
  }
  counters->seen[static_cast<std::size_t>(op[0])].fetch_add(static_cast<std::int64_t>(n));
  counters->hit[static_cast<std::size_t>(op[0])].fetch_add(hits);
}

void RegisterOne(Connection& conn, const char* name, bool keep) {
  duckdb_scalar_function fn = duckdb_create_scalar_function();
  duckdb_scalar_function_set_name(fn, name);
  duckdb_logical_type bigint = duckdb_create_logical_type(DUCKDB_TYPE_BIGINT);
  duckdb_logical_type integer = duckdb_create_logical_type(DUCKDB_TYPE_INTEGER);
  duckdb_logical_type boolean = duckdb_create_logical_type(DUCKDB_TYPE_BOOLEAN);
  duckdb_scalar_function_add_parameter(fn, bigint);
  duckdb_scalar_function_add_parameter(fn, integer);
  duckdb_scalar_function_add_parameter(fn, boolean);
  duckdb_scalar_function_add_parameter(fn, bigint);
  duckdb_scalar_function_set_return_type(fn, keep ? boolean : bigint);
  duckdb_scalar_function_set_volatile(fn);
  duckdb_scalar_function_set_special_handling(fn);
  duckdb_scalar_function_set_function(fn, keep ? CountRows<true> : CountRows<false>);
  // Fails harmlessly when the function already exists in this database.
  (void)duckdb_register_scalar_function(conn.handle(), fn);
  duckdb_destroy_scalar_function(&fn);
  duckdb_destroy_logical_type(&bigint);
  duckdb_destroy_logical_type(&integer);
  duckdb_destroy_logical_type(&boolean);
}

void RegisterCounters(Connection& conn) {
  RegisterOne(conn, internal::kTallyFunction, /*keep=*/false);
  RegisterOne(conn, internal::kKeepFunction, /*keep=*/true);
}

// ------------------------------------------------------------------ helpers

class DataResolver : public internal::Resolver {
 public:
  explicit DataResolver(Connection& conn) : conn_(conn) {}
  bool HasData() const override { return true; }
  Result<QueryResult> Query(const std::string& sql) override { return conn_.Query(sql); }

 private:
  Connection& conn_;
};

std::string Scrub(std::string message, const std::vector<std::string>& paths) {
  for (const auto& path : paths) {
    if (path.empty()) continue;
    for (std::size_t pos = message.find(path); pos != std::string::npos; pos = message.find(path, pos)) {
      message.replace(pos, path.size(), "the dataset");
      pos += 11;
    }
  }
  return message;
}

Status ScrubStatus(const Status& s, const std::vector<std::string>& paths) {
  return Status(s.code(), Scrub(s.message(), paths), s.details());
}

/// A failed cast with on_error:"fail" becomes a VALIDATION_ERROR naming operation and value.
Status MapRunError(const Status& s, const json& operations, const std::vector<std::string>& paths) {
  const std::string& m = s.message();
  const std::size_t at = m.find(internal::kCastFailMarker);
  if (at == std::string::npos) return ScrubStatus(s, paths);
  std::string rest = m.substr(at + std::string(internal::kCastFailMarker).size());
  const std::size_t colon = rest.find(':');
  std::size_t index = 0;
  try {
    index = static_cast<std::size_t>(std::stoul(rest.substr(0, colon)));
  } catch (const std::exception&) {
    return ScrubStatus(s, paths);
  }
  std::string value = colon == std::string::npos ? std::string() : rest.substr(colon + 1);
  if (const std::size_t nl = value.find('\n'); nl != std::string::npos) value.resize(nl);
  if (value.size() > 200) value = value.substr(0, 200) + "...";
  std::string column, to;
  if (index < operations.size() && operations[index].is_object()) {
    column = operations[index].value("column", std::string());
    to = operations[index].value("to", std::string());
  }
  return Invalid("operation " + std::to_string(index) + " (cast): the value '" + value + "' in column '" +
                     column + "' cannot be converted to " + to + " (on_error is \"fail\")",
                 {{"index", index}, {"field", "on_error"}, {"column", column}, {"value", value}});
}

Status Canceled() {
  return Status(ErrorCode::CANCELED, "The cleaning was canceled.");
}

std::int64_t FirstInt(const QueryResult& r) {
  if (r.RowCount() == 0 || r.ColumnCount() == 0) return 0;
  const json v = r.Cell(0, 0);
  return v.is_number() ? v.get<std::int64_t>() : 0;
}

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

/// The input with the ordinal, as clean.cpp's stage s0 reads it.
std::string InputWithOrdinal(const std::vector<ColumnSchema>& schema, const std::string& path) {
  std::string list;
  bool has_row_number = false;
  for (const auto& c : schema) {
    list += QuoteIdent(c.name) + ", ";
    if (Lower(c.name) == "file_row_number") has_row_number = true;
  }
  if (has_row_number) {
    return "SELECT " + list + "row_number() OVER () - 1 AS " + QuoteIdent(kOrdinal) + " FROM read_parquet(" +
           QuoteLiteral(path) + ")";
  }
  return "SELECT " + list + "file_row_number AS " + QuoteIdent(kOrdinal) + " FROM read_parquet(" +
         QuoteLiteral(path) + ", file_row_number = true)";
}

struct Prepared {
  std::vector<ColumnSchema> schema;
  internal::Compiled compiled;
};

Result<Prepared> Prepare(Engine& engine, Connection& conn, const std::string& in, const json& operations,
                         std::int64_t token) {
  Prepared p;
  DM_ASSIGN_OR_RETURN(p.schema, ReadSchema(engine, in));
  DataResolver resolver(conn);
  auto compiled = internal::CompileWith(operations, p.schema, in, resolver, token);
  if (!compiled.ok()) return ScrubStatus(compiled.status(), {in});
  p.compiled = std::move(compiled).value();
  return p;
}

}  // namespace

Result<Plan> CompileForData(Engine& engine, const nlohmann::json& operations,
                            const std::string& parquet_path) {
  DM_ASSIGN_OR_RETURN(Connection conn, engine.Connect());
  DM_ASSIGN_OR_RETURN(Prepared p, Prepare(engine, conn, parquet_path, operations, 0));
  // The exact output types come from DuckDB itself.
  auto described = conn.Query("DESCRIBE " + p.compiled.plan.sql);
  if (described.ok() &&
      static_cast<std::size_t>(described->RowCount()) == p.compiled.plan.output_schema.size()) {
    for (std::int64_t i = 0; i < described->RowCount(); ++i) {
      auto& c = p.compiled.plan.output_schema[static_cast<std::size_t>(i)];
      c.duckdb_type = described->CellString(i, 1);
      c.type = ApiTypeFor(c.duckdb_type);
    }
  }
  return std::move(p.compiled.plan);
}

Result<ApplyResult> Apply(Engine& engine, const std::string& in_parquet, const nlohmann::json& operations,
                          const std::string& out_parquet,
                          const std::function<bool(double, const std::string&)>& on_progress) {
  auto report = [&](double fraction, const std::string& message) {
    return !on_progress || on_progress(fraction, message);
  };
  const std::vector<std::string> paths = {in_parquet, out_parquet};
  if (!report(0, "Preparing the cleaning operations")) return Canceled();
  DM_ASSIGN_OR_RETURN(Connection conn, engine.Connect());
  RegisterCounters(conn);
  const std::size_t n = operations.is_array() ? operations.size() : 0;
  CounterScope scope(n + 1);  // one slot per operation and a scratch slot (see clean.cpp)
  DM_ASSIGN_OR_RETURN(Prepared p, Prepare(engine, conn, in_parquet, operations, scope.token()));
  if (!report(0.05, "Applying " + std::to_string(n) + " operation" + (n == 1 ? "" : "s"))) return Canceled();

  ApplyResult result;
  auto count = conn.Query("SELECT count(*) FROM read_parquet(" + QuoteLiteral(in_parquet) + ")");
  if (!count.ok()) return ScrubStatus(count.status(), paths);
  result.rows_before = FirstInt(*count);

  const std::string copy = "COPY (" + p.compiled.counted_sql + ") TO " + QuoteLiteral(out_parquet) + " " +
                           ParquetWriteOptions(p.compiled.origins.size());
  auto copied = RunWithProgress(conn, copy, on_progress, 0.05, 0.9, "Applying the operations",
                                "The cleaning was canceled.");
  if (!copied.ok()) {
    std::error_code ec;
    fs::remove(out_parquet, ec);
    return MapRunError(copied.status(), operations, paths);
  }
  result.rows_after = FirstInt(*copied);

  const Counters& counters = scope.counters();
  for (std::size_t i = 0; i < n; ++i) {
    OperationStats s;
    s.type = p.compiled.types[i];
    s.rows_before = counters.seen[i].load();
    s.rows_after = i + 1 < n ? counters.seen[i + 1].load() : result.rows_after;
    s.affected_rows = p.compiled.count_kinds[i] == internal::CountKind::kFlagged
                          ? counters.hit[i].load()
                          : s.rows_before - s.rows_after;
    result.operations.push_back(std::move(s));
  }
  auto schema = DescribeParquet(conn, out_parquet);
  if (!schema.ok()) return ScrubStatus(schema.status(), paths);
  result.output_schema = std::move(schema).value();
  report(1.0, "Cleaning applied");
  return result;
}

Result<Preview> MakePreview(Engine& engine, const std::string& in_parquet, const nlohmann::json& operations,
                            int limit) {
  if (limit < 0) return Invalid("limit must not be negative.", {{"field", "limit"}});
  DM_ASSIGN_OR_RETURN(Connection conn, engine.Connect());
  DM_ASSIGN_OR_RETURN(Prepared p, Prepare(engine, conn, in_parquet, operations, 0));
  const std::vector<std::string> paths = {in_parquet};
  const auto& before_cols = p.schema;
  const auto& after_cols = p.compiled.plan.output_schema;
  const auto& origins = p.compiled.origins;

  // d: every input row with its output row (if any), the before/after cells and per-cell
  // change flags. Cells are compared as values when the type is unchanged, else as text.
  auto in_col = [&](const std::string& name) { return "i." + QuoteIdent(name); };
  auto out_col = [&](const std::string& name) { return "o." + QuoteIdent(name); };
  std::string select = "i." + QuoteIdent(kOrdinal) + " AS \"__dm_r\", (o." + QuoteIdent(kOrdinal) +
                       " IS NULL) AS \"__dm_gone\"";
  for (std::size_t i = 0; i < before_cols.size(); ++i) {
    select += ", " + in_col(before_cols[i].name) + " AS \"b" + std::to_string(i) + "\"";
  }
  for (std::size_t j = 0; j < after_cols.size(); ++j) {
    select += ", " + out_col(after_cols[j].name) + " AS \"a" + std::to_string(j) + "\"";
  }
  std::vector<std::string> flag_names;  // column name each flag reports
  std::string any_flag;
  auto add_flag = [&](const std::string& expr, const std::string& name) {
    const std::string alias = "\"f" + std::to_string(flag_names.size()) + "\"";
    select += ", coalesce(" + expr + ", FALSE) AS " + alias;
    any_flag += " OR " + alias;
    flag_names.push_back(name);
  };
  std::vector<bool> kept_input(before_cols.size(), false);
  for (std::size_t j = 0; j < after_cols.size(); ++j) {
    const std::string& origin = origins[j];
    const auto src = std::find_if(before_cols.begin(), before_cols.end(),
                                  [&](const ColumnSchema& c) { return c.name == origin; });
    const std::string after = out_col(after_cols[j].name);
    if (origin.empty() || src == before_cols.end()) {
      add_flag("(o." + QuoteIdent(kOrdinal) + " IS NOT NULL AND " + after + " IS NOT NULL)",
               after_cols[j].name);
      continue;
    }
    kept_input[static_cast<std::size_t>(src - before_cols.begin())] = true;
    const std::string before = in_col(src->name);
    const bool same_type = src->duckdb_type == after_cols[j].duckdb_type;
    const std::string differs =
        same_type ? after + " IS DISTINCT FROM " + before
                  : "CAST(" + after + " AS VARCHAR) IS DISTINCT FROM CAST(" + before + " AS VARCHAR)";
    add_flag("(o." + QuoteIdent(kOrdinal) + " IS NOT NULL AND " + differs + ")", after_cols[j].name);
  }
  for (std::size_t i = 0; i < before_cols.size(); ++i) {
    if (kept_input[i]) continue;  // dropped column: a change where it held a value
    add_flag(
        "(o." + QuoteIdent(kOrdinal) + " IS NOT NULL AND " + in_col(before_cols[i].name) + " IS NOT NULL)",
        before_cols[i].name);
  }
  const std::string with = "WITH o AS (" + p.compiled.plan.sql_with_ordinal + "), i AS (" +
                           InputWithOrdinal(before_cols, in_parquet) + "), d AS (SELECT " + select +
                           " FROM i LEFT JOIN o ON i." + QuoteIdent(kOrdinal) + " = o." +
                           QuoteIdent(kOrdinal) + ") ";
  const std::string changed = "(\"__dm_gone\"" + any_flag + ")";

  Preview preview;
  auto totals = conn.Query(with + "SELECT count(*), count(*) FILTER (WHERE " + changed +
                           "), count(*) FILTER (WHERE \"__dm_gone\") FROM d");
  if (!totals.ok()) return MapRunError(totals.status(), operations, paths);
  preview.row_count_before = totals->Cell(0, 0).get<std::int64_t>();
  preview.affected_rows = totals->Cell(0, 1).get<std::int64_t>();
  preview.row_count_after = preview.row_count_before - totals->Cell(0, 2).get<std::int64_t>();

  json before_names = json::array(), after_names = json::array();
  for (const auto& c : before_cols) before_names.push_back(c.name);
  for (const auto& c : after_cols) after_names.push_back(c.name);
  preview.before = {{"columns", before_names}, {"rows", json::array()}};
  preview.after = {{"columns", after_names}, {"rows", json::array()}};
  if (limit == 0 || preview.affected_rows == 0) return preview;

  auto rows = conn.Query(with + "SELECT * FROM d WHERE " + changed + " ORDER BY \"__dm_r\" LIMIT " +
                         std::to_string(limit));
  if (!rows.ok()) return MapRunError(rows.status(), operations, paths);
  const std::size_t b0 = 2, a0 = b0 + before_cols.size(), f0 = a0 + after_cols.size();
  for (std::int64_t r = 0; r < rows->RowCount(); ++r) {
    const bool gone = rows->Cell(r, 1).get<bool>();
    json before_row = json::array();
    for (std::size_t i = 0; i < before_cols.size(); ++i) before_row.push_back(rows->Cell(r, b0 + i));
    std::vector<std::string> cells;
    if (gone) {
      preview.after["rows"].push_back(nullptr);
      for (const auto& c : before_cols) cells.push_back(c.name);
    } else {
      json after_row = json::array();
      for (std::size_t j = 0; j < after_cols.size(); ++j) after_row.push_back(rows->Cell(r, a0 + j));
      preview.after["rows"].push_back(std::move(after_row));
      for (std::size_t k = 0; k < flag_names.size(); ++k) {
        const json f = rows->Cell(r, f0 + k);
        if (f.is_boolean() && f.get<bool>()) cells.push_back(flag_names[k]);
      }
    }
    preview.before["rows"].push_back(std::move(before_row));
    preview.changed_cells.push_back(std::move(cells));
  }
  return preview;
}

}  // namespace dm::engine::clean
