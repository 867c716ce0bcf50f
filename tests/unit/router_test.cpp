#include "http/router.h"

#include <gtest/gtest.h>

namespace dm::http {
namespace {

Router MakeRouter() {
  Router r;
  auto ok = [](Context&) { return JsonResponse(200, {{"ok", true}}); };
  r.Add({"GET", "/api/v1/projects", ok, false});
  r.Add({"POST", "/api/v1/projects", ok, false});
  r.Add({"GET", "/api/v1/projects/{id}", ok, false});
  r.Add({"DELETE", "/api/v1/projects/{id}", ok, false});
  r.Add({"GET", "/api/v1/datasets/{id}/rows", ok, false});
  return r;
}

TEST(Router, MatchesStaticAndParameterisedPaths) {
  Router r = MakeRouter();
  auto m = r.Find("GET", "/api/v1/projects/abc");
  ASSERT_NE(m.route, nullptr);
  EXPECT_EQ(m.route->pattern, "/api/v1/projects/{id}");
  EXPECT_EQ(m.params.at("id"), "abc");
  EXPECT_EQ(r.Find("GET", "/api/v1/datasets/x/rows").params.at("id"), "x");
}

TEST(Router, ReportsAllowedMethodsWhenOnlyTheMethodIsWrong) {
  Router r = MakeRouter();
  auto m = r.Find("PUT", "/api/v1/projects/abc");
  EXPECT_EQ(m.route, nullptr);
  EXPECT_EQ(m.allow, "GET, DELETE");
}

TEST(Router, UnknownPathsAndEmptyParametersDoNotMatch) {
  Router r = MakeRouter();
  EXPECT_EQ(r.Find("GET", "/api/v1/projects/").route, nullptr);
  EXPECT_EQ(r.Find("GET", "/api/v1/nope").route, nullptr);
  EXPECT_TRUE(r.Find("GET", "/api/v1/nope").allow.empty());
  EXPECT_EQ(r.Find("GET", "relative").route, nullptr);
}

TEST(Router, HeadMatchesGet) {
  Router r = MakeRouter();
  EXPECT_NE(r.Find("HEAD", "/api/v1/projects").route, nullptr);
}

TEST(Router, DispatchTurnsExceptionsIntoTheErrorEnvelope) {
  Router r;
  r.Add({"GET", "/boom", [](Context&) -> Response { throw std::runtime_error("secret detail /etc/x"); },
         false});
  Request req;
  req.request_id = "rid-1";
  std::string user;
  Response resp = r.Dispatch(*r.Find("GET", "/boom").route, req, user);
  EXPECT_EQ(resp.status, 500);
  EXPECT_EQ(resp.body.find("secret"), std::string::npos) << resp.body;
  EXPECT_NE(resp.body.find("rid-1"), std::string::npos);
}

TEST(Router, AuthenticatedRoutesRequireAPrincipal) {
  Router r;
  r.Add({"GET", "/me", [](Context& c) { return JsonResponse(200, {{"id", c.user().user_id}}); }, true});
  Request req;
  std::string user;
  EXPECT_EQ(r.Dispatch(*r.Find("GET", "/me").route, req, user).status, 401);
  r.SetAuthenticator([](const Request&) -> Result<services::Principal> {
    return services::Principal{"u1", "o1", services::Role::VIEWER};
  });
  Response ok = r.Dispatch(*r.Find("GET", "/me").route, req, user);
  EXPECT_EQ(ok.status, 200);
  EXPECT_EQ(user, "u1");
}

TEST(JsonBody, RejectsWrongContentTypeMalformedAndDeepJson) {
  Request req;
  req.body = R"({"a":1})";
  EXPECT_EQ(ParseJsonBody(req).status().code(), ErrorCode::UNSUPPORTED_FORMAT);
  req.headers.Add("Content-Type", "application/json; charset=utf-8");
  EXPECT_TRUE(ParseJsonBody(req).ok());
  req.body = "{\"a\":";
  EXPECT_EQ(ParseJsonBody(req).status().code(), ErrorCode::VALIDATION_ERROR);
  req.body = std::string(100000, '[') + std::string(100000, ']');
  EXPECT_EQ(ParseJsonBody(req).status().code(), ErrorCode::VALIDATION_ERROR);
  req.body = "[1,2]";
  EXPECT_EQ(ParseJsonBody(req).status().code(), ErrorCode::VALIDATION_ERROR);
}

TEST(Query, DecodesPercentEscapesAndRejectsBadOnes) {
  auto q = ParseQuery("a=1&b=hello%20world&c=x+y&bad=%zz&sort=col%3Aasc");
  EXPECT_EQ(q.at("b"), "hello world");
  EXPECT_EQ(q.at("c"), "x y");
  EXPECT_EQ(q.at("sort"), "col:asc");
  EXPECT_EQ(q.count("bad"), 0u);
  EXPECT_FALSE(PercentDecode("%4", false).has_value());
  EXPECT_EQ(*PercentDecode("/a%2F..", false), "/a/..");
}

TEST(Request, ReadsCookies) {
  Request req;
  req.headers.Add("Cookie", "a=1; dm_access=tok.en; other=x");
  EXPECT_EQ(req.Cookie("dm_access"), "tok.en");
  EXPECT_EQ(req.Cookie("missing"), "");
}

}  // namespace
}  // namespace dm::http
