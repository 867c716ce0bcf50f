#pragma once
/// Datasets and their immutable versions, always within a tenant.

#include <optional>
#include <vector>

#include <soci/soci.h>

#include "store/records.h"

namespace dm::store::datasets {

void Insert(soci::session& s, const DatasetRecord& d);
std::optional<DatasetRecord> Find(soci::session& s, const TenantId& tenant, const std::string& id);
std::vector<DatasetRecord> ListByProject(soci::session& s, const TenantId& tenant,
                                         const std::string& project_id, std::int64_t limit,
                                         std::int64_t offset);
long long CountByProject(soci::session& s, const TenantId& tenant, const std::string& project_id);
std::vector<std::string> IdsByFile(soci::session& s, const TenantId& tenant, const std::string& file_id);
bool Delete(soci::session& s, const TenantId& tenant, const std::string& id);
/// Moves the dataset's head to `version` (which must exist). Returns false when the
/// dataset does not exist in the tenant.
bool SetHead(soci::session& s, const TenantId& tenant, const std::string& id, std::int64_t version,
             const std::string& updated_at);
/// The highest version number of the dataset (0 when it has none).
std::int64_t MaxVersion(soci::session& s, const TenantId& tenant, const std::string& id);

void InsertVersion(soci::session& s, const DatasetVersion& v);
std::optional<DatasetVersion> FindVersion(soci::session& s, const TenantId& tenant,
                                          const std::string& dataset_id, std::int64_t version);
/// The stored profile JSON of a version, if computed.
std::optional<nlohmann::json> LoadProfile(soci::session& s, const TenantId& tenant,
                                          const std::string& dataset_id, std::int64_t version);
/// Stores a version's profile, its quality score and the schema enriched with semantic types.
void SaveProfile(soci::session& s, const TenantId& tenant, const std::string& dataset_id,
                 std::int64_t version, const nlohmann::json& profile, double quality_score,
                 const nlohmann::json& schema);
std::vector<DatasetVersion> ListVersions(soci::session& s, const TenantId& tenant,
                                         const std::string& dataset_id);

}  // namespace dm::store::datasets
