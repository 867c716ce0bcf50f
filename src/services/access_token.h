#pragma once
/// Access tokens: compact JWS (JWT) with HS256, signed with the server's key.

#include <cstdint>
#include <string>

#include "core/status.h"

namespace dm::services {

struct AccessClaims {
  std::string user_id;          ///< "sub"
  std::string organization_id;  ///< "org"
  std::int64_t issued_at = 0;   ///< "iat"
  std::int64_t expires_at = 0;  ///< "exp"
};

class AccessTokenSigner {
 public:
  /// `key` is raw secret bytes (>= 32).
  explicit AccessTokenSigner(std::string key) : key_(std::move(key)) {}

  std::string Issue(const AccessClaims& claims) const;
  /// Checks the signature, algorithm, token type and expiry against `now` (unix seconds).
  Result<AccessClaims> Verify(std::string_view token, std::int64_t now) const;

 private:
  std::string key_;
};

/// Loads the signing key from `path`, creating it (32 random bytes, mode 0600) on first start.
Result<std::string> LoadOrCreateSigningKey(const std::string& path);

}  // namespace dm::services
