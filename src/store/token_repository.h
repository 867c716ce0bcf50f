#pragma once
/// Refresh tokens: stored hashed, grouped in families (one per login) so that reuse of
/// a rotated token can revoke every descendant.

#include <soci/soci.h>
#include <optional>

#include "store/records.h"

namespace dm::store::tokens {

void Insert(soci::session& s, const RefreshToken& t);
std::optional<RefreshToken> FindByHash(soci::session& s, const std::string& token_hash);
/// Marks the token used if it is still fresh; false if it was already used or revoked
/// (a concurrent rotation won the race).
bool MarkUsed(soci::session& s, const std::string& id);
void RevokeFamily(soci::session& s, const std::string& family_id);
void RevokeUserInOrganization(soci::session& s, const TenantId& tenant, const std::string& user_id);

}  // namespace dm::store::tokens
