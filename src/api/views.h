#pragma once
/// JSON renderings of records, as API.md fixes them.

#include <nlohmann/json.hpp>

#include "services/identity_service.h"
#include "store/records.h"

namespace dm::api {

nlohmann::json ToJson(const store::Project& p);
nlohmann::json ToJson(const store::Member& m);
nlohmann::json ToJson(const store::AuditEntry& e);
nlohmann::json ToJson(const services::AuthResult& r);

}  // namespace dm::api
