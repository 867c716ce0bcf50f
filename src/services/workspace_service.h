#pragma once
/// Organization members and projects, always inside the caller's organization.

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/status.h"
#include "services/identity_service.h"
#include "services/principal.h"
#include "store/database.h"
#include "store/records.h"

namespace dm::services {

struct ProjectPage {
  std::vector<store::Project> items;
  long long total = 0;
};

struct ProjectPatch {
  std::optional<std::string> name;
  std::optional<std::string> description;
  std::optional<std::string> status;
};

class WorkspaceService {
 public:
  WorkspaceService(store::Database& db, IdentityService& identity) : db_(db), identity_(identity) {}

  // Identity of the caller.
  Result<nlohmann::json> Me(const Principal& p);

  // Members (admin).
  Result<std::vector<store::Member>> ListMembers(const Principal& p);
  Result<store::Member> AddMember(const Principal& p, const std::string& email, const std::string& role,
                                  const std::optional<std::string>& password, const std::string& full_name,
                                  const RequestMeta& meta);
  Result<store::Member> ChangeRole(const Principal& p, const std::string& user_id, const std::string& role,
                                   const RequestMeta& meta);
  Status RemoveMember(const Principal& p, const std::string& user_id, const RequestMeta& meta);

  // Projects.
  Result<ProjectPage> ListProjects(const Principal& p, std::int64_t limit, std::int64_t offset,
                                   const std::optional<std::string>& status);
  Result<store::Project> CreateProject(const Principal& p, const std::string& name,
                                       const std::string& description, const RequestMeta& meta);
  Result<store::Project> GetProject(const Principal& p, const std::string& id);
  Result<store::Project> UpdateProject(const Principal& p, const std::string& id, const ProjectPatch& patch,
                                       const RequestMeta& meta);
  Status DeleteProject(const Principal& p, const std::string& id, const RequestMeta& meta);

  // Audit log (managers and admins).
  Result<std::vector<store::AuditEntry>> ListAudit(const Principal& p, const std::string& action_prefix,
                                                   std::int64_t limit, std::int64_t offset);

 private:
  store::Database& db_;
  IdentityService& identity_;
};

}  // namespace dm::services
