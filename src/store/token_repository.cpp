#include "store/token_repository.h"

#include "core/time.h"
#include "store/row_access.h"

namespace dm::store::tokens {

void Insert(soci::session& s, const RefreshToken& t) {
  const std::string now = NowIso();
  const long long expires = t.expires_at;
  s << "INSERT INTO refresh_tokens (id, token_hash, family_id, user_id, organization_id, expires_at, "
       "created_at) "
       "VALUES (:id, :h, :f, :u, :o, :e, :t)",
      soci::use(t.id), soci::use(t.token_hash), soci::use(t.family_id), soci::use(t.user_id),
      soci::use(t.organization_id), soci::use(expires), soci::use(now);
}

std::optional<RefreshToken> FindByHash(soci::session& s, const std::string& token_hash) {
  soci::rowset<soci::row> rows =
      (s.prepare
           << "SELECT id, token_hash, family_id, user_id, organization_id, expires_at, used_at, revoked_at "
              "FROM refresh_tokens WHERE token_hash = :h",
       soci::use(token_hash));
  for (const soci::row& r : rows) {
    return RefreshToken{Text(r, 0), Text(r, 1), Text(r, 2),    Text(r, 3),
                        Text(r, 4), Int(r, 5),  OptText(r, 6), OptText(r, 7)};
  }
  return std::nullopt;
}

bool MarkUsed(soci::session& s, const std::string& id) {
  const std::string now = NowIso();
  soci::statement st =
      (s.prepare << "UPDATE refresh_tokens SET used_at = :t WHERE id = :id AND used_at IS NULL AND "
                    "revoked_at IS NULL",
       soci::use(now), soci::use(id));
  st.execute(true);
  return st.get_affected_rows() == 1;
}

void RevokeFamily(soci::session& s, const std::string& family_id) {
  const std::string now = NowIso();
  s << "UPDATE refresh_tokens SET revoked_at = :t WHERE family_id = :f AND revoked_at IS NULL",
      soci::use(now), soci::use(family_id);
}

void RevokeUserInOrganization(soci::session& s, const TenantId& tenant, const std::string& user_id) {
  const std::string now = NowIso();
  s << "UPDATE refresh_tokens SET revoked_at = :t WHERE organization_id = :o AND user_id = :u AND revoked_at "
       "IS "
       "NULL",
      soci::use(now), soci::use(tenant.value), soci::use(user_id);
}

}  // namespace dm::store::tokens
