#pragma once
/// Uploaded files (one row per upload), always within a tenant.

#include <optional>
#include <vector>

#include <soci/soci.h>

#include "store/records.h"

namespace dm::store::files {

void Insert(soci::session& s, const FileRecord& f);
std::optional<FileRecord> Find(soci::session& s, const TenantId& tenant, const std::string& id);
std::vector<FileRecord> ListByProject(soci::session& s, const TenantId& tenant, const std::string& project_id,
                                      std::int64_t limit, std::int64_t offset);
long long CountByProject(soci::session& s, const TenantId& tenant, const std::string& project_id);
/// Sets status, error message and details.
void UpdateStatus(soci::session& s, const TenantId& tenant, const std::string& id, const std::string& status,
                  const std::optional<std::string>& error_message, const nlohmann::json& details,
                  const std::optional<std::string>& error_code = std::nullopt);

}  // namespace dm::store::files
