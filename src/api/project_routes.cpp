// /api/v1/projects
#include "api/app.h"
#include "api/json_fields.h"
#include "api/views.h"

namespace dm::api {

using http::Context;
using http::ErrorResponse;
using http::Response;

void AddProjectRoutes(http::Router& router, App& app) {
  router.Add({"GET", "/api/v1/projects",
              [&app](Context& c) -> Response {
                auto page_query = PageQuery(c.request);
                if (!page_query.ok()) return ErrorResponse(page_query.status());
                auto status = c.request.Query("status");
                if (status && *status != "active" && *status != "archived") {
                  return ErrorResponse(
                      Invalid("The status filter must be active or archived.", {{"parameter", "status"}}));
                }
                auto page =
                    app.workspace().ListProjects(c.user(), page_query->limit, page_query->offset, status);
                if (!page.ok()) return ErrorResponse(page.status());
                nlohmann::json items = nlohmann::json::array();
                for (const auto& p : page->items) items.push_back(ToJson(p));
                return http::JsonResponse(200, {{"items", std::move(items)}, {"total", page->total}});
              },
              true, 64 * 1024, http::BodyMode::BUFFER, "List projects"});

  router.Add({"POST", "/api/v1/projects",
              [&app](Context& c) -> Response {
                auto body = http::ParseJsonBody(c.request);
                if (!body.ok()) return ErrorResponse(body.status());
                if (auto s = RejectUnknownFields(*body, {"name", "description"}); !s.ok())
                  return ErrorResponse(s);
                auto name = RequiredString(*body, "name");
                if (!name.ok()) return ErrorResponse(name.status());
                auto description = OptionalString(*body, "description");
                if (!description.ok()) return ErrorResponse(description.status());
                auto project =
                    app.workspace().CreateProject(c.user(), *name, description->value_or(""), c.meta);
                if (!project.ok()) return ErrorResponse(project.status());
                return http::JsonResponse(201, ToJson(*project));
              },
              true, 64 * 1024, http::BodyMode::BUFFER, "Create a project"});

  router.Add({"GET", "/api/v1/projects/{id}",
              [&app](Context& c) -> Response {
                auto project = app.workspace().GetProject(c.user(), std::string(c.request.Param("id")));
                if (!project.ok()) return ErrorResponse(project.status());
                return http::JsonResponse(200, ToJson(*project));
              },
              true, 64 * 1024, http::BodyMode::BUFFER, "Get a project"});

  router.Add({"PATCH", "/api/v1/projects/{id}",
              [&app](Context& c) -> Response {
                auto body = http::ParseJsonBody(c.request);
                if (!body.ok()) return ErrorResponse(body.status());
                if (auto s = RejectUnknownFields(*body, {"name", "description", "status"}); !s.ok())
                  return ErrorResponse(s);
                services::ProjectPatch patch;
                for (auto [field, target] :
                     {std::pair{"name", &patch.name}, std::pair{"description", &patch.description},
                      std::pair{"status", &patch.status}}) {
                  auto v = OptionalString(*body, field);
                  if (!v.ok()) return ErrorResponse(v.status());
                  *target = *v;
                }
                auto project = app.workspace().UpdateProject(c.user(), std::string(c.request.Param("id")),
                                                             patch, c.meta);
                if (!project.ok()) return ErrorResponse(project.status());
                return http::JsonResponse(200, ToJson(*project));
              },
              true, 64 * 1024, http::BodyMode::BUFFER, "Update a project"});

  router.Add({"DELETE", "/api/v1/projects/{id}",
              [&app](Context& c) -> Response {
                const Status s =
                    app.workspace().DeleteProject(c.user(), std::string(c.request.Param("id")), c.meta);
                if (!s.ok()) return ErrorResponse(s);
                return http::NoContent();
              },
              true, 64 * 1024, http::BodyMode::BUFFER, "Delete a project"});
}

}  // namespace dm::api
