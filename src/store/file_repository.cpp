#include "store/file_repository.h"

#include "core/time.h"
#include "store/row_access.h"

namespace dm::store::files {

namespace {
constexpr const char* kSelect =
    "SELECT id, organization_id, project_id, original_filename, size_bytes, detected_format, status, "
    "error_message, "
    "blob_key, details, created_by, created_at, updated_at, error_code FROM files ";

FileRecord FromRow(const soci::row& r) {
  FileRecord f;
  f.id = Text(r, 0);
  f.organization_id = Text(r, 1);
  f.project_id = Text(r, 2);
  f.original_filename = Text(r, 3);
  f.size_bytes = Int(r, 4);
  f.detected_format = Text(r, 5);
  f.status = Text(r, 6);
  f.error_message = OptText(r, 7);
  f.blob_key = Text(r, 8);
  f.details = JsonText(r, 9, nlohmann::json::object());
  f.created_by = Text(r, 10);
  f.created_at = Text(r, 11);
  f.updated_at = Text(r, 12);
  f.error_code = OptText(r, 13);
  return f;
}
}  // namespace

void Insert(soci::session& s, const FileRecord& f) {
  const long long size = f.size_bytes;
  const std::string details = DumpJson(f.details);
  s << "INSERT INTO files (id, organization_id, project_id, original_filename, size_bytes, detected_format, "
       "status, "
       "blob_key, details, created_by, created_at, updated_at) VALUES (:id, :o, :p, :n, :sz, :fmt, :st, :b, "
       ":d, :cb, "
       ":ca, :ua)",
      soci::use(f.id), soci::use(f.organization_id), soci::use(f.project_id), soci::use(f.original_filename),
      soci::use(size), soci::use(f.detected_format), soci::use(f.status), soci::use(f.blob_key),
      soci::use(details), soci::use(f.created_by), soci::use(f.created_at), soci::use(f.updated_at);
}

std::optional<FileRecord> Find(soci::session& s, const TenantId& tenant, const std::string& id) {
  soci::rowset<soci::row> rows = (s.prepare << kSelect << "WHERE organization_id = :o AND id = :id",
                                  soci::use(tenant.value), soci::use(id));
  for (const soci::row& r : rows) return FromRow(r);
  return std::nullopt;
}

std::vector<FileRecord> ListByProject(soci::session& s, const TenantId& tenant, const std::string& project_id,
                                      std::int64_t limit, std::int64_t offset) {
  std::vector<FileRecord> out;
  const long long l = limit, off = offset;
  soci::rowset<soci::row> rows =
      (s.prepare << kSelect
                 << "WHERE organization_id = :o AND project_id = :p ORDER BY created_at "
                    "DESC, id DESC LIMIT :l OFFSET :off",
       soci::use(tenant.value), soci::use(project_id), soci::use(l), soci::use(off));
  for (const soci::row& r : rows) out.push_back(FromRow(r));
  return out;
}

long long CountByProject(soci::session& s, const TenantId& tenant, const std::string& project_id) {
  long long n = 0;
  s << "SELECT COUNT(*) FROM files WHERE organization_id = :o AND project_id = :p", soci::use(tenant.value),
      soci::use(project_id), soci::into(n);
  return n;
}

void UpdateStatus(soci::session& s, const TenantId& tenant, const std::string& id, const std::string& status,
                  const std::optional<std::string>& error_message, const nlohmann::json& details,
                  const std::optional<std::string>& error_code) {
  const std::string now = NowIso();
  const std::string code = error_code.value_or("");
  soci::indicator code_ind = error_code ? soci::i_ok : soci::i_null;
  const std::string d = DumpJson(details);
  const std::string err = error_message.value_or("");
  soci::indicator ind = error_message ? soci::i_ok : soci::i_null;
  s << "UPDATE files SET status = :s, error_message = :e, error_code = :c, details = :d, updated_at = :u "
       "WHERE "
       "organization_id = :o AND id = :id",
      soci::use(status), soci::use(err, ind), soci::use(code, code_ind), soci::use(d), soci::use(now),
      soci::use(tenant.value), soci::use(id);
}

}  // namespace dm::store::files
