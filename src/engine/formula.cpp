#include "engine/formula.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>

#include "engine/sql.h"

namespace dm::engine::formula {
namespace {

enum class TokenKind { kNumber, kString, kName, kColumn, kOperator, kLeftParen, kRightParen, kComma, kEnd };

struct Token {
  TokenKind kind = TokenKind::kEnd;
  std::string text;  // number text, string value, name, column name or operator
  std::size_t offset = 0;
};

/// What an expression yields, as far as the formula alone can tell.
enum class Kind { kInteger, kFloat, kString, kBoolean, kDate, kTimestamp, kNull, kAny };

struct Expr {
  std::string sql;
  Kind kind = Kind::kAny;
};

bool IsNumeric(Kind k) {
  return k == Kind::kInteger || k == Kind::kFloat || k == Kind::kNull || k == Kind::kAny;
}
bool IsTemporal(Kind k) {
  return k == Kind::kDate || k == Kind::kTimestamp || k == Kind::kNull || k == Kind::kAny;
}
bool IsKnown(Kind k) {
  return k != Kind::kNull && k != Kind::kAny;
}

const char* KindName(Kind k) {
  switch (k) {
    case Kind::kInteger:
    case Kind::kFloat:
      return "a number";
    case Kind::kString:
      return "text";
    case Kind::kBoolean:
      return "a true/false value";
    case Kind::kDate:
      return "a date";
    case Kind::kTimestamp:
      return "a timestamp";
    case Kind::kNull:
      return "null";
    case Kind::kAny:
      return "a value";
  }
  return "a value";
}

Kind KindOfColumn(const ColumnSchema& c) {
  if (c.type == "integer") return Kind::kInteger;
  if (c.type == "float" || c.type == "decimal") return Kind::kFloat;
  if (c.type == "boolean") return Kind::kBoolean;
  if (c.type == "date") return Kind::kDate;
  if (c.type == "timestamp") return Kind::kTimestamp;
  if (c.type == "string" && (c.duckdb_type == "VARCHAR" || c.duckdb_type.starts_with("ENUM("))) {
    return Kind::kString;
  }
  return Kind::kAny;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

/// Merges the kinds of two alternatives (if/coalesce branches).
Kind Unify(Kind a, Kind b) {
  if (a == Kind::kNull) return b;
  if (b == Kind::kNull) return a;
  if (a == b) return a;
  if ((a == Kind::kInteger && b == Kind::kFloat) || (a == Kind::kFloat && b == Kind::kInteger))
    return Kind::kFloat;
  if ((a == Kind::kDate && b == Kind::kTimestamp) || (a == Kind::kTimestamp && b == Kind::kDate)) {
    return Kind::kTimestamp;
  }
  return Kind::kAny;
}

class Parser {
 public:
  Parser(std::string_view text, const std::vector<ColumnSchema>& columns) : text_(text), columns_(columns) {}

  Result<Compiled> Run() {
    DM_RETURN_IF_ERROR(Tokenize());
    if (tokens_.size() == 1) return Error(0, "the formula is empty");
    DM_ASSIGN_OR_RETURN(Expr e, ParseOr());
    if (Peek().kind != TokenKind::kEnd) return Error(Peek().offset, "unexpected '" + Peek().text + "'");
    Compiled out;
    out.sql = e.sql;
    switch (e.kind) {
      case Kind::kInteger:
        out.type = "integer";
        out.duckdb_type = "BIGINT";
        break;
      case Kind::kFloat:
        out.type = "float";
        out.duckdb_type = "DOUBLE";
        break;
      case Kind::kString:
        out.type = "string";
        out.duckdb_type = "VARCHAR";
        break;
      case Kind::kBoolean:
        out.type = "boolean";
        out.duckdb_type = "BOOLEAN";
        break;
      case Kind::kDate:
        out.type = "date";
        out.duckdb_type = "DATE";
        break;
      case Kind::kTimestamp:
        out.type = "timestamp";
        out.duckdb_type = "TIMESTAMP";
        break;
      default:
        break;
    }
    out.columns = used_;
    return out;
  }

 private:
  /// 1-based character (code point) position of a byte offset.
  std::size_t Position(std::size_t offset) const {
    std::size_t pos = 1;
    for (std::size_t i = 0; i < offset && i < text_.size(); ++i) {
      if ((static_cast<unsigned char>(text_[i]) & 0xC0) != 0x80) ++pos;
    }
    return pos;
  }

  Status Error(std::size_t offset, const std::string& message) const {
    const std::size_t pos = Position(offset);
    return Invalid(message + " at position " + std::to_string(pos), {{"position", pos}});
  }

  // ---------------------------------------------------------------- tokenizer

  Status Tokenize() {
    std::size_t i = 0;
    const std::size_t n = text_.size();
    auto is_name_start = [](unsigned char c) { return std::isalpha(c) || c == '_' || c >= 0x80; };
    auto is_name_char = [](unsigned char c) { return std::isalnum(c) || c == '_' || c >= 0x80; };
    while (i < n) {
      const auto c = static_cast<unsigned char>(text_[i]);
      if (std::isspace(c)) {
        ++i;
        continue;
      }
      Token t;
      t.offset = i;
      if (std::isdigit(c) ||
          (c == '.' && i + 1 < n && std::isdigit(static_cast<unsigned char>(text_[i + 1])))) {
        std::size_t j = i;
        while (j < n && std::isdigit(static_cast<unsigned char>(text_[j]))) ++j;
        if (j < n && text_[j] == '.') {
          ++j;
          while (j < n && std::isdigit(static_cast<unsigned char>(text_[j]))) ++j;
        }
        if (j < n && (text_[j] == 'e' || text_[j] == 'E')) {
          std::size_t k = j + 1;
          if (k < n && (text_[k] == '+' || text_[k] == '-')) ++k;
          if (k < n && std::isdigit(static_cast<unsigned char>(text_[k]))) {
            while (k < n && std::isdigit(static_cast<unsigned char>(text_[k]))) ++k;
            j = k;
          }
        }
        if (j < n && is_name_char(static_cast<unsigned char>(text_[j]))) {
          return Error(j, "unexpected '" + std::string(1, text_[j]) + "' in a number");
        }
        t.kind = TokenKind::kNumber;
        t.text = std::string(text_.substr(i, j - i));
        i = j;
      } else if (c == '\'') {
        std::size_t j = i + 1;
        std::string value;
        bool closed = false;
        while (j < n) {
          if (text_[j] == '\'') {
            if (j + 1 < n && text_[j + 1] == '\'') {
              value.push_back('\'');
              j += 2;
              continue;
            }
            closed = true;
            ++j;
            break;
          }
          value.push_back(text_[j++]);
        }
        if (!closed) return Error(i, "unterminated text (a ' is missing)");
        t.kind = TokenKind::kString;
        t.text = std::move(value);
        i = j;
      } else if (c == '[') {
        std::size_t j = i + 1;
        std::string value;
        bool closed = false;
        while (j < n) {
          if (text_[j] == ']') {
            if (j + 1 < n && text_[j + 1] == ']') {
              value.push_back(']');
              j += 2;
              continue;
            }
            closed = true;
            ++j;
            break;
          }
          value.push_back(text_[j++]);
        }
        if (!closed) return Error(i, "unterminated column name (a ] is missing)");
        t.kind = TokenKind::kColumn;
        t.text = std::move(value);
        i = j;
      } else if (is_name_start(c)) {
        std::size_t j = i;
        while (j < n && is_name_char(static_cast<unsigned char>(text_[j]))) ++j;
        t.kind = TokenKind::kName;
        t.text = std::string(text_.substr(i, j - i));
        i = j;
      } else if (c == '(') {
        t.kind = TokenKind::kLeftParen;
        t.text = "(";
        ++i;
      } else if (c == ')') {
        t.kind = TokenKind::kRightParen;
        t.text = ")";
        ++i;
      } else if (c == ',') {
        t.kind = TokenKind::kComma;
        t.text = ",";
        ++i;
      } else {
        static const char* const kOperators[] = {"<=", ">=", "!=", "<>", "==", "+", "-",
                                                 "*",  "/",  "%",  "=",  "<",  ">"};
        const char* found = nullptr;
        for (const char* op : kOperators) {
          if (text_.substr(i).starts_with(op)) {
            found = op;
            break;
          }
        }
        if (found == nullptr) {
          std::size_t len = 1;
          while (i + len < n && (static_cast<unsigned char>(text_[i + len]) & 0xC0) == 0x80) ++len;
          return Error(i, "unexpected character '" + std::string(text_.substr(i, len)) + "'");
        }
        t.kind = TokenKind::kOperator;
        t.text = found;
        i += t.text.size();
      }
      tokens_.push_back(std::move(t));
    }
    Token end;
    end.kind = TokenKind::kEnd;
    end.text = "end of formula";
    end.offset = n;
    tokens_.push_back(std::move(end));
    return Status::Ok();
  }

  // ---------------------------------------------------------------- parser

  const Token& Peek() const { return tokens_[pos_]; }
  const Token& Next() { return tokens_[pos_ < tokens_.size() - 1 ? pos_++ : pos_]; }
  bool PeekOperator(std::string_view op) const {
    return Peek().kind == TokenKind::kOperator && Peek().text == op;
  }
  /// "and", "or", "not": always keywords (no function or bare column has these names).
  bool PeekKeyword(std::string_view word) const {
    return Peek().kind == TokenKind::kName && Lower(Peek().text) == word;
  }

  Status ExpectBoolean(const Expr& e, std::size_t offset, const std::string& what) const {
    if (e.kind == Kind::kBoolean || e.kind == Kind::kNull || e.kind == Kind::kAny) return Status::Ok();
    return Error(offset, what + " needs a true/false value, not " + KindName(e.kind));
  }

  Result<Expr> ParseOr() {
    const std::size_t start = Peek().offset;
    DM_ASSIGN_OR_RETURN(Expr left, ParseAnd());
    while (PeekKeyword("or")) {
      const std::size_t at = Next().offset;
      DM_ASSIGN_OR_RETURN(Expr right, ParseAnd());
      DM_RETURN_IF_ERROR(ExpectBoolean(left, start, "'or'"));
      DM_RETURN_IF_ERROR(ExpectBoolean(right, at, "'or'"));
      left = Expr{"(" + left.sql + " OR " + right.sql + ")", Kind::kBoolean};
    }
    return left;
  }

  Result<Expr> ParseAnd() {
    const std::size_t start = Peek().offset;
    DM_ASSIGN_OR_RETURN(Expr left, ParseNot());
    while (PeekKeyword("and")) {
      const std::size_t at = Next().offset;
      DM_ASSIGN_OR_RETURN(Expr right, ParseNot());
      DM_RETURN_IF_ERROR(ExpectBoolean(left, start, "'and'"));
      DM_RETURN_IF_ERROR(ExpectBoolean(right, at, "'and'"));
      left = Expr{"(" + left.sql + " AND " + right.sql + ")", Kind::kBoolean};
    }
    return left;
  }

  Result<Expr> ParseNot() {
    if (PeekKeyword("not")) {
      const std::size_t at = Next().offset;
      DM_ASSIGN_OR_RETURN(Expr e, ParseNot());
      DM_RETURN_IF_ERROR(ExpectBoolean(e, at, "'not'"));
      return Expr{"(NOT " + e.sql + ")", Kind::kBoolean};
    }
    return ParseCompare();
  }

  static bool Comparable(Kind a, Kind b) {
    if (!IsKnown(a) || !IsKnown(b)) return true;
    const auto group = [](Kind k) {
      if (k == Kind::kInteger || k == Kind::kFloat) return 0;
      if (k == Kind::kDate || k == Kind::kTimestamp) return 1;
      return static_cast<int>(k) + 10;
    };
    return group(a) == group(b);
  }

  Result<Expr> ParseCompare() {
    const std::size_t start = Peek().offset;
    DM_ASSIGN_OR_RETURN(Expr left, ParseSum());
    static const std::map<std::string, std::string> kOps = {{"=", "="},   {"==", "="}, {"!=", "<>"},
                                                            {"<>", "<>"}, {"<", "<"},  {"<=", "<="},
                                                            {">", ">"},   {">=", ">="}};
    if (Peek().kind == TokenKind::kOperator && kOps.count(Peek().text) != 0) {
      const Token op = Next();
      DM_ASSIGN_OR_RETURN(Expr right, ParseSum());
      if (!Comparable(left.kind, right.kind)) {
        return Error(op.offset,
                     std::string("cannot compare ") + KindName(left.kind) + " with " + KindName(right.kind));
      }
      (void)start;
      return Expr{"(" + left.sql + " " + kOps.at(op.text) + " " + right.sql + ")", Kind::kBoolean};
    }
    return left;
  }

  Result<Expr> ParseSum() {
    DM_ASSIGN_OR_RETURN(Expr left, ParseProduct());
    while (PeekOperator("+") || PeekOperator("-")) {
      const Token op = Next();
      DM_ASSIGN_OR_RETURN(Expr right, ParseProduct());
      if (!IsNumeric(left.kind) || !IsNumeric(right.kind)) {
        return Error(op.offset,
                     "'" + op.text + "' needs numbers, not " +
                         (IsNumeric(left.kind) ? KindName(right.kind) : KindName(left.kind)) +
                         (left.kind == Kind::kString || right.kind == Kind::kString
                              ? " (use concat() to join text)"
                              : (IsTemporal(left.kind) ? " (use date_add() or date_diff())" : "")));
      }
      const Kind kind =
          left.kind == Kind::kInteger && right.kind == Kind::kInteger
              ? Kind::kInteger
              : (left.kind == Kind::kAny || right.kind == Kind::kAny ? Kind::kAny : Kind::kFloat);
      left = Expr{"(" + left.sql + " " + op.text + " " + right.sql + ")", kind};
    }
    return left;
  }

  Result<Expr> ParseProduct() {
    DM_ASSIGN_OR_RETURN(Expr left, ParseUnary());
    while (PeekOperator("*") || PeekOperator("/") || PeekOperator("%")) {
      const Token op = Next();
      DM_ASSIGN_OR_RETURN(Expr right, ParseUnary());
      if (!IsNumeric(left.kind) || !IsNumeric(right.kind)) {
        return Error(op.offset,
                     "'" + op.text + "' needs numbers, not " +
                         std::string(IsNumeric(left.kind) ? KindName(right.kind) : KindName(left.kind)));
      }
      if (op.text == "/") {
        // Division is always fractional; dividing by zero gives null (not infinity).
        left = Expr{"(CAST(" + left.sql + " AS DOUBLE) / NULLIF(CAST(" + right.sql + " AS DOUBLE), 0))",
                    Kind::kFloat};
      } else if (op.text == "%") {
        const Kind kind =
            left.kind == Kind::kInteger && right.kind == Kind::kInteger ? Kind::kInteger : Kind::kFloat;
        left = Expr{"(" + left.sql + " % NULLIF(" + right.sql + ", 0))", kind};
      } else {
        const Kind kind =
            left.kind == Kind::kInteger && right.kind == Kind::kInteger
                ? Kind::kInteger
                : (left.kind == Kind::kAny || right.kind == Kind::kAny ? Kind::kAny : Kind::kFloat);
        left = Expr{"(" + left.sql + " * " + right.sql + ")", kind};
      }
    }
    return left;
  }

  Result<Expr> ParseUnary() {
    if (PeekOperator("-") || PeekOperator("+")) {
      const Token op = Next();
      DM_ASSIGN_OR_RETURN(Expr e, ParseUnary());
      if (!IsNumeric(e.kind))
        return Error(op.offset, "'" + op.text + "' needs a number, not " + KindName(e.kind));
      return op.text == "-" ? Expr{"(-" + e.sql + ")", e.kind} : e;
    }
    return ParsePrimary();
  }

  Result<Expr> NumberLiteral(const Token& t) const {
    const std::string& s = t.text;
    const bool integral = s.find_first_of(".eE") == std::string::npos;
    if (integral) {
      std::int64_t v = 0;
      const auto r = std::from_chars(s.data(), s.data() + s.size(), v);
      if (r.ec == std::errc() && r.ptr == s.data() + s.size()) {
        return Expr{"CAST(" + QuoteLiteral(std::to_string(v)) + " AS BIGINT)", Kind::kInteger};
      }
    }
    double d = 0;
    const auto r = std::from_chars(s.data(), s.data() + s.size(), d);
    if (r.ec != std::errc() || r.ptr != s.data() + s.size() || !std::isfinite(d)) {
      return Error(t.offset, "the number " + s + " is out of range");
    }
    char buf[64];
    const auto w = std::to_chars(buf, buf + sizeof(buf), d);
    return Expr{"CAST(" + QuoteLiteral(std::string(buf, w.ptr)) + " AS DOUBLE)", Kind::kFloat};
  }

  Result<Expr> ColumnRef(const Token& t) {
    const ColumnSchema* found = nullptr;
    for (const auto& c : columns_) {
      if (c.name == t.text) {
        found = &c;
        break;
      }
    }
    if (found == nullptr) {
      const std::string lower = Lower(t.text);
      for (const auto& c : columns_) {
        if (Lower(c.name) == lower) {
          found = &c;
          break;
        }
      }
    }
    if (found == nullptr) return Error(t.offset, "unknown column '" + t.text + "'");
    if (std::find(used_.begin(), used_.end(), found->name) == used_.end()) used_.push_back(found->name);
    return Expr{QuoteIdent(found->name), KindOfColumn(*found)};
  }

  Result<Expr> ParsePrimary() {
    const Token t = Next();
    switch (t.kind) {
      case TokenKind::kNumber:
        return NumberLiteral(t);
      case TokenKind::kString:
        return Expr{QuoteLiteral(t.text), Kind::kString};
      case TokenKind::kColumn:
        return ColumnRef(t);
      case TokenKind::kLeftParen: {
        DM_ASSIGN_OR_RETURN(Expr e, ParseOr());
        if (Peek().kind != TokenKind::kRightParen) return Error(Peek().offset, "')' expected");
        Next();
        return e;
      }
      case TokenKind::kName: {
        const std::string lower = Lower(t.text);
        if (Peek().kind == TokenKind::kLeftParen && lower != "and" && lower != "or" && lower != "not") {
          return ParseCall(t);
        }
        if (lower == "true") return Expr{"TRUE", Kind::kBoolean};
        if (lower == "false") return Expr{"FALSE", Kind::kBoolean};
        if (lower == "null") return Expr{"NULL", Kind::kNull};
        if (lower == "and" || lower == "or" || lower == "not") {
          return Error(t.offset, "'" + t.text + "' needs a value before it");
        }
        return ColumnRef(t);
      }
      case TokenKind::kEnd:
        return Error(t.offset, "the formula ends too early");
      default:
        return Error(t.offset, "unexpected '" + t.text + "'");
    }
  }

  struct Arg {
    Expr expr;
    std::size_t offset = 0;
    std::optional<std::string> string_literal;  // when the argument is a plain 'text'
  };

  Result<Expr> ParseCall(const Token& name) {
    Next();  // (
    std::vector<Arg> args;
    if (Peek().kind != TokenKind::kRightParen) {
      while (true) {
        Arg a;
        a.offset = Peek().offset;
        if (Peek().kind == TokenKind::kString && (tokens_[pos_ + 1].kind == TokenKind::kComma ||
                                                  tokens_[pos_ + 1].kind == TokenKind::kRightParen)) {
          a.string_literal = Peek().text;
        }
        DM_ASSIGN_OR_RETURN(a.expr, ParseOr());
        args.push_back(std::move(a));
        if (Peek().kind == TokenKind::kComma) {
          Next();
          continue;
        }
        break;
      }
    }
    if (Peek().kind != TokenKind::kRightParen) return Error(Peek().offset, "')' or ',' expected");
    Next();
    return CallFunction(name, args);
  }

  Status Arity(const Token& name, const std::vector<Arg>& args, std::size_t min, std::size_t max) const {
    if (args.size() >= min && args.size() <= max) return Status::Ok();
    std::string expected =
        min == max ? std::to_string(min) : std::to_string(min) + " to " + std::to_string(max);
    if (max == SIZE_MAX) expected = "at least " + std::to_string(min);
    return Error(name.offset, Lower(name.text) + "() takes " + expected + " argument" +
                                  (max == 1 ? "" : "s") + ", not " + std::to_string(args.size()));
  }

  Status Need(const Token& name, const Arg& a, bool ok, const char* what) const {
    if (ok) return Status::Ok();
    return Error(a.offset, Lower(name.text) + "() needs " + what + " here, not " + KindName(a.expr.kind));
  }

  static std::string AsText(const Expr& e) {
    return e.kind == Kind::kString ? e.sql : "CAST(" + e.sql + " AS VARCHAR)";
  }

  Result<Expr> CallFunction(const Token& name, const std::vector<Arg>& args) {
    const std::string fn = Lower(name.text);
    auto numeric = [&](std::size_t i) {
      return Need(name, args[i], IsNumeric(args[i].expr.kind), "a number");
    };
    auto text = [&](std::size_t i) {
      return Need(name, args[i], args[i].expr.kind != Kind::kBoolean, "text");
    };
    auto temporal = [&](std::size_t i) {
      return Need(name, args[i], IsTemporal(args[i].expr.kind), "a date or timestamp");
    };
    auto sql = [&](std::size_t i) { return args[i].expr.sql; };

    if (fn == "abs" || fn == "floor" || fn == "ceil" || fn == "sqrt" || fn == "ln" || fn == "exp") {
      DM_RETURN_IF_ERROR(Arity(name, args, 1, 1));
      DM_RETURN_IF_ERROR(numeric(0));
      if (fn == "abs") return Expr{"abs(" + sql(0) + ")", args[0].expr.kind};
      if (fn == "floor" || fn == "ceil") return Expr{fn + "(" + sql(0) + ")", args[0].expr.kind};
      // Outside their domain these give null rather than failing the whole operation.
      if (fn == "sqrt")
        return Expr{"sqrt(CASE WHEN " + sql(0) + " >= 0 THEN " + sql(0) + " END)", Kind::kFloat};
      if (fn == "ln") return Expr{"ln(CASE WHEN " + sql(0) + " > 0 THEN " + sql(0) + " END)", Kind::kFloat};
      return Expr{"CASE WHEN " + sql(0) + " <= 709 THEN exp(" + sql(0) + ") END", Kind::kFloat};
    }
    if (fn == "round") {
      DM_RETURN_IF_ERROR(Arity(name, args, 1, 2));
      DM_RETURN_IF_ERROR(numeric(0));
      if (args.size() == 1) return Expr{"round(" + sql(0) + ")", args[0].expr.kind};
      DM_RETURN_IF_ERROR(
          Need(name, args[1], args[1].expr.kind == Kind::kInteger, "a whole number of digits"));
      return Expr{"round(" + sql(0) + ", CAST(" + sql(1) + " AS INTEGER))", args[0].expr.kind};
    }
    if (fn == "pow" || fn == "power") {
      DM_RETURN_IF_ERROR(Arity(name, args, 2, 2));
      DM_RETURN_IF_ERROR(numeric(0));
      DM_RETURN_IF_ERROR(numeric(1));
      return Expr{"pow(CAST(" + sql(0) + " AS DOUBLE), CAST(" + sql(1) + " AS DOUBLE))", Kind::kFloat};
    }
    if (fn == "lower" || fn == "upper" || fn == "trim") {
      DM_RETURN_IF_ERROR(Arity(name, args, 1, 1));
      DM_RETURN_IF_ERROR(text(0));
      return Expr{fn + "(" + AsText(args[0].expr) + ")", Kind::kString};
    }
    if (fn == "length") {
      DM_RETURN_IF_ERROR(Arity(name, args, 1, 1));
      DM_RETURN_IF_ERROR(text(0));
      return Expr{"CAST(length(" + AsText(args[0].expr) + ") AS BIGINT)", Kind::kInteger};
    }
    if (fn == "substr" || fn == "substring") {
      DM_RETURN_IF_ERROR(Arity(name, args, 2, 3));
      DM_RETURN_IF_ERROR(text(0));
      DM_RETURN_IF_ERROR(Need(name, args[1],
                              args[1].expr.kind == Kind::kInteger || !IsKnown(args[1].expr.kind),
                              "a whole number"));
      std::string out = "substring(" + AsText(args[0].expr) + ", CAST(" + sql(1) + " AS BIGINT)";
      if (args.size() == 3) {
        DM_RETURN_IF_ERROR(Need(name, args[2],
                                args[2].expr.kind == Kind::kInteger || !IsKnown(args[2].expr.kind),
                                "a whole number"));
        out += ", greatest(CAST(" + sql(2) + " AS BIGINT), 0)";
      }
      return Expr{out + ")", Kind::kString};
    }
    if (fn == "concat") {
      DM_RETURN_IF_ERROR(Arity(name, args, 1, SIZE_MAX));
      std::string out = "concat(";
      for (std::size_t i = 0; i < args.size(); ++i) out += (i ? ", " : "") + AsText(args[i].expr);
      return Expr{out + ")", Kind::kString};
    }
    if (fn == "replace") {
      DM_RETURN_IF_ERROR(Arity(name, args, 3, 3));
      for (std::size_t i = 0; i < 3; ++i) DM_RETURN_IF_ERROR(text(i));
      return Expr{
          "replace(" + AsText(args[0].expr) + ", " + AsText(args[1].expr) + ", " + AsText(args[2].expr) + ")",
          Kind::kString};
    }
    if (fn == "contains" || fn == "starts_with") {
      DM_RETURN_IF_ERROR(Arity(name, args, 2, 2));
      DM_RETURN_IF_ERROR(text(0));
      DM_RETURN_IF_ERROR(text(1));
      return Expr{fn + "(" + AsText(args[0].expr) + ", " + AsText(args[1].expr) + ")", Kind::kBoolean};
    }
    if (fn == "year" || fn == "month" || fn == "day" || fn == "weekday") {
      DM_RETURN_IF_ERROR(Arity(name, args, 1, 1));
      DM_RETURN_IF_ERROR(temporal(0));
      const std::string part = fn == "weekday" ? "isodow" : fn;
      return Expr{"CAST(" + part + "(" + sql(0) + ") AS BIGINT)", Kind::kInteger};
    }
    if (fn == "date_diff" || fn == "date_add") {
      DM_RETURN_IF_ERROR(Arity(name, args, 3, 3));
      static const std::vector<std::string> kUnits = {"year", "quarter", "month",  "week",
                                                      "day",  "hour",    "minute", "second"};
      if (!args[0].string_literal ||
          std::find(kUnits.begin(), kUnits.end(), Lower(*args[0].string_literal)) == kUnits.end()) {
        return Error(args[0].offset,
                     fn + "() needs a unit in quotes first: 'year', 'quarter', 'month', 'week', "
                          "'day', 'hour', 'minute' or 'second'");
      }
      const std::string unit = Lower(*args[0].string_literal);
      if (fn == "date_diff") {
        DM_RETURN_IF_ERROR(temporal(1));
        DM_RETURN_IF_ERROR(temporal(2));
        return Expr{"date_diff(" + QuoteLiteral(unit) + ", " + sql(1) + ", " + sql(2) + ")", Kind::kInteger};
      }
      DM_RETURN_IF_ERROR(Need(name, args[1],
                              args[1].expr.kind == Kind::kInteger || !IsKnown(args[1].expr.kind),
                              "a whole number"));
      DM_RETURN_IF_ERROR(temporal(2));
      std::string interval;
      if (unit == "quarter") {
        interval = "to_months(CAST(" + sql(1) + " AS INTEGER) * 3)";
      } else {
        interval =
            "to_" + unit + "s(CAST(" + sql(1) + " AS " + (unit == "second" ? "DOUBLE" : "INTEGER") + "))";
      }
      const bool date_result =
          args[2].expr.kind == Kind::kDate && unit != "hour" && unit != "minute" && unit != "second";
      if (date_result) return Expr{"CAST(" + sql(2) + " + " + interval + " AS DATE)", Kind::kDate};
      return Expr{"CAST(" + sql(2) + " + " + interval + " AS TIMESTAMP)", Kind::kTimestamp};
    }
    if (fn == "coalesce") {
      DM_RETURN_IF_ERROR(Arity(name, args, 1, SIZE_MAX));
      Kind kind = Kind::kNull;
      std::string out = "coalesce(";
      for (std::size_t i = 0; i < args.size(); ++i) {
        out += (i ? ", " : "") + sql(i);
        kind = Unify(kind, args[i].expr.kind);
      }
      for (std::size_t i = 0; i < args.size(); ++i) {
        if (IsKnown(kind) && IsKnown(args[i].expr.kind) && Unify(kind, args[i].expr.kind) == Kind::kAny) {
          return Error(args[i].offset, "coalesce() mixes " + std::string(KindName(args[i].expr.kind)) +
                                           " with " + KindName(args[0].expr.kind));
        }
      }
      return Expr{out + ")", kind};
    }
    if (fn == "is_null") {
      DM_RETURN_IF_ERROR(Arity(name, args, 1, 1));
      return Expr{"(" + sql(0) + " IS NULL)", Kind::kBoolean};
    }
    if (fn == "if") {
      DM_RETURN_IF_ERROR(Arity(name, args, 3, 3));
      DM_RETURN_IF_ERROR(ExpectBoolean(args[0].expr, args[0].offset, "if()'s condition"));
      const Kind kind = Unify(args[1].expr.kind, args[2].expr.kind);
      if (IsKnown(args[1].expr.kind) && IsKnown(args[2].expr.kind) && kind == Kind::kAny) {
        return Error(args[2].offset, std::string("if() gives ") + KindName(args[1].expr.kind) + " or " +
                                         KindName(args[2].expr.kind) + "; both branches must be alike");
      }
      return Expr{"(CASE WHEN " + sql(0) + " THEN " + sql(1) + " ELSE " + sql(2) + " END)", kind};
    }
    return Error(name.offset, "unknown function '" + name.text + "'");
  }

  std::string_view text_;
  const std::vector<ColumnSchema>& columns_;
  std::vector<Token> tokens_;
  std::size_t pos_ = 0;
  std::vector<std::string> used_;
};

}  // namespace

Result<Compiled> Compile(std::string_view text, const std::vector<ColumnSchema>& columns) {
  Parser parser(text, columns);
  return parser.Run();
}

}  // namespace dm::engine::formula
