#include "store/tus_repository.h"

#include "store/row_access.h"

namespace dm::store::tus {

void Insert(soci::session& s, const TusUpload& u) {
  const long long len = u.upload_length, off = u.upload_offset, exp = u.expires_at;
  s << "INSERT INTO tus_uploads (id, organization_id, project_id, user_id, filename, upload_length, "
       "upload_offset, "
       "created_at, expires_at) VALUES (:id, :o, :p, :u, :f, :l, :off, :c, :e)",
      soci::use(u.id), soci::use(u.organization_id), soci::use(u.project_id), soci::use(u.user_id),
      soci::use(u.filename), soci::use(len), soci::use(off), soci::use(u.created_at), soci::use(exp);
}

namespace {
std::optional<TusUpload> Select(soci::session& s, const TenantId& tenant, const std::string& id,
                                const char* suffix) {
  soci::rowset<soci::row> rows =
      (s.prepare
           << "SELECT id, organization_id, project_id, user_id, filename, upload_length, upload_offset, "
              "file_id, created_at, expires_at FROM tus_uploads WHERE organization_id = :o AND id = :id"
           << suffix,
       soci::use(tenant.value), soci::use(id));
  for (const soci::row& r : rows) {
    return TusUpload{Text(r, 0), Text(r, 1), Text(r, 2),    Text(r, 3), Text(r, 4),
                     Int(r, 5),  Int(r, 6),  OptText(r, 7), Text(r, 8), Int(r, 9)};
  }
  return std::nullopt;
}
}  // namespace

std::optional<TusUpload> Find(soci::session& s, const TenantId& tenant, const std::string& id) {
  return Select(s, tenant, id, "");
}

std::optional<TusUpload> FindForUpdate(soci::session& s, const TenantId& tenant, const std::string& id) {
  return Select(s, tenant, id, " FOR UPDATE");
}

bool AdvanceOffset(soci::session& s, const TenantId& tenant, const std::string& id, std::int64_t expected,
                   std::int64_t offset) {
  const long long e = expected, o = offset;
  soci::statement st =
      (s.prepare << "UPDATE tus_uploads SET upload_offset = :n WHERE organization_id = :o AND id = "
                    ":id AND upload_offset = :e",
       soci::use(o), soci::use(tenant.value), soci::use(id), soci::use(e));
  st.execute(true);
  return st.get_affected_rows() == 1;
}

void SetFile(soci::session& s, const TenantId& tenant, const std::string& id, const std::string& file_id) {
  s << "UPDATE tus_uploads SET file_id = :f WHERE organization_id = :o AND id = :id", soci::use(file_id),
      soci::use(tenant.value), soci::use(id);
}

bool Delete(soci::session& s, const TenantId& tenant, const std::string& id) {
  soci::statement st = (s.prepare << "DELETE FROM tus_uploads WHERE organization_id = :o AND id = :id",
                        soci::use(tenant.value), soci::use(id));
  st.execute(true);
  return st.get_affected_rows() > 0;
}

std::vector<std::pair<std::string, std::string>> Expired(soci::session& s, std::int64_t now) {
  std::vector<std::pair<std::string, std::string>> out;
  const long long n = now;
  soci::rowset<soci::row> rows =
      (s.prepare << "SELECT organization_id, id FROM tus_uploads WHERE expires_at < :n AND file_id IS NULL",
       soci::use(n));
  for (const soci::row& r : rows) out.emplace_back(Text(r, 0), Text(r, 1));
  return out;
}

void DeleteById(soci::session& s, const std::string& id) {
  s << "DELETE FROM tus_uploads WHERE id = :id", soci::use(id);
}

}  // namespace dm::store::tus
