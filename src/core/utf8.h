#pragma once
#include <string>
#include <string_view>

namespace dm {

/// `text` as valid UTF-8 of at most `max_bytes`: invalid sequences become U+FFFD and the
/// cut never splits a character (PostgreSQL refuses invalid UTF-8; SQLite stores it).
std::string ValidUtf8(std::string_view text, std::size_t max_bytes);

}  // namespace dm
