#include "services/identity_service.h"

#include <algorithm>
#include <cctype>

#include "core/crypto.h"
#include "core/ids.h"
#include "core/time.h"
#include "services/audit.h"
#include "store/login_throttle_repository.h"
#include "store/organization_repository.h"
#include "store/token_repository.h"
#include "store/transaction.h"
#include "store/user_repository.h"

namespace dm::services {

namespace {
constexpr std::size_t kMaxPasswordBytes = 1024;
constexpr std::size_t kMaxNameBytes = 200;

Status BadCredentials() {
  return Unauthenticated("Incorrect email or password.");
}
Status BadRefresh() {
  return Unauthenticated("The session has expired; please sign in again.");
}

std::string Trim(std::string_view s) {
  const auto b = s.find_first_not_of(" \t\r\n");
  if (b == std::string_view::npos) return {};
  const auto e = s.find_last_not_of(" \t\r\n");
  return std::string(s.substr(b, e - b + 1));
}
}  // namespace

std::string NormalizeEmail(std::string_view email) {
  std::string out = Trim(email);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}

Status ValidateEmail(const std::string& email) {
  const auto at = email.find('@');
  const bool ok = email.size() <= 254 && at != std::string::npos && at > 0 && at == email.rfind('@') &&
                  email.find('.', at) != std::string::npos && email.back() != '.' &&
                  email.find_first_of(" \t\r\n<>,;\"") == std::string::npos;
  if (!ok) return Unprocessable("Enter a valid email address.", {{"field", "email"}});
  return Status::Ok();
}

Status ValidatePassword(std::string_view password) {
  if (password.size() < 8) {
    return Unprocessable("The password must be at least 8 characters long.", {{"field", "password"}});
  }
  if (password.size() > kMaxPasswordBytes) {
    return Unprocessable("The password must be at most 1024 bytes long.", {{"field", "password"}});
  }
  return Status::Ok();
}

IdentityService::IdentityService(store::Database& db, const AccessTokenSigner& signer, const Config& config)
    : db_(db), signer_(signer), config_(config) {
  dummy_hash_ = HashPassword(RandomBytes(16)).value_or("");
}

Result<std::string> IdentityService::HashNewPassword(std::string_view password) const {
  auto hash = HashPassword(password);
  if (!hash) return Internal("The password could not be hashed (out of memory).");
  return *hash;
}

Result<AuthResult> IdentityService::Register(const RegisterInput& raw, const RequestMeta& meta) {
  RegisterInput in = raw;
  in.email = NormalizeEmail(raw.email);
  in.full_name = Trim(raw.full_name);
  in.organization_name = Trim(raw.organization_name);
  DM_RETURN_IF_ERROR(ValidateEmail(in.email));
  DM_RETURN_IF_ERROR(ValidatePassword(in.password));
  if (in.full_name.size() > kMaxNameBytes) {
    return Unprocessable("The full name must be at most 200 characters.", {{"field", "full_name"}});
  }
  if (in.organization_name.size() > kMaxNameBytes) {
    return Unprocessable("The organization name must be at most 200 characters.",
                         {{"field", "organization_name"}});
  }
  if (in.organization_name.empty()) {
    const std::string who = in.full_name.empty() ? in.email.substr(0, in.email.find('@')) : in.full_name;
    in.organization_name = who + "'s organization";
  }
  DM_ASSIGN_OR_RETURN(std::string hash, HashNewPassword(in.password));

  return store::WithSession(db_, [&](soci::session& s) -> Result<AuthResult> {
    store::Transaction tx(s);
    if (store::users::FindByEmail(s, in.email)) return Conflict("An account with this email already exists.");
    const std::string now = NowIso();
    store::User user{NewId(), in.email, in.full_name, hash, now};
    store::Organization org{NewId(), in.organization_name, now};
    store::organizations::Insert(s, org);
    store::users::Insert(s, user);
    store::organizations::AddMember(s, store::TenantId(org.id), user.id, RoleName(Role::ADMIN));
    DM_ASSIGN_OR_RETURN(AuthResult result, IssueTokens(s, user, org.id, NewId()));
    WriteAudit(s, AuditEvent{org.id, user.id, "auth.register", "user", user.id, {{"email", user.email}}},
               meta);
    tx.commit();
    return result;
  });
}

Result<AuthResult> IdentityService::Login(const std::string& raw_email, const std::string& password,
                                          const RequestMeta& meta) {
  const std::string email = NormalizeEmail(raw_email);
  if (email.empty() || password.empty()) {
    return Unprocessable("Email and password are required.",
                         {{"field", email.empty() ? "email" : "password"}});
  }
  if (password.size() > kMaxPasswordBytes) return BadCredentials();
  const std::string throttle_key = email + "|" + meta.ip;

  // Phase 1: throttle check and user lookup (no transaction held while hashing).
  struct Lookup {
    std::int64_t locked_until = 0;
    std::optional<store::User> user;
  };
  DM_ASSIGN_OR_RETURN(Lookup found, store::WithSession(db_, [&](soci::session& s) -> Result<Lookup> {
                        return Lookup{store::login_throttle::LockedUntil(s, throttle_key),
                                      store::users::FindByEmail(s, email)};
                      }));
  const std::int64_t now = NowUnix();
  auto too_many = [&](std::int64_t until) {
    const std::int64_t retry = std::max<std::int64_t>(1, until - now);
    return Status(ErrorCode::RATE_LIMITED, "Too many failed sign-in attempts. Try again later.",
                  {{"retry_after", retry}});
  };
  if (found.locked_until > now) return too_many(found.locked_until);

  const bool ok = found.user ? VerifyPassword(found.user->password_hash, password)
                             : (VerifyPassword(dummy_hash_, password), false);

  return store::WithSession(db_, [&](soci::session& s) -> Result<AuthResult> {
    if (!ok) {
      const std::int64_t until = store::login_throttle::RecordFailure(
          s, throttle_key, now, config_.login_max_failures, config_.login_window_s, config_.login_lockout_s);
      std::optional<std::string> org;
      if (found.user) org = store::organizations::FirstOrganizationOf(s, found.user->id);
      WriteAudit(s,
                 AuditEvent{org,
                            found.user ? std::optional(found.user->id) : std::nullopt,
                            "auth.login_failed",
                            "user",
                            found.user ? found.user->id : "",
                            {{"email", email}}},
                 meta);
      if (until > now) return too_many(until);
      return BadCredentials();
    }
    const auto org = store::organizations::FirstOrganizationOf(s, found.user->id);
    if (!org) return BadCredentials();  // a user with no organization cannot sign in
    store::Transaction tx(s);
    store::login_throttle::Reset(s, throttle_key);
    DM_ASSIGN_OR_RETURN(AuthResult result, IssueTokens(s, *found.user, *org, NewId()));
    WriteAudit(s, AuditEvent{*org, found.user->id, "auth.login", "user", found.user->id, {}}, meta);
    tx.commit();
    return result;
  });
}

Result<AuthResult> IdentityService::Refresh(const std::string& refresh_token, const RequestMeta& meta) {
  if (refresh_token.empty() || refresh_token.size() > 512) return BadRefresh();
  const std::string hash = HexEncode(Sha256(refresh_token));
  return store::WithSession(db_, [&](soci::session& s) -> Result<AuthResult> {
    store::Transaction tx(s);
    const auto token = store::tokens::FindByHash(s, hash);
    if (!token) return BadRefresh();
    if (token->revoked_at) return BadRefresh();
    if (token->used_at || !store::tokens::MarkUsed(s, token->id)) {
      // A rotated token came back: someone holds a copy. Revoke the whole family.
      store::tokens::RevokeFamily(s, token->family_id);
      WriteAudit(s,
                 AuditEvent{token->organization_id,
                            token->user_id,
                            "auth.refresh_reuse",
                            "user",
                            token->user_id,
                            {{"family_id", token->family_id}}},
                 meta);
      tx.commit();
      return BadRefresh();
    }
    if (token->expires_at <= NowUnix()) return BadRefresh();
    const auto user = store::users::FindById(s, token->user_id);
    const auto role =
        store::organizations::RoleOf(s, store::TenantId(token->organization_id), token->user_id);
    if (!user || !role) return BadRefresh();
    DM_ASSIGN_OR_RETURN(AuthResult result, IssueTokens(s, *user, token->organization_id, token->family_id));
    tx.commit();
    return result;
  });
}

Status IdentityService::Logout(const std::string& refresh_token, const RequestMeta& meta) {
  if (refresh_token.empty() || refresh_token.size() > 512) return Status::Ok();
  const std::string hash = HexEncode(Sha256(refresh_token));
  return store::WithSession(db_, [&](soci::session& s) -> Status {
    const auto token = store::tokens::FindByHash(s, hash);
    if (!token) return Status::Ok();
    store::tokens::RevokeFamily(s, token->family_id);
    WriteAudit(s,
               AuditEvent{token->organization_id, token->user_id, "auth.logout", "user", token->user_id, {}},
               meta);
    return Status::Ok();
  });
}

Result<Principal> IdentityService::Authenticate(std::string_view access_token) {
  DM_ASSIGN_OR_RETURN(AccessClaims claims, signer_.Verify(access_token, NowUnix()));
  return store::WithSession(db_, [&](soci::session& s) -> Result<Principal> {
    const auto role_name =
        store::organizations::RoleOf(s, store::TenantId(claims.organization_id), claims.user_id);
    if (!role_name) return Unauthenticated("Your access to this organization has been removed.");
    const auto role = ParseRole(*role_name);
    if (!role) return Internal("A membership has an unknown role.");
    return Principal{claims.user_id, claims.organization_id, *role};
  });
}

Result<AuthResult> IdentityService::IssueTokens(soci::session& s, const store::User& user,
                                                const std::string& organization_id,
                                                const std::string& family_id) {
  const auto org = store::organizations::Find(s, store::TenantId(organization_id));
  const auto role_name = store::organizations::RoleOf(s, store::TenantId(organization_id), user.id);
  if (!org || !role_name) return Unauthenticated("Your access to this organization has been removed.");
  const std::int64_t now = NowUnix();
  AuthResult r;
  r.user = user;
  r.organization = *org;
  r.role = ParseRole(*role_name).value_or(Role::VIEWER);
  r.expires_in = config_.access_token_ttl_s;
  r.access_token =
      signer_.Issue(AccessClaims{user.id, organization_id, now, now + config_.access_token_ttl_s});
  r.refresh_token = Base64UrlEncode(RandomBytes(32));
  store::RefreshToken t;
  t.id = NewId();
  t.token_hash = HexEncode(Sha256(r.refresh_token));
  t.family_id = family_id;
  t.user_id = user.id;
  t.organization_id = organization_id;
  t.expires_at = now + config_.refresh_token_ttl_s;
  store::tokens::Insert(s, t);
  return r;
}

}  // namespace dm::services
