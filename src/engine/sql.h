#pragma once
/// The one place where identifiers and literals are quoted for DuckDB SQL. Every name or
/// string value that reaches SQL anywhere in the engine goes through these two functions.

#include <string>
#include <string_view>

namespace dm::engine {

/// `"name"` with inner double quotes doubled. NUL bytes are removed (DuckDB cannot hold them
/// in an identifier), so the result is always a single, valid quoted identifier.
std::string QuoteIdent(std::string_view name);

/// `'text'` with inner single quotes doubled. NUL bytes are removed (they would end the
/// statement text early in the C API).
std::string QuoteLiteral(std::string_view text);

}  // namespace dm::engine
