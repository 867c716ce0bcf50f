// POST /api/v1/auth/{register,login,refresh,logout}, GET /api/v1/auth/me
#include "api/app.h"
#include "api/json_fields.h"
#include "api/views.h"

namespace dm::api {

namespace {

using http::Context;
using http::ErrorResponse;
using http::Response;

std::string CookieAttributes(const App& app, const char* path, const char* same_site, int max_age) {
  std::string a = std::string("; Path=") + path + "; HttpOnly; SameSite=" + same_site +
                  "; Max-Age=" + std::to_string(max_age);
  if (app.config().secure_cookies) a += "; Secure";
  return a;
}

Response SessionResponse(const App& app, int status, const services::AuthResult& r) {
  Response resp = http::JsonResponse(status, ToJson(r));
  resp.Header("Set-Cookie", "dm_access=" + r.access_token +
                                CookieAttributes(app, "/", "Lax", app.config().access_token_ttl_s));
  resp.Header("Set-Cookie",
              "dm_refresh=" + r.refresh_token +
                  CookieAttributes(app, "/api/v1/auth", "Strict", app.config().refresh_token_ttl_s));
  return resp;
}

Response ClearSession(const App& app) {
  Response resp = http::NoContent();
  resp.Header("Set-Cookie", "dm_access=" + CookieAttributes(app, "/", "Lax", 0));
  resp.Header("Set-Cookie", "dm_refresh=" + CookieAttributes(app, "/api/v1/auth", "Strict", 0));
  return resp;
}

/// The refresh token from the JSON body (API clients) or the cookie (browsers).
Result<std::string> RefreshTokenOf(const http::Request& req) {
  if (!req.body.empty()) {
    DM_ASSIGN_OR_RETURN(nlohmann::json body, http::ParseJsonBody(req));
    DM_RETURN_IF_ERROR(RejectUnknownFields(body, {"refresh_token"}));
    DM_ASSIGN_OR_RETURN(std::optional<std::string> token, OptionalString(body, "refresh_token"));
    if (token) return *token;
  }
  return req.Cookie("dm_refresh");
}

}  // namespace

void AddAuthRoutes(http::Router& router, App& app) {
  router.Add({"POST", "/api/v1/auth/register",
              [&app](Context& c) -> Response {
                auto body = http::ParseJsonBody(c.request);
                if (!body.ok()) return ErrorResponse(body.status());
                if (auto s =
                        RejectUnknownFields(*body, {"email", "password", "full_name", "organization_name"});
                    !s.ok())
                  return ErrorResponse(s);
                services::RegisterInput in;
                auto email = RequiredString(*body, "email");
                if (!email.ok()) return ErrorResponse(email.status());
                auto password = RequiredString(*body, "password");
                if (!password.ok()) return ErrorResponse(password.status());
                auto full_name = OptionalString(*body, "full_name");
                if (!full_name.ok()) return ErrorResponse(full_name.status());
                auto org_name = OptionalString(*body, "organization_name");
                if (!org_name.ok()) return ErrorResponse(org_name.status());
                in.email = *email;
                in.password = *password;
                in.full_name = full_name->value_or("");
                in.organization_name = org_name->value_or("");
                auto result = app.identity().Register(in, c.meta);
                if (!result.ok()) return ErrorResponse(result.status());
                return SessionResponse(app, 201, *result);
              },
              /*authenticated=*/false, 64 * 1024, http::BodyMode::BUFFER, "Register a user and organization",
              /*offload=*/true});

  router.Add({"POST", "/api/v1/auth/login",
              [&app](Context& c) -> Response {
                auto body = http::ParseJsonBody(c.request);
                if (!body.ok()) return ErrorResponse(body.status());
                if (auto s = RejectUnknownFields(*body, {"email", "password"}); !s.ok())
                  return ErrorResponse(s);
                auto email = RequiredString(*body, "email");
                if (!email.ok()) return ErrorResponse(email.status());
                auto password = RequiredString(*body, "password");
                if (!password.ok()) return ErrorResponse(password.status());
                auto result = app.identity().Login(*email, *password, c.meta);
                if (!result.ok()) return ErrorResponse(result.status());
                return SessionResponse(app, 200, *result);
              },
              false, 64 * 1024, http::BodyMode::BUFFER, "Sign in", /*offload=*/true});

  router.Add({"POST", "/api/v1/auth/refresh",
              [&app](Context& c) -> Response {
                auto token = RefreshTokenOf(c.request);
                if (!token.ok()) return ErrorResponse(token.status());
                auto result = app.identity().Refresh(*token, c.meta);
                if (!result.ok()) {
                  Response r = ErrorResponse(result.status());
                  if (result.status().code() == ErrorCode::UNAUTHENTICATED) {
                    for (auto& h : ClearSession(app).headers) r.headers.push_back(h);
                  }
                  return r;
                }
                return SessionResponse(app, 200, *result);
              },
              false, 64 * 1024, http::BodyMode::BUFFER, "Rotate the refresh token"});

  router.Add({"POST", "/api/v1/auth/logout",
              [&app](Context& c) -> Response {
                auto token = RefreshTokenOf(c.request);
                if (!token.ok()) return ErrorResponse(token.status());
                (void)app.identity().Logout(*token, c.meta);  // logging out always succeeds
                return ClearSession(app);
              },
              false, 64 * 1024, http::BodyMode::BUFFER, "Sign out"});

  router.Add({"GET", "/api/v1/auth/me",
              [&app](Context& c) -> Response {
                auto me = app.workspace().Me(c.user());
                if (!me.ok()) return ErrorResponse(me.status());
                return http::JsonResponse(200, *me);
              },
              true, 64 * 1024, http::BodyMode::BUFFER, "The caller, organization, role and permissions"});
}

}  // namespace dm::api
