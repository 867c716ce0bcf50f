#pragma once
#include <string>
#include <string_view>

namespace dm {

/// A new UUIDv7 (time-ordered) in canonical lowercase text form.
std::string NewId();

/// True when `s` is a canonical UUID text (any version). Malformed ids are answered
/// like unknown ones (404), so callers use this to skip a pointless lookup.
bool IsUuid(std::string_view s);

}  // namespace dm
