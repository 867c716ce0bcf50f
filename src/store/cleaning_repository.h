#pragma once
/// The cleaning history of datasets (table cleaning_operations), always within a tenant.

#include <cstdint>
#include <vector>

#include <soci/soci.h>

#include "store/records.h"

namespace dm::store::cleaning {

void Insert(soci::session& s, const CleaningOperation& op);
/// A dataset's history, oldest first.
std::vector<CleaningOperation> ListByDataset(soci::session& s, const TenantId& tenant,
                                             const std::string& dataset_id);
/// Records the measured quality of `version` on the steps that produced it.
void SetQualityAfter(soci::session& s, const TenantId& tenant, const std::string& dataset_id,
                     std::int64_t version, double quality);

}  // namespace dm::store::cleaning
