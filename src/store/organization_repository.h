#pragma once
/// Organizations and their memberships (user + role).

#include <optional>
#include <vector>

#include <soci/soci.h>

#include "store/records.h"

namespace dm::store::organizations {

void Insert(soci::session& s, const Organization& org);
std::optional<Organization> Find(soci::session& s, const TenantId& tenant);
/// The oldest organization with this exact name (for command-line bootstrapping).
std::optional<Organization> FindByName(soci::session& s, const std::string& name);

void AddMember(soci::session& s, const TenantId& tenant, const std::string& user_id, const std::string& role);
/// The user's role in the organization, if a member.
std::optional<std::string> RoleOf(soci::session& s, const TenantId& tenant, const std::string& user_id);
std::vector<Member> ListMembers(soci::session& s, const TenantId& tenant);
std::optional<Member> FindMember(soci::session& s, const TenantId& tenant, const std::string& user_id);
/// Returns false when the user is not a member.
bool UpdateRole(soci::session& s, const TenantId& tenant, const std::string& user_id,
                const std::string& role);
bool RemoveMember(soci::session& s, const TenantId& tenant, const std::string& user_id);
long long CountAdmins(soci::session& s, const TenantId& tenant);
/// The organization the user joined first (their default at login), if any.
std::optional<std::string> FirstOrganizationOf(soci::session& s, const std::string& user_id);

}  // namespace dm::store::organizations
