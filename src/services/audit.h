#pragma once
/// Writing audit rows from services: who did what to which object, from where.

#include <optional>
#include <string>

#include <soci/soci.h>
#include <nlohmann/json.hpp>

#include "services/principal.h"

namespace dm::services {

struct AuditEvent {
  std::optional<std::string> organization_id;
  std::optional<std::string> user_id;
  std::string action;
  std::string target_type;
  std::string target_id;
  nlohmann::json details = nlohmann::json::object();
};

/// Inserts the audit row in the caller's session (and so in its transaction, if any).
void WriteAudit(soci::session& s, const AuditEvent& event, const RequestMeta& meta);

}  // namespace dm::services
