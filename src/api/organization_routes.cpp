// /api/v1/organization/members
#include "api/app.h"
#include "api/json_fields.h"
#include "api/views.h"

namespace dm::api {

using http::Context;
using http::ErrorResponse;
using http::Response;

void AddOrganizationRoutes(http::Router& router, App& app) {
  router.Add({"GET", "/api/v1/organization/members",
              [&app](Context& c) -> Response {
                auto members = app.workspace().ListMembers(c.user());
                if (!members.ok()) return ErrorResponse(members.status());
                nlohmann::json items = nlohmann::json::array();
                for (const auto& m : *members) items.push_back(ToJson(m));
                return http::JsonResponse(200, {{"items", items}, {"total", items.size()}});
              },
              true, 64 * 1024, http::BodyMode::BUFFER, "List members"});

  router.Add({"POST", "/api/v1/organization/members",
              [&app](Context& c) -> Response {
                auto body = http::ParseJsonBody(c.request);
                if (!body.ok()) return ErrorResponse(body.status());
                if (auto s = RejectUnknownFields(*body, {"email", "role", "password", "full_name"}); !s.ok())
                  return ErrorResponse(s);
                auto email = RequiredString(*body, "email");
                if (!email.ok()) return ErrorResponse(email.status());
                auto role = RequiredString(*body, "role");
                if (!role.ok()) return ErrorResponse(role.status());
                auto password = OptionalString(*body, "password");
                if (!password.ok()) return ErrorResponse(password.status());
                auto full_name = OptionalString(*body, "full_name");
                if (!full_name.ok()) return ErrorResponse(full_name.status());
                auto member = app.workspace().AddMember(c.user(), *email, *role, *password,
                                                        full_name->value_or(""), c.meta);
                if (!member.ok()) return ErrorResponse(member.status());
                return http::JsonResponse(201, ToJson(*member));
              },
              true, 64 * 1024, http::BodyMode::BUFFER, "Add a member (admin)", /*offload=*/true});

  router.Add({"PATCH", "/api/v1/organization/members/{user_id}",
              [&app](Context& c) -> Response {
                auto body = http::ParseJsonBody(c.request);
                if (!body.ok()) return ErrorResponse(body.status());
                if (auto s = RejectUnknownFields(*body, {"role"}); !s.ok()) return ErrorResponse(s);
                auto role = RequiredString(*body, "role");
                if (!role.ok()) return ErrorResponse(role.status());
                auto member = app.workspace().ChangeRole(c.user(), std::string(c.request.Param("user_id")),
                                                         *role, c.meta);
                if (!member.ok()) return ErrorResponse(member.status());
                return http::JsonResponse(200, ToJson(*member));
              },
              true, 64 * 1024, http::BodyMode::BUFFER, "Change a member's role (admin)"});

  router.Add({"DELETE", "/api/v1/organization/members/{user_id}",
              [&app](Context& c) -> Response {
                const Status s =
                    app.workspace().RemoveMember(c.user(), std::string(c.request.Param("user_id")), c.meta);
                if (!s.ok()) return ErrorResponse(s);
                return http::NoContent();
              },
              true, 64 * 1024, http::BodyMode::BUFFER, "Remove a member (admin)"});
}

}  // namespace dm::api
