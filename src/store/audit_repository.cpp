#include "store/audit_repository.h"

#include "core/ids.h"
#include "core/time.h"
#include "store/row_access.h"

namespace dm::store::audit {

void Insert(soci::session& s, const AuditEntry& e) {
  const std::string id = e.id.empty() ? NewId() : e.id;
  const std::string created = e.created_at.empty() ? NowIso() : e.created_at;
  soci::indicator org_ind = e.organization_id ? soci::i_ok : soci::i_null;
  soci::indicator user_ind = e.user_id ? soci::i_ok : soci::i_null;
  const std::string org = e.organization_id.value_or("");
  const std::string user = e.user_id.value_or("");
  const std::string details = e.details.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  s << "INSERT INTO audit_logs (id, organization_id, user_id, action, target_type, target_id, ip, "
       "user_agent, "
       "details, created_at) VALUES (:id, :o, :u, :a, :tt, :ti, :ip, :ua, :d, :c)",
      soci::use(id), soci::use(org, org_ind), soci::use(user, user_ind), soci::use(e.action),
      soci::use(e.target_type), soci::use(e.target_id), soci::use(e.ip), soci::use(e.user_agent),
      soci::use(details), soci::use(created);
}

std::vector<AuditEntry> List(soci::session& s, const TenantId& tenant, const std::string& action_prefix,
                             std::int64_t limit, std::int64_t offset) {
  std::vector<AuditEntry> out;
  const long long l = limit;
  const long long off = offset;
  const std::string pattern = action_prefix + "%";
  soci::rowset<soci::row> rows =
      (s.prepare
           << "SELECT id, organization_id, user_id, action, target_type, target_id, ip, user_agent, details, "
              "created_at FROM audit_logs WHERE organization_id = :o AND action LIKE :p "
              "ORDER BY created_at DESC, id DESC LIMIT :l OFFSET :off",
       soci::use(tenant.value), soci::use(pattern), soci::use(l), soci::use(off));
  for (const soci::row& r : rows) {
    AuditEntry e;
    e.id = Text(r, 0);
    e.organization_id = OptText(r, 1);
    e.user_id = OptText(r, 2);
    e.action = Text(r, 3);
    e.target_type = Text(r, 4);
    e.target_id = Text(r, 5);
    e.ip = Text(r, 6);
    e.user_agent = Text(r, 7);
    e.details = nlohmann::json::parse(Text(r, 8), nullptr, /*allow_exceptions=*/false);
    if (e.details.is_discarded()) e.details = nlohmann::json::object();
    e.created_at = Text(r, 9);
    out.push_back(std::move(e));
  }
  return out;
}

}  // namespace dm::store::audit
