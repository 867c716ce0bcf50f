#include "services/audit.h"

#include "store/audit_repository.h"

namespace dm::services {

void WriteAudit(soci::session& s, const AuditEvent& event, const RequestMeta& meta) {
  store::AuditEntry e;
  e.organization_id = event.organization_id;
  e.user_id = event.user_id;
  e.action = event.action;
  e.target_type = event.target_type;
  e.target_id = event.target_id;
  e.ip = meta.ip;
  e.user_agent = meta.user_agent.substr(0, 512);
  e.details = event.details;
  if (!meta.request_id.empty()) e.details["request_id"] = meta.request_id;
  store::audit::Insert(s, e);
}

}  // namespace dm::services
