#pragma once
/// Users are global (one account can belong to several organizations); what a user
/// may see is decided by memberships (organization_repository.h).

#include <soci/soci.h>
#include <optional>

#include "store/records.h"

namespace dm::store::users {

void Insert(soci::session& s, const User& user);
std::optional<User> FindByEmail(soci::session& s, const std::string& email);
std::optional<User> FindById(soci::session& s, const std::string& id);

}  // namespace dm::store::users
