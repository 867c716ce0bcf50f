#include "services/workspace_service.h"

#include "core/ids.h"
#include "core/time.h"
#include "core/utf8.h"
#include "services/audit.h"
#include "store/audit_repository.h"
#include "store/organization_repository.h"
#include "store/project_repository.h"
#include "store/token_repository.h"
#include "store/transaction.h"
#include "store/user_repository.h"

namespace dm::services {

namespace {

Status ProjectNotFound() {
  return NotFound("Project not found.");
}
Status MemberNotFound() {
  return NotFound("Member not found.");
}

std::string Trim(const std::string& s) {
  const auto b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return {};
  return s.substr(b, s.find_last_not_of(" \t\r\n") - b + 1);
}

Status ValidateProjectName(const std::string& name) {
  if (name.empty()) return Unprocessable("The project name must not be empty.", {{"field", "name"}});
  if (name.size() > 200)
    return Unprocessable("The project name must be at most 200 characters.", {{"field", "name"}});
  return Status::Ok();
}

Status ValidateDescription(const std::string& d) {
  if (d.size() > 5000) {
    return Unprocessable("The description must be at most 5000 characters.", {{"field", "description"}});
  }
  return Status::Ok();
}

Result<Role> ParseRoleField(const std::string& role) {
  const auto r = ParseRole(role);
  if (!r) {
    return Unprocessable("The role must be one of admin, manager, analyst, viewer.", {{"field", "role"}});
  }
  return *r;
}

}  // namespace

Result<nlohmann::json> WorkspaceService::Me(const Principal& p) {
  return store::WithSession(db_, [&](soci::session& s) -> Result<nlohmann::json> {
    const auto user = store::users::FindById(s, p.user_id);
    const auto org = store::organizations::Find(s, p.tenant());
    if (!user || !org) return Unauthenticated("Your account no longer exists.");
    return nlohmann::json{
        {"user", {{"id", user->id}, {"email", user->email}, {"full_name", user->full_name}}},
        {"organization", {{"id", org->id}, {"name", org->name}}},
        {"role", RoleName(p.role)},
        {"permissions", PermissionsOf(p.role)}};
  });
}

Result<std::vector<store::Member>> WorkspaceService::ListMembers(const Principal& p) {
  DM_RETURN_IF_ERROR(RequirePermission(p, perm::kOrgRead));
  return store::WithSession(db_, [&](soci::session& s) -> Result<std::vector<store::Member>> {
    return store::organizations::ListMembers(s, p.tenant());
  });
}

Result<store::Member> WorkspaceService::AddMember(const Principal& p, const std::string& raw_email,
                                                  const std::string& role_name,
                                                  const std::optional<std::string>& password,
                                                  const std::string& full_name, const RequestMeta& meta) {
  DM_RETURN_IF_ERROR(RequirePermission(p, perm::kOrgManage));
  const std::string email = NormalizeEmail(raw_email);
  DM_RETURN_IF_ERROR(ValidateEmail(email));
  DM_ASSIGN_OR_RETURN(Role role, ParseRoleField(role_name));
  std::optional<std::string> hash;
  if (password) {
    DM_RETURN_IF_ERROR(ValidatePassword(*password));
    DM_ASSIGN_OR_RETURN(hash, identity_.HashNewPassword(*password));
  }
  return store::WithSession(db_, [&](soci::session& s) -> Result<store::Member> {
    store::Transaction tx(s);
    auto user = store::users::FindByEmail(s, email);
    bool created = false;
    if (!user) {
      if (!hash) {
        return Unprocessable("No account exists for this email; give a password to create one.",
                             {{"field", "password"}});
      }
      user = store::User{NewId(), email, ValidUtf8(Trim(full_name), 200), *hash, NowIso()};
      store::users::Insert(s, *user);
      created = true;
    } else if (store::organizations::RoleOf(s, p.tenant(), user->id)) {
      return Conflict("This user is already a member of the organization.");
    }
    store::organizations::AddMember(s, p.tenant(), user->id, RoleName(role));
    WriteAudit(s,
               AuditEvent{p.organization_id,
                          p.user_id,
                          "member.add",
                          "user",
                          user->id,
                          {{"email", email}, {"role", RoleName(role)}, {"created_account", created}}},
               meta);
    auto member = store::organizations::FindMember(s, p.tenant(), user->id);
    tx.commit();
    return *member;
  });
}

Result<store::Member> WorkspaceService::ChangeRole(const Principal& p, const std::string& user_id,
                                                   const std::string& role_name, const RequestMeta& meta) {
  DM_RETURN_IF_ERROR(RequirePermission(p, perm::kOrgManage));
  DM_ASSIGN_OR_RETURN(Role role, ParseRoleField(role_name));
  if (!IsUuid(user_id)) return MemberNotFound();
  return store::WithSession(db_, [&](soci::session& s) -> Result<store::Member> {
    store::Transaction tx(s);
    const auto current = store::organizations::RoleOf(s, p.tenant(), user_id);
    if (!current) return MemberNotFound();
    if (*current == "admin" && role != Role::ADMIN && store::organizations::CountAdmins(s, p.tenant()) <= 1) {
      return Conflict("The organization must keep at least one admin.");
    }
    store::organizations::UpdateRole(s, p.tenant(), user_id, RoleName(role));
    WriteAudit(s,
               AuditEvent{p.organization_id,
                          p.user_id,
                          "member.role_change",
                          "user",
                          user_id,
                          {{"from", *current}, {"to", RoleName(role)}}},
               meta);
    auto member = store::organizations::FindMember(s, p.tenant(), user_id);
    tx.commit();
    return *member;
  });
}

Status WorkspaceService::RemoveMember(const Principal& p, const std::string& user_id,
                                      const RequestMeta& meta) {
  DM_RETURN_IF_ERROR(RequirePermission(p, perm::kOrgManage));
  if (!IsUuid(user_id)) return MemberNotFound();
  return store::WithSession(db_, [&](soci::session& s) -> Status {
    store::Transaction tx(s);
    const auto current = store::organizations::RoleOf(s, p.tenant(), user_id);
    if (!current) return MemberNotFound();
    if (*current == "admin" && store::organizations::CountAdmins(s, p.tenant()) <= 1) {
      return Conflict("The organization must keep at least one admin.");
    }
    store::organizations::RemoveMember(s, p.tenant(), user_id);
    store::tokens::RevokeUserInOrganization(s, p.tenant(), user_id);
    WriteAudit(
        s, AuditEvent{p.organization_id, p.user_id, "member.remove", "user", user_id, {{"role", *current}}},
        meta);
    tx.commit();
    return Status::Ok();
  });
}

Result<ProjectPage> WorkspaceService::ListProjects(const Principal& p, std::int64_t limit,
                                                   std::int64_t offset,
                                                   const std::optional<std::string>& status) {
  DM_RETURN_IF_ERROR(RequirePermission(p, perm::kProjectRead));
  return store::WithSession(db_, [&](soci::session& s) -> Result<ProjectPage> {
    store::projects::ListQuery q{limit, offset, status};
    return ProjectPage{store::projects::List(s, p.tenant(), q), store::projects::Count(s, p.tenant(), q)};
  });
}

Result<store::Project> WorkspaceService::CreateProject(const Principal& p, const std::string& raw_name,
                                                       const std::string& description,
                                                       const RequestMeta& meta) {
  DM_RETURN_IF_ERROR(RequirePermission(p, perm::kProjectWrite));
  const std::string name = Trim(raw_name);
  DM_RETURN_IF_ERROR(ValidateProjectName(name));
  DM_RETURN_IF_ERROR(ValidateDescription(description));
  return store::WithSession(db_, [&](soci::session& s) -> Result<store::Project> {
    const std::string now = NowIso();
    store::Project project{NewId(), p.organization_id, name, description, "active", p.user_id, now, now};
    store::Transaction tx(s);
    store::projects::Insert(s, project);
    WriteAudit(
        s,
        AuditEvent{p.organization_id, p.user_id, "project.create", "project", project.id, {{"name", name}}},
        meta);
    tx.commit();
    return project;
  });
}

Result<store::Project> WorkspaceService::GetProject(const Principal& p, const std::string& id) {
  DM_RETURN_IF_ERROR(RequirePermission(p, perm::kProjectRead));
  if (!IsUuid(id)) return ProjectNotFound();
  return store::WithSession(db_, [&](soci::session& s) -> Result<store::Project> {
    auto project = store::projects::Find(s, p.tenant(), id);
    if (!project) return ProjectNotFound();
    return *project;
  });
}

Result<store::Project> WorkspaceService::UpdateProject(const Principal& p, const std::string& id,
                                                       const ProjectPatch& patch, const RequestMeta& meta) {
  // Read access first: another tenant's id answers 404 whatever the caller's role.
  DM_ASSIGN_OR_RETURN(store::Project project, GetProject(p, id));
  DM_RETURN_IF_ERROR(RequirePermission(p, perm::kProjectWrite));
  nlohmann::json changes = nlohmann::json::object();
  if (patch.name) {
    const std::string name = Trim(*patch.name);
    DM_RETURN_IF_ERROR(ValidateProjectName(name));
    changes["name"] = {{"from", project.name}, {"to", name}};
    project.name = name;
  }
  if (patch.description) {
    DM_RETURN_IF_ERROR(ValidateDescription(*patch.description));
    changes["description"] = true;
    project.description = *patch.description;
  }
  if (patch.status) {
    if (*patch.status != "active" && *patch.status != "archived") {
      return Unprocessable("The status must be active or archived.", {{"field", "status"}});
    }
    changes["status"] = {{"from", project.status}, {"to", *patch.status}};
    project.status = *patch.status;
  }
  project.updated_at = NowIso();
  return store::WithSession(db_, [&](soci::session& s) -> Result<store::Project> {
    store::Transaction tx(s);
    if (!store::projects::Update(s, p.tenant(), project)) return ProjectNotFound();
    WriteAudit(s, AuditEvent{p.organization_id, p.user_id, "project.update", "project", project.id, changes},
               meta);
    tx.commit();
    return project;
  });
}

Status WorkspaceService::DeleteProject(const Principal& p, const std::string& id, const RequestMeta& meta) {
  DM_ASSIGN_OR_RETURN(store::Project project, GetProject(p, id));
  DM_RETURN_IF_ERROR(RequirePermission(p, perm::kProjectWrite));
  return store::WithSession(db_, [&](soci::session& s) -> Status {
    store::Transaction tx(s);
    if (!store::projects::Delete(s, p.tenant(), project.id)) return ProjectNotFound();
    WriteAudit(
        s,
        AuditEvent{
            p.organization_id, p.user_id, "project.delete", "project", project.id, {{"name", project.name}}},
        meta);
    tx.commit();
    return Status::Ok();
  });
}

Result<std::vector<store::AuditEntry>> WorkspaceService::ListAudit(const Principal& p,
                                                                   const std::string& action_prefix,
                                                                   std::int64_t limit, std::int64_t offset) {
  DM_RETURN_IF_ERROR(RequirePermission(p, perm::kAuditRead));
  return store::WithSession(db_, [&](soci::session& s) -> Result<std::vector<store::AuditEntry>> {
    return store::audit::List(s, p.tenant(), action_prefix, limit, offset);
  });
}

}  // namespace dm::services
