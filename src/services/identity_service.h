#pragma once
/// Accounts and sessions: register, login (throttled), refresh-token rotation with reuse
/// detection, logout, and turning an access token into a Principal.

#include <string>

#include "core/config.h"
#include "core/status.h"
#include "services/access_token.h"
#include "services/principal.h"
#include "store/database.h"
#include "store/records.h"

namespace dm::services {

struct RegisterInput {
  std::string email;
  std::string password;
  std::string full_name;
  std::string organization_name;
};

struct AuthResult {
  store::User user;
  store::Organization organization;
  Role role = Role::VIEWER;
  std::string access_token;
  std::string refresh_token;
  int expires_in = 0;  ///< access token lifetime, seconds
};

/// Validation shared by registration and member creation.
std::string NormalizeEmail(std::string_view email);
Status ValidateEmail(const std::string& email);
Status ValidatePassword(std::string_view password);

class IdentityService {
 public:
  IdentityService(store::Database& db, const AccessTokenSigner& signer, const Config& config);

  Result<AuthResult> Register(const RegisterInput& in, const RequestMeta& meta);
  Result<AuthResult> Login(const std::string& email, const std::string& password, const RequestMeta& meta);
  Result<AuthResult> Refresh(const std::string& refresh_token, const RequestMeta& meta);
  /// Revokes the refresh token's family (if given and valid). Always succeeds for the caller.
  Status Logout(const std::string& refresh_token, const RequestMeta& meta);
  /// Verifies the access token and loads the caller's current role (so a removed member
  /// or a changed role takes effect at once).
  Result<Principal> Authenticate(std::string_view access_token);

  /// Hashes a password with the configured Argon2id parameters.
  Result<std::string> HashNewPassword(std::string_view password) const;

 private:
  Result<AuthResult> IssueTokens(soci::session& s, const store::User& user,
                                 const std::string& organization_id, const std::string& family_id);

  store::Database& db_;
  const AccessTokenSigner& signer_;
  const Config& config_;
  std::string dummy_hash_;  ///< verified against for unknown emails, so timing does not tell
};

}  // namespace dm::services
