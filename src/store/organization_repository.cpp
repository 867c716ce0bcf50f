#include "store/organization_repository.h"

#include "core/time.h"
#include "store/row_access.h"

namespace dm::store::organizations {

void Insert(soci::session& s, const Organization& o) {
  s << "INSERT INTO organizations (id, name, created_at) VALUES (:id, :n, :t)", soci::use(o.id),
      soci::use(o.name), soci::use(o.created_at);
}

std::optional<Organization> Find(soci::session& s, const TenantId& tenant) {
  soci::rowset<soci::row> rows =
      (s.prepare << "SELECT id, name, created_at FROM organizations WHERE id = :id", soci::use(tenant.value));
  for (const soci::row& r : rows) return Organization{Text(r, 0), Text(r, 1), Text(r, 2)};
  return std::nullopt;
}

std::optional<Organization> FindByName(soci::session& s, const std::string& name) {
  soci::rowset<soci::row> rows =
      (s.prepare
           << "SELECT id, name, created_at FROM organizations WHERE name = :n ORDER BY created_at LIMIT 1",
       soci::use(name));
  for (const soci::row& r : rows) return Organization{Text(r, 0), Text(r, 1), Text(r, 2)};
  return std::nullopt;
}

void AddMember(soci::session& s, const TenantId& tenant, const std::string& user_id,
               const std::string& role) {
  const std::string now = NowIso();
  s << "INSERT INTO memberships (organization_id, user_id, role, created_at) VALUES (:o, :u, :r, :t)",
      soci::use(tenant.value), soci::use(user_id), soci::use(role), soci::use(now);
}

std::optional<std::string> RoleOf(soci::session& s, const TenantId& tenant, const std::string& user_id) {
  std::string role;
  soci::indicator ind = soci::i_null;
  s << "SELECT role FROM memberships WHERE organization_id = :o AND user_id = :u", soci::use(tenant.value),
      soci::use(user_id), soci::into(role, ind);
  if (!s.got_data() || ind == soci::i_null) return std::nullopt;
  return role;
}

namespace {
constexpr const char* kMemberSelect =
    "SELECT u.id, u.email, u.full_name, m.role, m.created_at FROM memberships m JOIN users u ON u.id = "
    "m.user_id "
    "WHERE m.organization_id = :o";
}

std::vector<Member> ListMembers(soci::session& s, const TenantId& tenant) {
  std::vector<Member> out;
  soci::rowset<soci::row> rows =
      (s.prepare << kMemberSelect << " ORDER BY m.created_at, u.email", soci::use(tenant.value));
  for (const soci::row& r : rows) out.push_back({Text(r, 0), Text(r, 1), Text(r, 2), Text(r, 3), Text(r, 4)});
  return out;
}

std::optional<Member> FindMember(soci::session& s, const TenantId& tenant, const std::string& user_id) {
  soci::rowset<soci::row> rows =
      (s.prepare << kMemberSelect << " AND m.user_id = :u", soci::use(tenant.value), soci::use(user_id));
  for (const soci::row& r : rows) return Member{Text(r, 0), Text(r, 1), Text(r, 2), Text(r, 3), Text(r, 4)};
  return std::nullopt;
}

bool UpdateRole(soci::session& s, const TenantId& tenant, const std::string& user_id,
                const std::string& role) {
  soci::statement st =
      (s.prepare << "UPDATE memberships SET role = :r WHERE organization_id = :o AND user_id = :u",
       soci::use(role), soci::use(tenant.value), soci::use(user_id));
  st.execute(true);
  return st.get_affected_rows() > 0;
}

bool RemoveMember(soci::session& s, const TenantId& tenant, const std::string& user_id) {
  soci::statement st = (s.prepare << "DELETE FROM memberships WHERE organization_id = :o AND user_id = :u",
                        soci::use(tenant.value), soci::use(user_id));
  st.execute(true);
  return st.get_affected_rows() > 0;
}

long long CountAdmins(soci::session& s, const TenantId& tenant) {
  long long n = 0;
  s << "SELECT COUNT(*) FROM memberships WHERE organization_id = :o AND role = 'admin'",
      soci::use(tenant.value), soci::into(n);
  return n;
}

std::optional<std::string> FirstOrganizationOf(soci::session& s, const std::string& user_id) {
  std::string org;
  soci::indicator ind = soci::i_null;
  s << "SELECT organization_id FROM memberships WHERE user_id = :u ORDER BY created_at LIMIT 1",
      soci::use(user_id), soci::into(org, ind);
  if (!s.got_data() || ind == soci::i_null) return std::nullopt;
  return org;
}

}  // namespace dm::store::organizations
