// GET /health, GET /api/v1/openapi.json, GET /api/v1/audit-logs
#include <cstddef>

#include "api/app.h"
#include "api/json_fields.h"
#include "api/views.h"

namespace dm {
extern const char kOpenApiJson[];
extern const std::size_t kOpenApiJsonSize;
}  // namespace dm

namespace dm::api {

void AddSystemRoutes(http::Router& router, App& app) {
  router.Add({"GET", "/health",
              [&app](http::Context&) -> http::Response {
                bool healthy = false;
                nlohmann::json body = app.Health(healthy);
                return http::JsonResponse(healthy ? 200 : 503, body);
              },
              false, 64 * 1024, http::BodyMode::BUFFER, "Liveness and dependency health"});

  router.Add({"GET", "/api/v1/openapi.json",
              [](http::Context&) -> http::Response {
                http::Response r;
                r.body.assign(kOpenApiJson, kOpenApiJsonSize);
                return r;
              },
              false, 64 * 1024, http::BodyMode::BUFFER, "This API's OpenAPI document"});

  router.Add({"GET", "/api/v1/audit-logs",
              [&app](http::Context& c) -> http::Response {
                auto page_query = PageQuery(c.request);
                if (!page_query.ok()) return http::ErrorResponse(page_query.status());
                auto rows = app.workspace().ListAudit(c.user(), c.request.Query("action").value_or(""),
                                                      page_query->limit, page_query->offset);
                if (!rows.ok()) return http::ErrorResponse(rows.status());
                nlohmann::json items = nlohmann::json::array();
                for (const auto& e : *rows) items.push_back(ToJson(e));
                return http::JsonResponse(200, {{"items", items}});
              },
              true, 64 * 1024, http::BodyMode::BUFFER, "The organization's audit log (managers and admins)"});
}

}  // namespace dm::api
