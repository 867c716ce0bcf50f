#include "engine/duckdb.h"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <limits>
#include <optional>
#include <thread>
#include <utility>

#include "engine/sql.h"

namespace dm::engine {
namespace {

__extension__ typedef __int128 Int128;
__extension__ typedef unsigned __int128 UInt128;

ErrorCode CodeForErrorType(duckdb_error_type type) {
  switch (type) {
    case DUCKDB_ERROR_INTERRUPT:
      return ErrorCode::CANCELED;
    case DUCKDB_ERROR_OUT_OF_MEMORY:
      return ErrorCode::UNAVAILABLE;
    case DUCKDB_ERROR_INTERNAL:
    case DUCKDB_ERROR_FATAL:
      return ErrorCode::INTERNAL;
    default:
      return ErrorCode::VALIDATION_ERROR;
  }
}

Status ResultError(duckdb_result& result) {
  const char* message = duckdb_result_error(&result);
  const duckdb_error_type type = duckdb_result_error_type(&result);
  std::string text = message != nullptr ? message : "DuckDB reported an unknown error.";
  return Status(CodeForErrorType(type), std::move(text), {{"duckdb_error_type", static_cast<int>(type)}});
}

std::string FormatDate(duckdb_date date) {
  if (!duckdb_is_finite_date(date)) return date.days > 0 ? "infinity" : "-infinity";
  const duckdb_date_struct d = duckdb_from_date(date);
  char buf[48];
  std::snprintf(buf, sizeof(buf), "%04d-%02d-%02d", static_cast<int>(d.year), static_cast<int>(d.month),
                static_cast<int>(d.day));
  return buf;
}

std::string FormatTimeOfDay(std::int64_t micros) {
  const duckdb_time_struct t = duckdb_from_time(duckdb_time{micros});
  char buf[48];
  if (t.micros != 0) {
    std::snprintf(buf, sizeof(buf), "%02d:%02d:%02d.%06d", static_cast<int>(t.hour), static_cast<int>(t.min),
                  static_cast<int>(t.sec), static_cast<int>(t.micros));
  } else {
    std::snprintf(buf, sizeof(buf), "%02d:%02d:%02d", static_cast<int>(t.hour), static_cast<int>(t.min),
                  static_cast<int>(t.sec));
  }
  return buf;
}

std::string FormatTimestampMicros(std::int64_t micros, bool utc) {
  const duckdb_timestamp ts{micros};
  if (!duckdb_is_finite_timestamp(ts)) return micros > 0 ? "infinity" : "-infinity";
  const duckdb_timestamp_struct s = duckdb_from_timestamp(ts);
  char buf[64];
  std::snprintf(buf, sizeof(buf), "%04d-%02d-%02dT", static_cast<int>(s.date.year),
                static_cast<int>(s.date.month), static_cast<int>(s.date.day));
  std::int64_t day_micros =
      (static_cast<std::int64_t>(s.time.hour) * 3600 + s.time.min * 60 + s.time.sec) * 1000000 +
      s.time.micros;
  std::string out = buf + FormatTimeOfDay(day_micros);
  if (utc) out += "Z";
  return out;
}

std::string Int128ToString(Int128 value) {
  if (value == 0) return "0";
  const bool negative = value < 0;
  UInt128 v = negative ? static_cast<UInt128>(-(value + 1)) + 1 : static_cast<UInt128>(value);
  std::string digits;
  while (v != 0) {
    digits.push_back(static_cast<char>('0' + static_cast<int>(v % 10)));
    v /= 10;
  }
  if (negative) digits.push_back('-');
  return {digits.rbegin(), digits.rend()};
}

std::string UInt128ToString(UInt128 v) {
  if (v == 0) return "0";
  std::string digits;
  while (v != 0) {
    digits.push_back(static_cast<char>('0' + static_cast<int>(v % 10)));
    v /= 10;
  }
  return {digits.rbegin(), digits.rend()};
}

Int128 HugeToInt128(duckdb_hugeint h) {
  return static_cast<Int128>(static_cast<UInt128>(static_cast<std::uint64_t>(h.upper)) << 64 | h.lower);
}

nlohmann::json Int128ToJson(Int128 v) {
  if (v >= std::numeric_limits<std::int64_t>::min() && v <= std::numeric_limits<std::int64_t>::max()) {
    return static_cast<std::int64_t>(v);
  }
  return Int128ToString(v);
}

nlohmann::json DoubleToJson(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "Infinity" : "-Infinity";
  return v;
}

nlohmann::json DecimalToJson(Int128 value, int width, int scale) {
  std::string digits = Int128ToString(value < 0 ? -value : value);
  if (scale > 0) {
    if (static_cast<int>(digits.size()) <= scale)
      digits.insert(0, static_cast<std::size_t>(scale) + 1 - digits.size(), '0');
    digits.insert(digits.size() - static_cast<std::size_t>(scale), ".");
  }
  if (value < 0) digits.insert(0, "-");
  if (width <= 15) return std::strtod(digits.c_str(), nullptr);
  return digits;
}

std::string EscapeBlob(const char* data, std::size_t size) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  out.reserve(size);
  for (std::size_t i = 0; i < size; ++i) {
    const auto c = static_cast<unsigned char>(data[i]);
    if (c >= 0x20 && c < 0x7f && c != '\\') {
      out.push_back(static_cast<char>(c));
    } else {
      out += "\\x";
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 0xf]);
    }
  }
  return out;
}

std::string UuidToString(duckdb_hugeint h) {
  const std::uint64_t upper = static_cast<std::uint64_t>(h.upper) ^ (std::uint64_t{1} << 63);
  char buf[40];
  std::snprintf(
      buf, sizeof(buf), "%08llx-%04llx-%04llx-%04llx-%012llx", static_cast<unsigned long long>(upper >> 32),
      static_cast<unsigned long long>((upper >> 16) & 0xffff),
      static_cast<unsigned long long>(upper & 0xffff), static_cast<unsigned long long>(h.lower >> 48),
      static_cast<unsigned long long>(h.lower & 0xffffffffffffULL));
  return buf;
}

std::string OwnedString(char* text) {
  std::string out = text != nullptr ? text : "";
  if (text != nullptr) duckdb_free(text);
  return out;
}

struct TypeHolder {
  duckdb_logical_type type;
  explicit TypeHolder(duckdb_logical_type t) : type(t) {}
  ~TypeHolder() { duckdb_destroy_logical_type(&type); }
  TypeHolder(const TypeHolder&) = delete;
  TypeHolder& operator=(const TypeHolder&) = delete;
};

nlohmann::json VectorValue(duckdb_vector vector, duckdb_logical_type type, idx_t row, int depth);

nlohmann::json ValueAt(duckdb_vector vector, duckdb_logical_type type, idx_t row, int depth) {
  uint64_t* validity = duckdb_vector_get_validity(vector);
  if (validity != nullptr && !duckdb_validity_row_is_valid(validity, row)) return nullptr;
  return VectorValue(vector, type, row, depth);
}

nlohmann::json VectorValue(duckdb_vector vector, duckdb_logical_type type, idx_t row, int depth) {
  void* data = duckdb_vector_get_data(vector);
  const duckdb_type id = duckdb_get_type_id(type);
  if (depth > 64) return "...";
  switch (id) {
    case DUCKDB_TYPE_BOOLEAN:
      return static_cast<const bool*>(data)[row];
    case DUCKDB_TYPE_TINYINT:
      return static_cast<std::int64_t>(static_cast<const std::int8_t*>(data)[row]);
    case DUCKDB_TYPE_SMALLINT:
      return static_cast<std::int64_t>(static_cast<const std::int16_t*>(data)[row]);
    case DUCKDB_TYPE_INTEGER:
      return static_cast<std::int64_t>(static_cast<const std::int32_t*>(data)[row]);
    case DUCKDB_TYPE_BIGINT:
      return static_cast<const std::int64_t*>(data)[row];
    case DUCKDB_TYPE_UTINYINT:
      return static_cast<std::uint64_t>(static_cast<const std::uint8_t*>(data)[row]);
    case DUCKDB_TYPE_USMALLINT:
      return static_cast<std::uint64_t>(static_cast<const std::uint16_t*>(data)[row]);
    case DUCKDB_TYPE_UINTEGER:
      return static_cast<std::uint64_t>(static_cast<const std::uint32_t*>(data)[row]);
    case DUCKDB_TYPE_UBIGINT:
      return static_cast<const std::uint64_t*>(data)[row];
    case DUCKDB_TYPE_HUGEINT:
      return Int128ToJson(HugeToInt128(static_cast<const duckdb_hugeint*>(data)[row]));
    case DUCKDB_TYPE_UHUGEINT: {
      const duckdb_uhugeint h = static_cast<const duckdb_uhugeint*>(data)[row];
      const UInt128 v = static_cast<UInt128>(h.upper) << 64 | h.lower;
      if (v <= std::numeric_limits<std::uint64_t>::max()) return static_cast<std::uint64_t>(v);
      return UInt128ToString(v);
    }
    case DUCKDB_TYPE_FLOAT:
      return DoubleToJson(static_cast<double>(static_cast<const float*>(data)[row]));
    case DUCKDB_TYPE_DOUBLE:
      return DoubleToJson(static_cast<const double*>(data)[row]);
    case DUCKDB_TYPE_DECIMAL: {
      const int width = duckdb_decimal_width(type);
      const int scale = duckdb_decimal_scale(type);
      Int128 value = 0;
      switch (duckdb_decimal_internal_type(type)) {
        case DUCKDB_TYPE_SMALLINT:
          value = static_cast<const std::int16_t*>(data)[row];
          break;
        case DUCKDB_TYPE_INTEGER:
          value = static_cast<const std::int32_t*>(data)[row];
          break;
        case DUCKDB_TYPE_BIGINT:
          value = static_cast<const std::int64_t*>(data)[row];
          break;
        default:
          value = HugeToInt128(static_cast<const duckdb_hugeint*>(data)[row]);
          break;
      }
      return DecimalToJson(value, width, scale);
    }
    case DUCKDB_TYPE_VARCHAR: {
      auto* str = &static_cast<duckdb_string_t*>(data)[row];
      return std::string(duckdb_string_t_data(str), duckdb_string_t_length(*str));
    }
    case DUCKDB_TYPE_BLOB: {
      auto* str = &static_cast<duckdb_string_t*>(data)[row];
      return EscapeBlob(duckdb_string_t_data(str), duckdb_string_t_length(*str));
    }
    case DUCKDB_TYPE_DATE:
      return FormatDate(static_cast<const duckdb_date*>(data)[row]);
    case DUCKDB_TYPE_TIME:
      return FormatTimeOfDay(static_cast<const duckdb_time*>(data)[row].micros);
    case DUCKDB_TYPE_TIME_NS:
      return FormatTimeOfDay(static_cast<const std::int64_t*>(data)[row] / 1000);
    case DUCKDB_TYPE_TIME_TZ: {
      const duckdb_time_tz_struct t = duckdb_from_time_tz(static_cast<const duckdb_time_tz*>(data)[row]);
      const std::int64_t micros =
          (static_cast<std::int64_t>(t.time.hour) * 3600 + t.time.min * 60 + t.time.sec) * 1000000 +
          t.time.micros;
      const int offset = t.offset;
      char buf[16];
      std::snprintf(buf, sizeof(buf), "%c%02d:%02d", offset < 0 ? '-' : '+', std::abs(offset) / 3600,
                    (std::abs(offset) % 3600) / 60);
      return FormatTimeOfDay(micros) + buf;
    }
    case DUCKDB_TYPE_TIMESTAMP:
      return FormatTimestampMicros(static_cast<const std::int64_t*>(data)[row], false);
    case DUCKDB_TYPE_TIMESTAMP_TZ:
      return FormatTimestampMicros(static_cast<const std::int64_t*>(data)[row], true);
    case DUCKDB_TYPE_TIMESTAMP_S: {
      const std::int64_t v = static_cast<const std::int64_t*>(data)[row];
      return FormatTimestampMicros(v > std::numeric_limits<std::int64_t>::max() / 1000000 ? v : v * 1000000,
                                   false);
    }
    case DUCKDB_TYPE_TIMESTAMP_MS: {
      const std::int64_t v = static_cast<const std::int64_t*>(data)[row];
      return FormatTimestampMicros(v > std::numeric_limits<std::int64_t>::max() / 1000 ? v : v * 1000, false);
    }
    case DUCKDB_TYPE_TIMESTAMP_NS:
      return FormatTimestampMicros(static_cast<const std::int64_t*>(data)[row] / 1000, false);
    case DUCKDB_TYPE_INTERVAL: {
      const duckdb_interval v = static_cast<const duckdb_interval*>(data)[row];
      char buf[96];
      std::snprintf(buf, sizeof(buf), "P%dM%dDT%lld.%06lldS", static_cast<int>(v.months),
                    static_cast<int>(v.days), static_cast<long long>(v.micros / 1000000),
                    static_cast<long long>(std::llabs(v.micros % 1000000)));
      return buf;
    }
    case DUCKDB_TYPE_UUID:
      return UuidToString(static_cast<const duckdb_hugeint*>(data)[row]);
    case DUCKDB_TYPE_ENUM: {
      std::uint32_t index = 0;
      switch (duckdb_enum_internal_type(type)) {
        case DUCKDB_TYPE_UTINYINT:
          index = static_cast<const std::uint8_t*>(data)[row];
          break;
        case DUCKDB_TYPE_USMALLINT:
          index = static_cast<const std::uint16_t*>(data)[row];
          break;
        default:
          index = static_cast<const std::uint32_t*>(data)[row];
          break;
      }
      return OwnedString(duckdb_enum_dictionary_value(type, index));
    }
    case DUCKDB_TYPE_LIST: {
      const duckdb_list_entry entry = static_cast<const duckdb_list_entry*>(data)[row];
      TypeHolder child_type(duckdb_list_type_child_type(type));
      duckdb_vector child = duckdb_list_vector_get_child(vector);
      nlohmann::json out = nlohmann::json::array();
      for (idx_t i = 0; i < entry.length; ++i)
        out.push_back(ValueAt(child, child_type.type, entry.offset + i, depth + 1));
      return out;
    }
    case DUCKDB_TYPE_ARRAY: {
      const idx_t size = duckdb_array_type_array_size(type);
      TypeHolder child_type(duckdb_array_type_child_type(type));
      duckdb_vector child = duckdb_array_vector_get_child(vector);
      nlohmann::json out = nlohmann::json::array();
      for (idx_t i = 0; i < size; ++i)
        out.push_back(ValueAt(child, child_type.type, row * size + i, depth + 1));
      return out;
    }
    case DUCKDB_TYPE_STRUCT: {
      nlohmann::json out = nlohmann::json::object();
      const idx_t count = duckdb_struct_type_child_count(type);
      for (idx_t i = 0; i < count; ++i) {
        TypeHolder child_type(duckdb_struct_type_child_type(type, i));
        out[OwnedString(duckdb_struct_type_child_name(type, i))] =
            ValueAt(duckdb_struct_vector_get_child(vector, i), child_type.type, row, depth + 1);
      }
      return out;
    }
    case DUCKDB_TYPE_MAP: {
      const duckdb_list_entry entry = static_cast<const duckdb_list_entry*>(data)[row];
      TypeHolder key_type(duckdb_map_type_key_type(type));
      TypeHolder value_type(duckdb_map_type_value_type(type));
      duckdb_vector entries = duckdb_list_vector_get_child(vector);
      duckdb_vector keys = duckdb_struct_vector_get_child(entries, 0);
      duckdb_vector values = duckdb_struct_vector_get_child(entries, 1);
      nlohmann::json out = nlohmann::json::object();
      for (idx_t i = 0; i < entry.length; ++i) {
        nlohmann::json key = ValueAt(keys, key_type.type, entry.offset + i, depth + 1);
        out[key.is_string() ? key.get<std::string>() : key.dump()] =
            ValueAt(values, value_type.type, entry.offset + i, depth + 1);
      }
      return out;
    }
    case DUCKDB_TYPE_UNION: {
      duckdb_vector tags = duckdb_struct_vector_get_child(vector, 0);
      const std::uint8_t tag = static_cast<const std::uint8_t*>(duckdb_vector_get_data(tags))[row];
      TypeHolder member_type(duckdb_union_type_member_type(type, tag));
      return ValueAt(duckdb_struct_vector_get_child(vector, tag + 1), member_type.type, row, depth + 1);
    }
    default:
      return nullptr;  // BIT, BIGNUM and other rare types have no JSON form here.
  }
}

}  // namespace

std::string LogicalTypeName(duckdb_logical_type type) {
  const duckdb_type id = duckdb_get_type_id(type);
  switch (id) {
    case DUCKDB_TYPE_BOOLEAN:
      return "BOOLEAN";
    case DUCKDB_TYPE_TINYINT:
      return "TINYINT";
    case DUCKDB_TYPE_SMALLINT:
      return "SMALLINT";
    case DUCKDB_TYPE_INTEGER:
      return "INTEGER";
    case DUCKDB_TYPE_BIGINT:
      return "BIGINT";
    case DUCKDB_TYPE_UTINYINT:
      return "UTINYINT";
    case DUCKDB_TYPE_USMALLINT:
      return "USMALLINT";
    case DUCKDB_TYPE_UINTEGER:
      return "UINTEGER";
    case DUCKDB_TYPE_UBIGINT:
      return "UBIGINT";
    case DUCKDB_TYPE_HUGEINT:
      return "HUGEINT";
    case DUCKDB_TYPE_UHUGEINT:
      return "UHUGEINT";
    case DUCKDB_TYPE_FLOAT:
      return "FLOAT";
    case DUCKDB_TYPE_DOUBLE:
      return "DOUBLE";
    case DUCKDB_TYPE_DECIMAL:
      return "DECIMAL(" + std::to_string(duckdb_decimal_width(type)) + "," +
             std::to_string(duckdb_decimal_scale(type)) + ")";
    case DUCKDB_TYPE_VARCHAR:
      return "VARCHAR";
    case DUCKDB_TYPE_BLOB:
      return "BLOB";
    case DUCKDB_TYPE_DATE:
      return "DATE";
    case DUCKDB_TYPE_TIME:
      return "TIME";
    case DUCKDB_TYPE_TIME_NS:
      return "TIME_NS";
    case DUCKDB_TYPE_TIME_TZ:
      return "TIME WITH TIME ZONE";
    case DUCKDB_TYPE_TIMESTAMP:
      return "TIMESTAMP";
    case DUCKDB_TYPE_TIMESTAMP_TZ:
      return "TIMESTAMP WITH TIME ZONE";
    case DUCKDB_TYPE_TIMESTAMP_S:
      return "TIMESTAMP_S";
    case DUCKDB_TYPE_TIMESTAMP_MS:
      return "TIMESTAMP_MS";
    case DUCKDB_TYPE_TIMESTAMP_NS:
      return "TIMESTAMP_NS";
    case DUCKDB_TYPE_INTERVAL:
      return "INTERVAL";
    case DUCKDB_TYPE_UUID:
      return "UUID";
    case DUCKDB_TYPE_ENUM:
      return "ENUM";
    case DUCKDB_TYPE_BIT:
      return "BIT";
    case DUCKDB_TYPE_BIGNUM:
      return "BIGNUM";
    case DUCKDB_TYPE_SQLNULL:
      return "NULL";
    case DUCKDB_TYPE_LIST: {
      TypeHolder child(duckdb_list_type_child_type(type));
      return LogicalTypeName(child.type) + "[]";
    }
    case DUCKDB_TYPE_ARRAY: {
      TypeHolder child(duckdb_array_type_child_type(type));
      return LogicalTypeName(child.type) + "[" + std::to_string(duckdb_array_type_array_size(type)) + "]";
    }
    case DUCKDB_TYPE_STRUCT: {
      std::string out = "STRUCT(";
      const idx_t count = duckdb_struct_type_child_count(type);
      for (idx_t i = 0; i < count; ++i) {
        TypeHolder child(duckdb_struct_type_child_type(type, i));
        if (i > 0) out += ", ";
        out += QuoteIdent(OwnedString(duckdb_struct_type_child_name(type, i))) + " " +
               LogicalTypeName(child.type);
      }
      return out + ")";
    }
    case DUCKDB_TYPE_MAP: {
      TypeHolder key(duckdb_map_type_key_type(type));
      TypeHolder value(duckdb_map_type_value_type(type));
      return "MAP(" + LogicalTypeName(key.type) + ", " + LogicalTypeName(value.type) + ")";
    }
    case DUCKDB_TYPE_UNION:
      return "UNION";
    default:
      return "UNKNOWN";
  }
}

// ---------------------------------------------------------------- Database

Result<Database> Database::Open(const std::string& path, const DatabaseConfig& config) {
  duckdb_config cfg = nullptr;
  if (duckdb_create_config(&cfg) != DuckDBSuccess)
    return Internal("DuckDB could not create a configuration.");
  std::vector<std::pair<std::string, std::string>> after_open;
  for (const auto& [name, value] : config) {
    if (name == "allowed_paths" || name == "allowed_directories" || name == "lock_configuration" ||
        name == "enable_external_access") {
      after_open.emplace_back(name, value);
      continue;
    }
    if (duckdb_set_config(cfg, name.c_str(), value.c_str()) != DuckDBSuccess) {
      duckdb_destroy_config(&cfg);
      return Invalid("DuckDB rejected the setting " + name + " = " + value + ".");
    }
  }
  Database db;
  char* error = nullptr;
  const std::string open_path = path.empty() ? ":memory:" : path;
  const duckdb_state state = duckdb_open_ext(open_path.c_str(), &db.db_, cfg, &error);
  duckdb_destroy_config(&cfg);
  if (state != DuckDBSuccess) {
    std::string message = "DuckDB could not open the database: " + OwnedString(error);
    return Internal(std::move(message));
  }
  if (error != nullptr) duckdb_free(error);
  if (!after_open.empty()) {
    // Lists, external access and the configuration lock go last, in this order.
    DM_ASSIGN_OR_RETURN(Connection conn, Connection::Open(db));
    auto apply = [&](const std::string& name) -> Status {
      for (const auto& [key, value] : after_open) {
        if (key != name) continue;
        std::string sql;
        if (name == "allowed_paths" || name == "allowed_directories") {
          sql = "SET " + name + " = [";
          std::size_t start = 0;
          bool first = true;
          while (start <= value.size()) {
            std::size_t end = value.find('\n', start);
            if (end == std::string::npos) end = value.size();
            if (end > start) {
              if (!first) sql += ", ";
              sql += QuoteLiteral(value.substr(start, end - start));
              first = false;
            }
            start = end + 1;
          }
          sql += "]";
        } else {
          sql = "SET " + name + " = " + QuoteLiteral(value);
        }
        DM_RETURN_IF_ERROR(conn.Execute(sql));
      }
      return Status::Ok();
    };
    DM_RETURN_IF_ERROR(apply("allowed_directories"));
    DM_RETURN_IF_ERROR(apply("allowed_paths"));
    DM_RETURN_IF_ERROR(apply("enable_external_access"));
    DM_RETURN_IF_ERROR(apply("lock_configuration"));
  }
  return db;
}

Database::Database(Database&& other) noexcept : db_(std::exchange(other.db_, nullptr)) {}

Database& Database::operator=(Database&& other) noexcept {
  if (this != &other) {
    if (db_ != nullptr) duckdb_close(&db_);
    db_ = std::exchange(other.db_, nullptr);
  }
  return *this;
}

Database::~Database() {
  if (db_ != nullptr) duckdb_close(&db_);
}

// ---------------------------------------------------------------- QueryResult

void QueryResult::InitColumns(duckdb_result& result) {
  const idx_t count = duckdb_column_count(&result);
  for (idx_t i = 0; i < count; ++i) {
    const char* name = duckdb_column_name(&result, i);
    names_.emplace_back(name != nullptr ? name : "");
    duckdb_logical_type type = duckdb_column_logical_type(&result, i);
    type_ids_.push_back(duckdb_get_type_id(type));
    type_names_.push_back(LogicalTypeName(type));
    types_.emplace_back(type);
  }
}

void QueryResult::AddChunk(duckdb_data_chunk chunk) {
  const auto size = static_cast<std::int64_t>(duckdb_data_chunk_get_size(chunk));
  if (size == 0) {
    duckdb_destroy_data_chunk(&chunk);
    return;
  }
  chunk_starts_.push_back(row_count_);
  chunks_.emplace_back(chunk);
  row_count_ += size;
}

void QueryResult::ClearRows() {
  chunks_.clear();
  chunk_starts_.clear();
  row_count_ = 0;
}

std::pair<duckdb_data_chunk, idx_t> QueryResult::Locate(std::int64_t row) const {
  auto it = std::upper_bound(chunk_starts_.begin(), chunk_starts_.end(), row);
  const auto index = static_cast<std::size_t>(it - chunk_starts_.begin() - 1);
  return {chunks_[index].get(), static_cast<idx_t>(row - chunk_starts_[index])};
}

nlohmann::json QueryResult::Cell(std::int64_t row, std::size_t col) const {
  auto [chunk, offset] = Locate(row);
  duckdb_vector vector = duckdb_data_chunk_get_vector(chunk, col);
  return ValueAt(vector, types_[col].get(), offset, 0);
}

bool QueryResult::IsNull(std::int64_t row, std::size_t col) const {
  auto [chunk, offset] = Locate(row);
  uint64_t* validity = duckdb_vector_get_validity(duckdb_data_chunk_get_vector(chunk, col));
  return validity != nullptr && !duckdb_validity_row_is_valid(validity, offset);
}

std::string QueryResult::CellString(std::int64_t row, std::size_t col) const {
  nlohmann::json value = Cell(row, col);
  if (value.is_null()) return "";
  if (value.is_string()) return value.get<std::string>();
  return value.dump();
}

nlohmann::json QueryResult::Row(std::int64_t row) const {
  nlohmann::json out = nlohmann::json::array();
  for (std::size_t col = 0; col < names_.size(); ++col) out.push_back(Cell(row, col));
  return out;
}

nlohmann::json QueryResult::Rows() const {
  nlohmann::json out = nlohmann::json::array();
  std::int64_t row = 0;
  for (const auto& chunk : chunks_) {
    const idx_t size = duckdb_data_chunk_get_size(chunk.get());
    std::vector<duckdb_vector> vectors;
    for (std::size_t col = 0; col < names_.size(); ++col)
      vectors.push_back(duckdb_data_chunk_get_vector(chunk.get(), col));
    for (idx_t r = 0; r < size; ++r, ++row) {
      nlohmann::json values = nlohmann::json::array();
      for (std::size_t col = 0; col < names_.size(); ++col)
        values.push_back(ValueAt(vectors[col], types_[col].get(), r, 0));
      out.push_back(std::move(values));
    }
  }
  return out;
}

// ---------------------------------------------------------------- Connection

Result<Connection> Connection::Open(Database& database) {
  Connection conn;
  if (duckdb_connect(database.handle(), &conn.conn_) != DuckDBSuccess) {
    return Internal("DuckDB could not open a connection.");
  }
  return conn;
}

Connection::Connection(Connection&& other) noexcept : conn_(std::exchange(other.conn_, nullptr)) {}

Connection& Connection::operator=(Connection&& other) noexcept {
  if (this != &other) {
    if (conn_ != nullptr) duckdb_disconnect(&conn_);
    conn_ = std::exchange(other.conn_, nullptr);
  }
  return *this;
}

Connection::~Connection() {
  if (conn_ != nullptr) duckdb_disconnect(&conn_);
}

Result<QueryResult> Connection::Query(std::string_view sql) {
  const std::string text(sql);
  duckdb_result result;
  if (duckdb_query(conn_, text.c_str(), &result) != DuckDBSuccess) {
    Status status = ResultError(result);
    duckdb_destroy_result(&result);
    return status;
  }
  QueryResult out;
  out.InitColumns(result);
  while (duckdb_data_chunk chunk = duckdb_fetch_chunk(result)) out.AddChunk(chunk);
  duckdb_destroy_result(&result);
  return out;
}

Status Connection::Execute(std::string_view sql) {
  const std::string text(sql);
  duckdb_result result;
  const duckdb_state state = duckdb_query(conn_, text.c_str(), &result);
  Status status = state == DuckDBSuccess ? Status::Ok() : ResultError(result);
  duckdb_destroy_result(&result);
  return status;
}

Status Connection::Stream(std::string_view sql,
                          const std::function<bool(const QueryResult& batch)>& on_batch) {
  const std::string text(sql);
  duckdb_prepared_statement prepared = nullptr;
  if (duckdb_prepare(conn_, text.c_str(), &prepared) != DuckDBSuccess) {
    const char* message = duckdb_prepare_error(prepared);
    Status status = Invalid(message != nullptr ? message : "DuckDB could not prepare the statement.");
    duckdb_destroy_prepare(&prepared);
    return status;
  }
  return StreamPrepared(prepared, on_batch);
}

Status Connection::StreamSingleStatement(std::string_view sql,
                                         const std::function<Status(duckdb_prepared_statement)>& check,
                                         const std::function<bool(const QueryResult& batch)>& on_batch) {
  const std::string text(sql);
  duckdb_extracted_statements extracted = nullptr;
  const idx_t count = duckdb_extract_statements(conn_, text.c_str(), &extracted);
  if (count == 0) {
    const char* message = duckdb_extract_statements_error(extracted);
    Status status = Invalid(message != nullptr ? message : "The SQL text holds no statement.");
    duckdb_destroy_extracted(&extracted);
    return status;
  }
  if (count > 1) {
    duckdb_destroy_extracted(&extracted);
    return Invalid("Only a single SQL statement is allowed; found " + std::to_string(count) + ".");
  }
  duckdb_prepared_statement prepared = nullptr;
  if (duckdb_prepare_extracted_statement(conn_, extracted, 0, &prepared) != DuckDBSuccess) {
    const char* message = duckdb_prepare_error(prepared);
    Status status = Invalid(message != nullptr ? message : "DuckDB could not prepare the statement.");
    duckdb_destroy_prepare(&prepared);
    duckdb_destroy_extracted(&extracted);
    return status;
  }
  duckdb_destroy_extracted(&extracted);
  if (Status checked = check(prepared); !checked.ok()) {
    duckdb_destroy_prepare(&prepared);
    return checked;
  }
  return StreamPrepared(prepared, on_batch);
}

Status Connection::StreamPrepared(duckdb_prepared_statement prepared,
                                  const std::function<bool(const QueryResult& batch)>& on_batch) {
  duckdb_pending_result pending = nullptr;
  if (duckdb_pending_prepared_streaming(prepared, &pending) != DuckDBSuccess) {
    const char* message = duckdb_pending_error(pending);
    Status status = Invalid(message != nullptr ? message : "DuckDB could not start the statement.");
    duckdb_destroy_pending(&pending);
    duckdb_destroy_prepare(&prepared);
    return status;
  }
  duckdb_result result;
  const duckdb_state state = duckdb_execute_pending(pending, &result);
  duckdb_destroy_pending(&pending);
  duckdb_destroy_prepare(&prepared);
  if (state != DuckDBSuccess) {
    Status status = ResultError(result);
    duckdb_destroy_result(&result);
    return status;
  }
  QueryResult batch;
  batch.InitColumns(result);
  Status status = Status::Ok();
  bool delivered = false;
  while (true) {
    duckdb_data_chunk chunk = duckdb_fetch_chunk(result);
    if (chunk == nullptr) {
      const char* message = duckdb_result_error(&result);
      if (message != nullptr) {
        status = ResultError(result);
      } else if (!delivered) {
        batch.ClearRows();
        on_batch(batch);  // an empty result still reports its columns
      }
      break;
    }
    delivered = true;
    batch.ClearRows();
    batch.AddChunk(chunk);
    if (batch.RowCount() == 0) continue;
    if (!on_batch(batch)) break;
  }
  duckdb_destroy_result(&result);
  return status;
}

void Connection::Interrupt() {
  if (conn_ != nullptr) duckdb_interrupt(conn_);
}

double Connection::Progress() {
  if (conn_ == nullptr) return -1;
  const duckdb_query_progress_type progress = duckdb_query_progress(conn_);
  if (progress.percentage < 0) return -1;
  return progress.percentage / 100.0;
}

// ---------------------------------------------------------------- Appender

Result<Appender> Appender::Create(Connection& connection, const std::string& table) {
  Appender appender;
  if (duckdb_appender_create(connection.handle(), nullptr, table.c_str(), &appender.appender_) !=
      DuckDBSuccess) {
    std::string message = "DuckDB could not create an appender for table " + table;
    const char* error = duckdb_appender_error(appender.appender_);
    if (error != nullptr) message += std::string(": ") + error;
    return Internal(std::move(message));
  }
  return appender;
}

Appender::Appender(Appender&& other) noexcept : appender_(std::exchange(other.appender_, nullptr)) {}

Appender& Appender::operator=(Appender&& other) noexcept {
  if (this != &other) {
    if (appender_ != nullptr) duckdb_appender_destroy(&appender_);
    appender_ = std::exchange(other.appender_, nullptr);
  }
  return *this;
}

Appender::~Appender() {
  if (appender_ != nullptr) duckdb_appender_destroy(&appender_);
}

Status Appender::Check(duckdb_state state) {
  if (state == DuckDBSuccess) return Status::Ok();
  const char* error = duckdb_appender_error(appender_);
  return Invalid(error != nullptr ? error : "DuckDB could not append the value.");
}

Status Appender::AppendNull() {
  return Check(duckdb_append_null(appender_));
}
Status Appender::AppendBool(bool value) {
  return Check(duckdb_append_bool(appender_, value));
}
Status Appender::AppendInt64(std::int64_t value) {
  return Check(duckdb_append_int64(appender_, value));
}
Status Appender::AppendDouble(double value) {
  return Check(duckdb_append_double(appender_, value));
}
Status Appender::AppendVarchar(std::string_view value) {
  return Check(duckdb_append_varchar_length(appender_, value.data(), value.size()));
}
Status Appender::AppendDate(int year, int month, int day) {
  duckdb_date_struct d{year, static_cast<int8_t>(month), static_cast<int8_t>(day)};
  return Check(duckdb_append_date(appender_, duckdb_to_date(d)));
}
Status Appender::AppendTimestamp(int year, int month, int day, int hour, int minute, int second, int micros) {
  duckdb_timestamp_struct ts{
      {year, static_cast<int8_t>(month), static_cast<int8_t>(day)},
      {static_cast<int8_t>(hour), static_cast<int8_t>(minute), static_cast<int8_t>(second), micros}};
  return Check(duckdb_append_timestamp(appender_, duckdb_to_timestamp(ts)));
}
Status Appender::EndRow() {
  return Check(duckdb_appender_end_row(appender_));
}
Status Appender::Flush() {
  return Check(duckdb_appender_flush(appender_));
}
Status Appender::Close() {
  if (appender_ == nullptr) return Status::Ok();
  return Check(duckdb_appender_close(appender_));
}

// ---------------------------------------------------------------- Engine

DatabaseConfig Engine::Config() const {
  DatabaseConfig config;
  if (!options_.memory_limit.empty()) config["memory_limit"] = options_.memory_limit;
  if (options_.threads > 0) config["threads"] = std::to_string(options_.threads);
  if (!options_.temp_dir.empty()) config["temp_directory"] = options_.temp_dir;
  config["autoinstall_known_extensions"] = "false";
  config["autoload_known_extensions"] = "false";
  return config;
}

Engine::Engine(EngineOptions options) : options_(std::move(options)) {
  auto db = Database::Open(":memory:", Config());
  if (!db.ok()) {
    status_ = db.status();
    return;
  }
  database_ = std::make_unique<Database>(std::move(db).value());
}

Engine::~Engine() = default;

Result<Database> Engine::OpenScratch(const DatabaseConfig& extra) const {
  if (!status_.ok()) return status_;
  DatabaseConfig config = Config();
  // Its own spill directory: two databases spilling into one directory would collide on
  // DuckDB's temp file names (DuckDB removes the directory it created when it closes).
  static std::atomic<std::uint64_t> next{0};
  if (!options_.temp_dir.empty()) {
    // DuckDB creates the spill directory itself, but not its parents.
    std::error_code ec;
    std::filesystem::create_directories(options_.temp_dir, ec);
    config["temp_directory"] = options_.temp_dir + "/scratch-" + std::to_string(::getpid()) + "-" +
                               std::to_string(next.fetch_add(1));
  }
  for (const auto& [key, value] : extra) config[key] = value;
  return Database::Open(":memory:", config);
}

Result<Connection> Engine::Connect() {
  if (!status_.ok()) return status_;
  return Connection::Open(*database_);
}

Result<QueryResult> RunWithProgress(Connection& conn, const std::string& sql,
                                    const std::function<bool(double, const std::string&)>& progress,
                                    double base, double span, const std::string& message,
                                    const std::string& canceled_message) {
  // DuckDB's progress tracking is not free: after every task it walks every pipeline under
  // the executor's lock (perf: ~10% of the CPU of reading a 1,000-column CSV). So it is on
  // only while someone listens; without a callback there is nothing to report or cancel.
  if (!progress) return conn.Query(sql);
  DM_RETURN_IF_ERROR(conn.Execute("SET enable_progress_bar=true; SET enable_progress_bar_print=false"));
  std::mutex mutex;
  std::condition_variable done_cv;
  bool done = false;
  std::optional<Result<QueryResult>> result;
  std::thread worker([&] {
    Result<QueryResult> r = conn.Query(sql);
    std::lock_guard<std::mutex> lock(mutex);
    result.emplace(std::move(r));
    done = true;
    done_cv.notify_all();
  });
  bool canceled = false;
  {
    std::unique_lock<std::mutex> lock(mutex);
    while (!done) {
      done_cv.wait_for(lock, std::chrono::milliseconds(200));
      if (done) break;
      lock.unlock();
      const double fraction = conn.Progress();
      const bool keep_going =
          !progress || progress(base + span * std::clamp(fraction < 0 ? 0.0 : fraction, 0.0, 1.0), message);
      lock.lock();
      if (!keep_going && !canceled) {
        canceled = true;
        conn.Interrupt();
      }
    }
  }
  worker.join();
  (void)conn.Execute("RESET enable_progress_bar");
  if (canceled) return Status(ErrorCode::CANCELED, canceled_message);
  return std::move(*result);
}

}  // namespace dm::engine
