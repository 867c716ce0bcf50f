#include "store/cleaning_repository.h"

#include "store/row_access.h"

namespace dm::store::cleaning {

namespace {

template <typename T>
std::pair<T, soci::indicator> Opt(const std::optional<T>& v) {
  return {v.value_or(T{}), v ? soci::i_ok : soci::i_null};
}

std::optional<std::int64_t> OptInt(const soci::row& r, std::size_t i) {
  if (r.get_indicator(i) == soci::i_null) return std::nullopt;
  return Int(r, i);
}

std::optional<double> OptReal(const soci::row& r, std::size_t i) {
  if (r.get_indicator(i) == soci::i_null) return std::nullopt;
  return Real(r, i);
}

}  // namespace

void Insert(soci::session& s, const CleaningOperation& op) {
  const long long version = op.version, index = op.op_index;
  auto [parent, parent_ind] = Opt<long long>(op.parent_version);
  auto [before, before_ind] = Opt<long long>(op.rows_before);
  auto [after, after_ind] = Opt<long long>(op.rows_after);
  auto [affected, affected_ind] = Opt<long long>(op.affected_rows);
  auto [qb, qb_ind] = Opt<double>(op.quality_before);
  auto [qa, qa_ind] = Opt<double>(op.quality_after);
  const std::string operation = DumpJson(op.operation);
  s << "INSERT INTO cleaning_operations (id, organization_id, dataset_id, kind, version, parent_version, "
       "op_index, operation, rows_before, rows_after, affected_rows, quality_before, quality_after, message, "
       "job_id, created_by, created_at) VALUES (:id, :o, :d, :k, :v, :p, :i, :op, :rb, :ra, :af, :qb, :qa, "
       ":m, :j, :cb, :ca)",
      soci::use(op.id), soci::use(op.organization_id), soci::use(op.dataset_id), soci::use(op.kind),
      soci::use(version), soci::use(parent, parent_ind), soci::use(index), soci::use(operation),
      soci::use(before, before_ind), soci::use(after, after_ind), soci::use(affected, affected_ind),
      soci::use(qb, qb_ind), soci::use(qa, qa_ind), soci::use(op.message), soci::use(op.job_id),
      soci::use(op.created_by), soci::use(op.created_at);
}

std::vector<CleaningOperation> ListByDataset(soci::session& s, const TenantId& tenant,
                                             const std::string& dataset_id) {
  std::vector<CleaningOperation> out;
  soci::rowset<soci::row> rows =
      (s.prepare << "SELECT id, organization_id, dataset_id, kind, version, parent_version, op_index, "
                    "operation, rows_before, rows_after, affected_rows, quality_before, quality_after, "
                    "message, job_id, created_by, created_at FROM cleaning_operations WHERE organization_id "
                    "= :o AND dataset_id = :d ORDER BY created_at, version, op_index",
       soci::use(tenant.value), soci::use(dataset_id));
  for (const soci::row& r : rows) {
    CleaningOperation op;
    op.id = Text(r, 0);
    op.organization_id = Text(r, 1);
    op.dataset_id = Text(r, 2);
    op.kind = Text(r, 3);
    op.version = Int(r, 4);
    op.parent_version = OptInt(r, 5);
    op.op_index = Int(r, 6);
    op.operation = JsonText(r, 7, nlohmann::json::object());
    op.rows_before = OptInt(r, 8);
    op.rows_after = OptInt(r, 9);
    op.affected_rows = OptInt(r, 10);
    op.quality_before = OptReal(r, 11);
    op.quality_after = OptReal(r, 12);
    op.message = Text(r, 13);
    op.job_id = Text(r, 14);
    op.created_by = Text(r, 15);
    op.created_at = Text(r, 16);
    out.push_back(std::move(op));
  }
  return out;
}

void SetQualityAfter(soci::session& s, const TenantId& tenant, const std::string& dataset_id,
                     std::int64_t version, double quality) {
  const long long v = version;
  s << "UPDATE cleaning_operations SET quality_after = :q WHERE organization_id = :o AND dataset_id = :d "
       "AND version = :v AND kind = 'clean'",
      soci::use(quality), soci::use(tenant.value), soci::use(dataset_id), soci::use(v);
}

}  // namespace dm::store::cleaning
