#include "store/project_repository.h"

#include "store/row_access.h"

namespace dm::store::projects {

namespace {
constexpr const char* kColumns =
    "SELECT id, organization_id, name, description, status, created_by, created_at, updated_at FROM "
    "projects ";

Project FromRow(const soci::row& r) {
  return Project{Text(r, 0), Text(r, 1), Text(r, 2), Text(r, 3),
                 Text(r, 4), Text(r, 5), Text(r, 6), Text(r, 7)};
}
}  // namespace

void Insert(soci::session& s, const Project& p) {
  s << "INSERT INTO projects (id, organization_id, name, description, status, created_by, created_at, "
       "updated_at) "
       "VALUES (:id, :o, :n, :d, :s, :c, :ca, :ua)",
      soci::use(p.id), soci::use(p.organization_id), soci::use(p.name), soci::use(p.description),
      soci::use(p.status), soci::use(p.created_by), soci::use(p.created_at), soci::use(p.updated_at);
}

std::optional<Project> Find(soci::session& s, const TenantId& tenant, const std::string& id) {
  soci::rowset<soci::row> rows = (s.prepare << kColumns << "WHERE organization_id = :o AND id = :id",
                                  soci::use(tenant.value), soci::use(id));
  for (const soci::row& r : rows) return FromRow(r);
  return std::nullopt;
}

std::vector<Project> List(soci::session& s, const TenantId& tenant, const ListQuery& q) {
  std::vector<Project> out;
  const long long limit = q.limit;
  const long long offset = q.offset;
  const std::string status = q.status.value_or("");
  const int filter = q.status ? 1 : 0;
  soci::rowset<soci::row> rows =
      (s.prepare
           << kColumns
           << "WHERE organization_id = :o AND (:f = 0 OR status = :s) ORDER BY created_at DESC, id DESC "
              "LIMIT :l OFFSET :off",
       soci::use(tenant.value), soci::use(filter), soci::use(status), soci::use(limit), soci::use(offset));
  for (const soci::row& r : rows) out.push_back(FromRow(r));
  return out;
}

long long Count(soci::session& s, const TenantId& tenant, const ListQuery& q) {
  long long n = 0;
  const std::string status = q.status.value_or("");
  const int filter = q.status ? 1 : 0;
  s << "SELECT COUNT(*) FROM projects WHERE organization_id = :o AND (:f = 0 OR status = :s)",
      soci::use(tenant.value), soci::use(filter), soci::use(status), soci::into(n);
  return n;
}

bool Update(soci::session& s, const TenantId& tenant, const Project& p) {
  soci::statement st =
      (s.prepare << "UPDATE projects SET name = :n, description = :d, status = :s, updated_at = :u "
                    "WHERE organization_id = :o AND id = :id",
       soci::use(p.name), soci::use(p.description), soci::use(p.status), soci::use(p.updated_at),
       soci::use(tenant.value), soci::use(p.id));
  st.execute(true);
  return st.get_affected_rows() > 0;
}

bool Delete(soci::session& s, const TenantId& tenant, const std::string& id) {
  soci::statement st = (s.prepare << "DELETE FROM projects WHERE organization_id = :o AND id = :id",
                        soci::use(tenant.value), soci::use(id));
  st.execute(true);
  return st.get_affected_rows() > 0;
}

}  // namespace dm::store::projects
