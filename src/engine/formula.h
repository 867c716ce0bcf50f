#pragma once
/// The derive_column formula language: a small expression grammar parsed by our own tokenizer
/// and recursive-descent parser into DuckDB SQL. User text never reaches SQL as such: column
/// names go through QuoteIdent, strings through QuoteLiteral, numbers are re-printed from
/// their parsed value, and only the functions and operators listed in docs/cleaning.md exist.
///
///   expr    := or
///   or      := and ("or" and)*
///   and     := not ("and" not)*
///   not     := "not" not | compare
///   compare := sum (("=" | "==" | "!=" | "<>" | "<" | "<=" | ">" | ">=") sum)?
///   sum     := product (("+" | "-") product)*
///   product := unary (("*" | "/" | "%") unary)*
///   unary   := ("-" | "+") unary | primary
///   primary := number | 'string' | true | false | null | name "(" [expr ("," expr)*] ")"
///            | name | "[" column name "]" | "(" expr ")"
/// Keywords and function names are case-insensitive; a bare name not followed by "(" is a
/// column. Inside [...] a "]" is written "]]"; inside '...' a "'" is written "''".

#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "engine/ingest.h"

namespace dm::engine::formula {

/// A compiled formula.
struct Compiled {
  /// A DuckDB SQL expression over the columns (quoted identifiers).
  std::string sql;
  /// The API type the expression yields: integer, float, string, boolean, date, timestamp, or
  /// "" when it cannot be told without the data (e.g. null, or coalesce of unknowns).
  std::string type;
  /// The DuckDB spelling of that type ("BIGINT", "DOUBLE", ...), "" when unknown.
  std::string duckdb_type;
  /// The columns the formula reads (schema spelling), in first-use order.
  std::vector<std::string> columns;
};

/// Parses `text` against `columns` (matched exactly, else case-insensitively).
/// Errors: VALIDATION_ERROR with a message naming the problem and its 1-based character
/// position, and details {"position": n} (unknown column or function, wrong argument count or
/// kind, syntax errors, empty formula).
Result<Compiled> Compile(std::string_view text, const std::vector<ColumnSchema>& columns);

}  // namespace dm::engine::formula
