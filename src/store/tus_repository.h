#pragma once
/// Resumable (tus 1.0) uploads in progress.

#include <soci/soci.h>
#include <optional>
#include <utility>
#include <vector>

#include "store/records.h"

namespace dm::store::tus {

void Insert(soci::session& s, const TusUpload& u);
std::optional<TusUpload> Find(soci::session& s, const TenantId& tenant, const std::string& id);
/// The upload, row-locked until the caller's transaction ends (SELECT ... FOR UPDATE): how
/// nodes sharing PostgreSQL serialise appends to one upload. PostgreSQL only.
std::optional<TusUpload> FindForUpdate(soci::session& s, const TenantId& tenant, const std::string& id);
/// Moves the offset from `expected` to `offset`; false if another request moved it first.
bool AdvanceOffset(soci::session& s, const TenantId& tenant, const std::string& id, std::int64_t expected,
                   std::int64_t offset);
void SetFile(soci::session& s, const TenantId& tenant, const std::string& id, const std::string& file_id);
bool Delete(soci::session& s, const TenantId& tenant, const std::string& id);
/// {organization id, upload id} of unfinished uploads whose expiry passed (for cleanup).
std::vector<std::pair<std::string, std::string>> Expired(soci::session& s, std::int64_t now);
void DeleteById(soci::session& s, const std::string& id);

}  // namespace dm::store::tus
