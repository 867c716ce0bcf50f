#include "store/user_repository.h"

#include "store/row_access.h"

namespace dm::store::users {

namespace {
constexpr const char* kColumns = "id, email, full_name, password_hash, created_at";

std::optional<User> One(soci::rowset<soci::row>& rows) {
  for (const soci::row& r : rows) {
    return User{Text(r, 0), Text(r, 1), Text(r, 2), Text(r, 3), Text(r, 4)};
  }
  return std::nullopt;
}
}  // namespace

void Insert(soci::session& s, const User& u) {
  s << "INSERT INTO users (id, email, full_name, password_hash, created_at) VALUES (:id, :e, :n, :h, :t)",
      soci::use(u.id), soci::use(u.email), soci::use(u.full_name), soci::use(u.password_hash),
      soci::use(u.created_at);
}

std::optional<User> FindByEmail(soci::session& s, const std::string& email) {
  soci::rowset<soci::row> rows =
      (s.prepare << "SELECT " << kColumns << " FROM users WHERE email = :e", soci::use(email));
  return One(rows);
}

std::optional<User> FindById(soci::session& s, const std::string& id) {
  soci::rowset<soci::row> rows =
      (s.prepare << "SELECT " << kColumns << " FROM users WHERE id = :id", soci::use(id));
  return One(rows);
}

}  // namespace dm::store::users
