// Cleaning: suggestions, preview, apply, restore, history and recipe.
#include <charconv>

#include "api/app.h"
#include "api/json_fields.h"
#include "jobs/worker_pool.h"

namespace dm::api {

using http::Context;
using http::ErrorResponse;
using http::Response;

namespace {

std::string Id(const Context& c) {
  return std::string(c.request.Param("id"));
}

/// The operations array of a body, refusing unknown top-level fields.
Result<nlohmann::json> Operations(const nlohmann::json& body) {
  if (!body.contains("operations")) {
    return Invalid("Field 'operations' is required.", {{"field", "operations"}});
  }
  return body["operations"];
}

Response JobAccepted(const Result<store::Job>& job) {
  if (!job.ok()) return ErrorResponse(job.status());
  return http::JsonResponse(202, {{"job", jobs::JobToJson(*job)}});
}

}  // namespace

void AddCleanRoutes(http::Router& router, App& app) {
  constexpr std::uint64_t kOpsBodyLimit = 1 << 20;  // a recipe of 100 operations with large mappings

  router.Add({"GET", "/api/v1/datasets/{id}/suggestions",
              [&app](Context& c) -> Response {
                auto r = app.clean().Suggestions(c.user(), Id(c));
                if (!r.ok()) return ErrorResponse(r.status());
                return http::JsonResponse(200, *r);
              },
              true, 64 * 1024, http::BodyMode::BUFFER, "Cleaning suggestions for the head version",
              /*offload=*/true});

  router.Add({"POST", "/api/v1/datasets/{id}/clean/preview",
              [&app](Context& c) -> Response {
                auto body = http::ParseJsonBody(c.request);
                if (!body.ok()) return ErrorResponse(body.status());
                if (auto s = RejectUnknownFields(*body, {"operations"}); !s.ok()) return ErrorResponse(s);
                auto ops = Operations(*body);
                if (!ops.ok()) return ErrorResponse(ops.status());
                auto r = app.clean().Preview(c.user(), Id(c), *ops);
                if (!r.ok()) return ErrorResponse(r.status());
                return http::JsonResponse(200, *r);
              },
              true, kOpsBodyLimit, http::BodyMode::BUFFER,
              "Preview operations: changed rows before/after, counts and quality on the full data",
              /*offload=*/true});

  router.Add(
      {"POST", "/api/v1/datasets/{id}/clean",
       [&app](Context& c) -> Response {
         auto body = http::ParseJsonBody(c.request);
         if (!body.ok()) return ErrorResponse(body.status());
         if (auto s = RejectUnknownFields(*body, {"operations", "message", "base_version"}); !s.ok()) {
           return ErrorResponse(s);
         }
         auto ops = Operations(*body);
         if (!ops.ok()) return ErrorResponse(ops.status());
         auto message = OptionalString(*body, "message");
         if (!message.ok()) return ErrorResponse(message.status());
         std::optional<std::int64_t> base;
         if (body->contains("base_version") && !(*body)["base_version"].is_null()) {
           if (!(*body)["base_version"].is_number_integer()) {
             return ErrorResponse(Invalid("base_version must be an integer.", {{"field", "base_version"}}));
           }
           base = (*body)["base_version"].get<std::int64_t>();
         }
         return JobAccepted(app.clean().Clean(c.user(), Id(c), *ops, message->value_or(""), base, c.meta));
       },
       true, kOpsBodyLimit, http::BodyMode::BUFFER, "Apply operations as a new version (a job)",
       /*offload=*/true});

  router.Add({"POST", "/api/v1/datasets/{id}/versions/{version}/restore",
              [&app](Context& c) -> Response {
                const std::string_view text = c.request.Param("version");
                std::int64_t version = 0;
                const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), version);
                if (ec != std::errc() || end != text.data() + text.size() || version < 1) {
                  return ErrorResponse(NotFound("Version not found."));
                }
                return JobAccepted(app.clean().Restore(c.user(), Id(c), version, c.meta));
              },
              true, 64 * 1024, http::BodyMode::BUFFER, "Move the head back to an earlier version (a job)",
              /*offload=*/true});

  router.Add({"GET", "/api/v1/datasets/{id}/history",
              [&app](Context& c) -> Response {
                auto r = app.clean().History(c.user(), Id(c));
                if (!r.ok()) return ErrorResponse(r.status());
                return http::JsonResponse(200, *r);
              },
              true, 64 * 1024, http::BodyMode::BUFFER,
              "Cleaning history: every operation and restore with rows and quality before/after"});

  router.Add({"GET", "/api/v1/datasets/{id}/recipe",
              [&app](Context& c) -> Response {
                auto r = app.clean().Recipe(c.user(), Id(c));
                if (!r.ok()) return ErrorResponse(r.status());
                return http::JsonResponse(200, *r);
              },
              true, 64 * 1024, http::BodyMode::BUFFER,
              "The operations producing the head version from version 1"});
}

}  // namespace dm::api
