#include <gtest/gtest.h>

#include "core/crypto.h"
#include "core/ids.h"
#include "services/access_token.h"
#include "services/principal.h"

namespace dm {
namespace {

class Crypto : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { ASSERT_TRUE(InitCrypto()); }
};

TEST_F(Crypto, Argon2idHashesVerifyAndAreSalted) {
  auto a = HashPassword("correct horse", {1, 8u * 1024 * 1024});
  auto b = HashPassword("correct horse", {1, 8u * 1024 * 1024});
  ASSERT_TRUE(a && b);
  EXPECT_EQ(a->rfind("$argon2id$", 0), 0u);
  EXPECT_NE(*a, *b);
  EXPECT_TRUE(VerifyPassword(*a, "correct horse"));
  EXPECT_FALSE(VerifyPassword(*a, "correct horsE"));
  EXPECT_FALSE(VerifyPassword("$2b$10$notargon", "x"));
}

TEST_F(Crypto, Base64UrlRoundTripsAndRejectsGarbage) {
  const std::string bytes = RandomBytes(33);
  EXPECT_EQ(*Base64UrlDecode(Base64UrlEncode(bytes)), bytes);
  EXPECT_FALSE(Base64UrlDecode("***").has_value());
}

TEST_F(Crypto, UuidV7IsCanonicalAndTimeOrdered) {
  const std::string a = NewId();
  const std::string b = NewId();
  EXPECT_TRUE(IsUuid(a));
  EXPECT_EQ(a[14], '7');
  EXPECT_LE(a.substr(0, 8), b.substr(0, 8));
  EXPECT_FALSE(IsUuid("../../etc/passwd"));
  EXPECT_FALSE(IsUuid(""));
}

TEST_F(Crypto, AccessTokensVerifyAndExpire) {
  services::AccessTokenSigner signer(std::string(32, 'k'));
  const std::string t = signer.Issue({"user-1", "org-1", 1000, 1900});
  auto ok = signer.Verify(t, 1500);
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok->user_id, "user-1");
  EXPECT_EQ(ok->organization_id, "org-1");
  EXPECT_EQ(signer.Verify(t, 1900).status().code(), ErrorCode::UNAUTHENTICATED);  // expired at exp
}

TEST_F(Crypto, AccessTokensRejectTamperingOtherKeysAndAlgNone) {
  services::AccessTokenSigner signer(std::string(32, 'k'));
  services::AccessTokenSigner other(std::string(32, 'x'));
  const std::string t = signer.Issue({"user-1", "org-1", 1000, 1900});
  EXPECT_FALSE(other.Verify(t, 1500).ok());
  // Swap the payload for another organization's, keeping the signature.
  const auto d1 = t.find('.');
  const auto d2 = t.rfind('.');
  const std::string forged_payload =
      Base64UrlEncode(R"({"sub":"user-1","org":"org-2","iat":1000,"exp":1900,"typ":"access"})");
  EXPECT_FALSE(signer.Verify(t.substr(0, d1 + 1) + forged_payload + t.substr(d2), 1500).ok());
  const std::string none = Base64UrlEncode(R"({"alg":"none","typ":"JWT"})") + t.substr(d1, d2 - d1) + ".";
  EXPECT_FALSE(signer.Verify(none, 1500).ok());
  EXPECT_FALSE(signer.Verify("a.b", 1500).ok());
  EXPECT_FALSE(signer.Verify("", 1500).ok());
}

TEST(Roles, PermissionTableIsCumulative) {
  using services::Role;
  EXPECT_FALSE(services::HasPermission(Role::VIEWER, services::perm::kDataWrite));
  EXPECT_TRUE(services::HasPermission(Role::ANALYST, services::perm::kDataWrite));
  EXPECT_FALSE(services::HasPermission(Role::ANALYST, services::perm::kProjectWrite));
  EXPECT_TRUE(services::HasPermission(Role::MANAGER, services::perm::kProjectWrite));
  EXPECT_FALSE(services::HasPermission(Role::MANAGER, services::perm::kOrgManage));
  EXPECT_TRUE(services::HasPermission(Role::ADMIN, services::perm::kOrgManage));
  EXPECT_FALSE(services::HasPermission(Role::ADMIN, "made:up"));
  EXPECT_EQ(services::PermissionsOf(Role::VIEWER).size(), 3u);
  EXPECT_EQ(services::ParseRole("owner"), std::nullopt);
}

}  // namespace
}  // namespace dm
