#pragma once
#include <vector>

#include <soci/soci.h>

#include "store/records.h"

namespace dm::store::audit {

void Insert(soci::session& s, const AuditEntry& e);
/// Newest first. `action_prefix` filters (e.g. "project."), empty = all.
std::vector<AuditEntry> List(soci::session& s, const TenantId& tenant, const std::string& action_prefix,
                             std::int64_t limit, std::int64_t offset);

}  // namespace dm::store::audit
