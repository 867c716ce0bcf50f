#include "cli/commands.h"

#include <iostream>

#include "api/app.h"
#include "core/ids.h"
#include "core/time.h"
#include "services/audit.h"
#include "services/identity_service.h"
#include "store/database.h"
#include "store/organization_repository.h"
#include "store/transaction.h"
#include "store/user_repository.h"

namespace dm::cli {

int RunMigrate(const Config& config) {
  auto db = store::Database::Open(api::DatabaseUrlFor(config), 1);
  if (!db.ok()) {
    std::cerr << "datamorph migrate: " << db.status().message() << "\n";
    return 1;
  }
  auto applied = (*db)->Migrate();
  if (!applied.ok()) {
    std::cerr << "datamorph migrate: " << applied.status().message() << "\n";
    return 1;
  }
  std::cout << "migrations applied: " << *applied << "\n";
  return 0;
}

int RunUserCreate(const Config& config, const UserCreateArgs& args) {
  auto app = api::App::Create(config);
  if (!app.ok()) {
    std::cerr << "datamorph user create: " << app.status().message() << "\n";
    return 1;
  }
  const std::string email = services::NormalizeEmail(args.email);
  for (const Status& s : {services::ValidateEmail(email), services::ValidatePassword(args.password)}) {
    if (!s.ok()) {
      std::cerr << "datamorph user create: " << s.message() << "\n";
      return 1;
    }
  }
  auto hash = (*app)->identity().HashNewPassword(args.password);
  if (!hash.ok()) {
    std::cerr << "datamorph user create: " << hash.status().message() << "\n";
    return 1;
  }
  const Status result = store::WithSession((*app)->db(), [&](soci::session& s) -> Status {
    store::Transaction tx(s);
    if (store::users::FindByEmail(s, email)) return Conflict("An account with this email already exists.");
    const auto existing = store::organizations::FindByName(s, args.organization);
    std::string org_id = existing ? existing->id : NewId();
    if (!existing) {
      store::organizations::Insert(s, store::Organization{org_id, args.organization, NowIso()});
    }
    const store::User user{NewId(), email, args.full_name, *hash, NowIso()};
    store::users::Insert(s, user);
    store::organizations::AddMember(s, store::TenantId(org_id), user.id, args.role);
    services::WriteAudit(s,
                         services::AuditEvent{org_id,
                                              std::nullopt,
                                              "member.add",
                                              "user",
                                              user.id,
                                              {{"email", email}, {"role", args.role}, {"source", "cli"}}},
                         services::RequestMeta{"cli", "datamorph user create", ""});
    tx.commit();
    std::cout << "created user " << user.id << " (" << email << ") as " << args.role << " in organization "
              << org_id << "\n";
    return Status::Ok();
  });
  if (!result.ok()) {
    std::cerr << "datamorph user create: " << result.message() << "\n";
    return 1;
  }
  return 0;
}

}  // namespace dm::cli
