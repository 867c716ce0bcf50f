#pragma once
#include <optional>
#include <vector>

#include <soci/soci.h>

#include "store/records.h"

namespace dm::store::projects {

struct ListQuery {
  std::int64_t limit = 100;
  std::int64_t offset = 0;
  std::optional<std::string> status;  ///< filter; nullopt = all
};

void Insert(soci::session& s, const Project& p);
std::optional<Project> Find(soci::session& s, const TenantId& tenant, const std::string& id);
std::vector<Project> List(soci::session& s, const TenantId& tenant, const ListQuery& q);
long long Count(soci::session& s, const TenantId& tenant, const ListQuery& q);
/// Writes name, description, status and updated_at; false if not found in the tenant.
bool Update(soci::session& s, const TenantId& tenant, const Project& p);
bool Delete(soci::session& s, const TenantId& tenant, const std::string& id);

}  // namespace dm::store::projects
