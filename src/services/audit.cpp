#include "services/audit.h"

#include "core/utf8.h"

#include "store/audit_repository.h"

namespace dm::services {

void WriteAudit(soci::session& s, const AuditEvent& event, const RequestMeta& meta) {
  store::AuditEntry e;
  e.organization_id = event.organization_id;
  e.user_id = event.user_id;
  e.action = event.action;
  e.target_type = event.target_type;
  e.target_id = event.target_id;
  e.ip = ValidUtf8(meta.ip, 64);
  e.user_agent = ValidUtf8(meta.user_agent, 512);  // a header: any bytes at all
  e.details = event.details;
  if (!meta.request_id.empty()) e.details["request_id"] = meta.request_id;
  store::audit::Insert(s, e);
}

}  // namespace dm::services
