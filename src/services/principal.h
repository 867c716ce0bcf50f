#pragma once
/// Who is acting, in which organization, with which role; and the request facts the
/// audit log records.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "store/records.h"

namespace dm::services {

/// Ordered: each role has every permission of the roles below it.
enum class Role { VIEWER = 0, ANALYST = 1, MANAGER = 2, ADMIN = 3 };

std::optional<Role> ParseRole(std::string_view name);
const char* RoleName(Role role);

/// Permission names, as listed by GET /auth/me.
namespace perm {
inline constexpr std::string_view kOrgRead = "org:read";
inline constexpr std::string_view kProjectRead = "project:read";
inline constexpr std::string_view kDataRead = "data:read";
inline constexpr std::string_view kDataWrite = "data:write";
inline constexpr std::string_view kProjectWrite = "project:write";
inline constexpr std::string_view kAuditRead = "audit:read";
inline constexpr std::string_view kOrgManage = "org:manage";
}  // namespace perm

std::vector<std::string> PermissionsOf(Role role);
bool HasPermission(Role role, std::string_view permission);

/// FORBIDDEN with `message` unless the principal's role holds `permission`.
Status RequirePermission(const struct Principal& p, std::string_view permission,
                         const char* message = "Your role does not allow this action.");

struct Principal {
  std::string user_id;
  std::string organization_id;
  Role role = Role::VIEWER;
  store::TenantId tenant() const { return store::TenantId(organization_id); }
};

struct RequestMeta {
  std::string ip;
  std::string user_agent;
  std::string request_id;
};

}  // namespace dm::services
