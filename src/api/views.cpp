#include "api/views.h"

namespace dm::api {

nlohmann::json ToJson(const store::Project& p) {
  return {{"id", p.id},
          {"name", p.name},
          {"description", p.description},
          {"status", p.status},
          {"created_by", p.created_by},
          {"created_at", p.created_at},
          {"updated_at", p.updated_at}};
}

nlohmann::json ToJson(const store::Member& m) {
  return {{"user_id", m.user_id},
          {"email", m.email},
          {"full_name", m.full_name},
          {"role", m.role},
          {"joined_at", m.created_at}};
}

nlohmann::json ToJson(const store::AuditEntry& e) {
  return {{"id", e.id},
          {"user_id", e.user_id ? nlohmann::json(*e.user_id) : nlohmann::json(nullptr)},
          {"action", e.action},
          {"target_type", e.target_type},
          {"target_id", e.target_id},
          {"ip", e.ip},
          {"user_agent", e.user_agent},
          {"details", e.details},
          {"created_at", e.created_at}};
}

nlohmann::json ToJson(const services::AuthResult& r) {
  return {{"user", {{"id", r.user.id}, {"email", r.user.email}, {"full_name", r.user.full_name}}},
          {"organization", {{"id", r.organization.id}, {"name", r.organization.name}}},
          {"role", services::RoleName(r.role)},
          {"permissions", services::PermissionsOf(r.role)},
          {"access_token", r.access_token},
          {"refresh_token", r.refresh_token},
          {"token_type", "bearer"},
          {"expires_in", r.expires_in}};
}

}  // namespace dm::api
