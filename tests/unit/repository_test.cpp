// Repository behaviour on both metadata backends: SQLite always, PostgreSQL when
// DATAMORPH_TEST_PG_URL names a server (the test script starts one).
#include <cstdlib>
#include <filesystem>

#include <gtest/gtest.h>

#include "core/crypto.h"
#include "core/ids.h"
#include "core/time.h"
#include "store/database.h"
#include "store/organization_repository.h"
#include "store/project_repository.h"
#include "store/token_repository.h"
#include "store/user_repository.h"

namespace dm::store {
namespace {

std::string BackendUrl(const std::string& backend) {
  if (backend == "postgresql") {
    const char* url = std::getenv("DATAMORPH_TEST_PG_URL");
    return url ? url : "";
  }
  const auto dir = std::filesystem::temp_directory_path() / ("dm-repo-" + NewId());
  std::filesystem::create_directories(dir);
  return "sqlite://" + (dir / "meta.db").string();
}

class Repository : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    ASSERT_TRUE(InitCrypto());
    const std::string url = BackendUrl(GetParam());
    if (url.empty()) GTEST_SKIP() << "DATAMORPH_TEST_PG_URL not set";
    auto db = Database::Open(url, 2);
    ASSERT_TRUE(db.ok()) << db.status().message();
    db_ = std::move(*db);
    auto applied = db_->Migrate();
    ASSERT_TRUE(applied.ok()) << applied.status().message();
  }

  /// A fresh organization with one admin; returns {org id, user id}.
  std::pair<std::string, std::string> MakeTenant(soci::session& s) {
    const std::string org = NewId(), user = NewId();
    organizations::Insert(s, {org, "Org " + org.substr(0, 8), NowIso()});
    users::Insert(s, {user, user + "@example.com", "U", "$argon2id$x", NowIso()});
    organizations::AddMember(s, TenantId(org), user, "admin");
    return {org, user};
  }

  std::unique_ptr<Database> db_;
};

TEST_P(Repository, MigrationsAreIdempotent) {
  auto again = db_->Migrate();
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, 0);
  EXPECT_TRUE(db_->Ping().ok());
}

TEST_P(Repository, ProjectsAreInvisibleAcrossTenants) {
  soci::session s(db_->pool());
  auto [org_a, user_a] = MakeTenant(s);
  auto [org_b, user_b] = MakeTenant(s);
  const std::string now = NowIso();
  Project p{NewId(), org_a, "Alpha", "", "active", user_a, now, now};
  projects::Insert(s, p);

  EXPECT_TRUE(projects::Find(s, TenantId(org_a), p.id).has_value());
  EXPECT_FALSE(projects::Find(s, TenantId(org_b), p.id).has_value());
  EXPECT_EQ(projects::Count(s, TenantId(org_b), {}), 0);
  Project renamed = p;
  renamed.name = "Hijacked";
  EXPECT_FALSE(projects::Update(s, TenantId(org_b), renamed));
  EXPECT_FALSE(projects::Delete(s, TenantId(org_b), p.id));
  EXPECT_EQ(projects::Find(s, TenantId(org_a), p.id)->name, "Alpha");
  EXPECT_TRUE(projects::Delete(s, TenantId(org_a), p.id));
}

TEST_P(Repository, ProjectListPagesAndFilters) {
  soci::session s(db_->pool());
  auto [org, user] = MakeTenant(s);
  for (int i = 0; i < 5; ++i) {
    const std::string now = NowIso();
    projects::Insert(
        s, {NewId(), org, "P" + std::to_string(i), "", i % 2 ? "archived" : "active", user, now, now});
  }
  EXPECT_EQ(projects::Count(s, TenantId(org), {}), 5);
  EXPECT_EQ(projects::Count(s, TenantId(org), {100, 0, std::string("archived")}), 2);
  EXPECT_EQ(projects::List(s, TenantId(org), {2, 0, std::nullopt}).size(), 2u);
  EXPECT_EQ(projects::List(s, TenantId(org), {2, 4, std::nullopt}).size(), 1u);
}

TEST_P(Repository, MembershipsAndRoles) {
  soci::session s(db_->pool());
  auto [org, admin] = MakeTenant(s);
  const std::string other = NewId();
  users::Insert(s, {other, other + "@example.com", "", "$argon2id$x", NowIso()});
  organizations::AddMember(s, TenantId(org), other, "viewer");
  EXPECT_EQ(organizations::RoleOf(s, TenantId(org), other), "viewer");
  EXPECT_EQ(organizations::CountAdmins(s, TenantId(org)), 1);
  EXPECT_TRUE(organizations::UpdateRole(s, TenantId(org), other, "analyst"));
  EXPECT_EQ(organizations::ListMembers(s, TenantId(org)).size(), 2u);
  auto [org2, admin2] = MakeTenant(s);
  EXPECT_FALSE(organizations::UpdateRole(s, TenantId(org2), other, "admin"));
  EXPECT_FALSE(organizations::RemoveMember(s, TenantId(org2), other));
  EXPECT_TRUE(organizations::RemoveMember(s, TenantId(org), other));
  EXPECT_FALSE(organizations::RoleOf(s, TenantId(org), other).has_value());
}

TEST_P(Repository, RefreshTokensAreUsableOnceAndFamiliesRevoke) {
  soci::session s(db_->pool());
  auto [org, user] = MakeTenant(s);
  RefreshToken t{NewId(), HexEncode(RandomBytes(32)), NewId(), user, org, NowUnix() + 60, {}, {}};
  tokens::Insert(s, t);
  auto found = tokens::FindByHash(s, t.token_hash);
  ASSERT_TRUE(found.has_value());
  EXPECT_FALSE(found->used_at.has_value());
  EXPECT_TRUE(tokens::MarkUsed(s, t.id));
  EXPECT_FALSE(tokens::MarkUsed(s, t.id));
  tokens::RevokeFamily(s, t.family_id);
  EXPECT_TRUE(tokens::FindByHash(s, t.token_hash)->revoked_at.has_value());
}

TEST_P(Repository, EmailsAreUnique) {
  soci::session s(db_->pool());
  const std::string email = NewId() + "@example.com";
  users::Insert(s, {NewId(), email, "", "$argon2id$x", NowIso()});
  EXPECT_ANY_THROW(users::Insert(s, {NewId(), email, "", "$argon2id$x", NowIso()}));
  EXPECT_TRUE(users::FindByEmail(s, email).has_value());
}

TEST(PostgresUrl, BecomesKeywordValueConnInfo) {
  EXPECT_EQ(PostgresConnInfo("postgresql://datamorph@127.0.0.1:5432/dm_unit"),
            "user='datamorph' host='127.0.0.1' port='5432' dbname='dm_unit'");
  EXPECT_EQ(PostgresConnInfo("postgres://u:p%40ss'w@db.local/app?sslmode=require&bad-key=x"),
            "user='u' password='p@ss\\'w' host='db.local' dbname='app' sslmode='require'");
}

INSTANTIATE_TEST_SUITE_P(Backends, Repository, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace dm::store
