#pragma once
/// Batch verbs: the same services the HTTP handlers call.

#include <string>

#include "core/config.h"

namespace dm::cli {

int RunMigrate(const Config& config);

struct UserCreateArgs {
  std::string email;
  std::string password;
  std::string organization;
  std::string role = "admin";
  std::string full_name;
};
/// Creates the user in the named organization (creating the organization when no
/// organization has that name).
int RunUserCreate(const Config& config, const UserCreateArgs& args);

}  // namespace dm::cli
