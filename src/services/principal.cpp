#include "services/principal.h"

#include <array>

namespace dm::services {

namespace {
struct Grant {
  std::string_view permission;
  Role minimum;
};
// The permission table: a role holds a permission when it is at least `minimum`.
constexpr std::array<Grant, 7> kGrants = {{
    {perm::kOrgRead, Role::VIEWER},
    {perm::kProjectRead, Role::VIEWER},
    {perm::kDataRead, Role::VIEWER},
    {perm::kDataWrite, Role::ANALYST},
    {perm::kProjectWrite, Role::MANAGER},
    {perm::kAuditRead, Role::MANAGER},
    {perm::kOrgManage, Role::ADMIN},
}};
}  // namespace

std::optional<Role> ParseRole(std::string_view name) {
  if (name == "viewer") return Role::VIEWER;
  if (name == "analyst") return Role::ANALYST;
  if (name == "manager") return Role::MANAGER;
  if (name == "admin") return Role::ADMIN;
  return std::nullopt;
}

const char* RoleName(Role role) {
  switch (role) {
    case Role::VIEWER:
      return "viewer";
    case Role::ANALYST:
      return "analyst";
    case Role::MANAGER:
      return "manager";
    case Role::ADMIN:
      return "admin";
  }
  return "viewer";
}

std::vector<std::string> PermissionsOf(Role role) {
  std::vector<std::string> out;
  for (const Grant& g : kGrants) {
    if (role >= g.minimum) out.emplace_back(g.permission);
  }
  return out;
}

bool HasPermission(Role role, std::string_view permission) {
  for (const Grant& g : kGrants) {
    if (g.permission == permission) return role >= g.minimum;
  }
  return false;
}

Status RequirePermission(const Principal& p, std::string_view permission, const char* message) {
  return HasPermission(p.role, permission) ? Status::Ok() : Forbidden(message);
}

}  // namespace dm::services
