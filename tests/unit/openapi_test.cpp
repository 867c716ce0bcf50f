// The OpenAPI document is the manifest: every route the server answers is documented,
// and every documented operation exists.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "api/app.h"
#include "core/crypto.h"
#include "core/ids.h"

namespace dm::api {
namespace {

TEST(OpenApi, DocumentsExactlyTheRoutesTheRouterServes) {
  ASSERT_TRUE(InitCrypto());
  Config config;
  config.data_dir = (std::filesystem::temp_directory_path() / ("dm-openapi-" + NewId())).string();
  auto app = App::Create(config);
  ASSERT_TRUE(app.ok()) << app.status().message();

  std::ifstream in(std::string(DM_SOURCE_DIR) + "/src/api/openapi.json");
  const auto doc = nlohmann::json::parse(in);
  std::set<std::string> documented;
  for (const auto& [path, item] : doc["paths"].items()) {
    for (const auto& [method, op] : item.items()) {
      if (method == "parameters") continue;
      std::string upper = method;
      std::transform(upper.begin(), upper.end(), upper.begin(), ::toupper);
      documented.insert(upper + " " + path);
    }
  }
  std::set<std::string> served;
  for (const auto& r : (*app)->router().routes()) served.insert(r.method + " " + r.pattern);
  for (const auto& s : served) EXPECT_TRUE(documented.count(s)) << "undocumented route: " << s;
  for (const auto& d : documented) EXPECT_TRUE(served.count(d)) << "documented but not served: " << d;
  std::filesystem::remove_all(config.data_dir);
}

}  // namespace
}  // namespace dm::api
