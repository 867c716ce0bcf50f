#include "store/dataset_repository.h"

#include "store/row_access.h"

namespace dm::store::datasets {

namespace {
constexpr const char* kSelect =
    "SELECT id, organization_id, project_id, source_file_id, name, head_version, created_by, created_at, "
    "updated_at "
    "FROM datasets ";
constexpr const char* kVersionSelect =
    "SELECT dataset_id, version, parent_version, organization_id, blob_key, row_count, column_count, "
    "schema_json, "
    "operations, quality_score, created_by, created_at FROM dataset_versions ";

DatasetRecord FromRow(const soci::row& r) {
  return DatasetRecord{Text(r, 0), Text(r, 1), Text(r, 2), Text(r, 3), Text(r, 4),
                       Int(r, 5),  Text(r, 6), Text(r, 7), Text(r, 8)};
}

DatasetVersion VersionFromRow(const soci::row& r) {
  DatasetVersion v;
  v.dataset_id = Text(r, 0);
  v.version = Int(r, 1);
  if (r.get_indicator(2) != soci::i_null) v.parent_version = Int(r, 2);
  v.organization_id = Text(r, 3);
  v.blob_key = Text(r, 4);
  v.row_count = Int(r, 5);
  v.column_count = Int(r, 6);
  v.schema = JsonText(r, 7, nlohmann::json::array());
  v.operations = JsonText(r, 8, nlohmann::json::array());
  if (r.get_indicator(9) != soci::i_null) v.quality_score = Real(r, 9);
  v.created_by = Text(r, 10);
  v.created_at = Text(r, 11);
  return v;
}
}  // namespace

void Insert(soci::session& s, const DatasetRecord& d) {
  const long long head = d.head_version;
  s << "INSERT INTO datasets (id, organization_id, project_id, source_file_id, name, head_version, "
       "created_by, "
       "created_at, updated_at) VALUES (:id, :o, :p, :f, :n, :h, :cb, :ca, :ua)",
      soci::use(d.id), soci::use(d.organization_id), soci::use(d.project_id), soci::use(d.source_file_id),
      soci::use(d.name), soci::use(head), soci::use(d.created_by), soci::use(d.created_at),
      soci::use(d.updated_at);
}

std::optional<DatasetRecord> Find(soci::session& s, const TenantId& tenant, const std::string& id) {
  soci::rowset<soci::row> rows = (s.prepare << kSelect << "WHERE organization_id = :o AND id = :id",
                                  soci::use(tenant.value), soci::use(id));
  for (const soci::row& r : rows) return FromRow(r);
  return std::nullopt;
}

std::vector<DatasetRecord> ListByProject(soci::session& s, const TenantId& tenant,
                                         const std::string& project_id, std::int64_t limit,
                                         std::int64_t offset) {
  std::vector<DatasetRecord> out;
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
  s << "SELECT COUNT(*) FROM datasets WHERE organization_id = :o AND project_id = :p",
      soci::use(tenant.value), soci::use(project_id), soci::into(n);
  return n;
}

std::vector<std::string> IdsByFile(soci::session& s, const TenantId& tenant, const std::string& file_id) {
  std::vector<std::string> out;
  soci::rowset<soci::row> rows = (s.prepare << "SELECT id FROM datasets WHERE organization_id = :o AND "
                                               "source_file_id = :f ORDER BY created_at, "
                                               "id",
                                  soci::use(tenant.value), soci::use(file_id));
  for (const soci::row& r : rows) out.push_back(Text(r, 0));
  return out;
}

bool Delete(soci::session& s, const TenantId& tenant, const std::string& id) {
  soci::statement st = (s.prepare << "DELETE FROM datasets WHERE organization_id = :o AND id = :id",
                        soci::use(tenant.value), soci::use(id));
  st.execute(true);
  return st.get_affected_rows() > 0;
}

bool SetHead(soci::session& s, const TenantId& tenant, const std::string& id, std::int64_t version,
             const std::string& updated_at) {
  const long long v = version;
  soci::statement st = (s.prepare << "UPDATE datasets SET head_version = :v, updated_at = :u WHERE "
                                     "organization_id = :o AND id = :id",
                        soci::use(v), soci::use(updated_at), soci::use(tenant.value), soci::use(id));
  st.execute(true);
  return st.get_affected_rows() > 0;
}

std::int64_t MaxVersion(soci::session& s, const TenantId& tenant, const std::string& id) {
  long long n = 0;
  soci::indicator ind = soci::i_ok;
  s << "SELECT MAX(version) FROM dataset_versions WHERE organization_id = :o AND dataset_id = :d",
      soci::use(tenant.value), soci::use(id), soci::into(n, ind);
  return ind == soci::i_null ? 0 : n;
}

void InsertVersion(soci::session& s, const DatasetVersion& v) {
  const long long version = v.version, rows = v.row_count, cols = v.column_count;
  const long long parent = v.parent_version.value_or(0);
  soci::indicator parent_ind = v.parent_version ? soci::i_ok : soci::i_null;
  const double quality = v.quality_score.value_or(0);
  soci::indicator quality_ind = v.quality_score ? soci::i_ok : soci::i_null;
  const std::string schema = DumpJson(v.schema), ops = DumpJson(v.operations);
  s << "INSERT INTO dataset_versions (dataset_id, version, parent_version, organization_id, blob_key, "
       "row_count, "
       "column_count, schema_json, operations, quality_score, created_by, created_at) VALUES (:d, :v, :p, "
       ":o, :b, "
       ":r, :c, :s, :ops, :q, :cb, :ca)",
      soci::use(v.dataset_id), soci::use(version), soci::use(parent, parent_ind),
      soci::use(v.organization_id), soci::use(v.blob_key), soci::use(rows), soci::use(cols),
      soci::use(schema), soci::use(ops), soci::use(quality, quality_ind), soci::use(v.created_by),
      soci::use(v.created_at);
}

std::optional<DatasetVersion> FindVersion(soci::session& s, const TenantId& tenant,
                                          const std::string& dataset_id, std::int64_t version) {
  const long long v = version;
  soci::rowset<soci::row> rows =
      (s.prepare << kVersionSelect << "WHERE organization_id = :o AND dataset_id = :d AND version = :v",
       soci::use(tenant.value), soci::use(dataset_id), soci::use(v));
  for (const soci::row& r : rows) return VersionFromRow(r);
  return std::nullopt;
}

std::optional<nlohmann::json> LoadProfile(soci::session& s, const TenantId& tenant,
                                          const std::string& dataset_id, std::int64_t version) {
  const long long v = version;
  soci::rowset<soci::row> rows =
      (s.prepare << "SELECT profile FROM dataset_versions WHERE organization_id = :o AND "
                    "dataset_id = :d AND version = :v AND profile IS NOT NULL",
       soci::use(tenant.value), soci::use(dataset_id), soci::use(v));
  for (const soci::row& r : rows) {
    nlohmann::json j = JsonText(r, 0);
    if (j.is_object()) return j;
  }
  return std::nullopt;
}

void SaveProfile(soci::session& s, const TenantId& tenant, const std::string& dataset_id,
                 std::int64_t version, const nlohmann::json& profile, double quality_score,
                 const nlohmann::json& schema) {
  const long long v = version;
  const std::string text = DumpJson(profile), schema_text = DumpJson(schema);
  s << "UPDATE dataset_versions SET profile = :p, quality_score = :q, schema_json = :s WHERE organization_id "
       "= :o "
       "AND dataset_id = :d AND version = :v",
      soci::use(text), soci::use(quality_score), soci::use(schema_text), soci::use(tenant.value),
      soci::use(dataset_id), soci::use(v);
}

std::vector<DatasetVersion> ListVersions(soci::session& s, const TenantId& tenant,
                                         const std::string& dataset_id) {
  std::vector<DatasetVersion> out;
  soci::rowset<soci::row> rows =
      (s.prepare << kVersionSelect << "WHERE organization_id = :o AND dataset_id = :d ORDER BY version",
       soci::use(tenant.value), soci::use(dataset_id));
  for (const soci::row& r : rows) out.push_back(VersionFromRow(r));
  return out;
}

}  // namespace dm::store::datasets
