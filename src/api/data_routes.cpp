// Uploads, files, jobs and datasets.
#include "api/app.h"
#include "api/data_views.h"
#include "api/json_fields.h"
#include "jobs/worker_pool.h"

namespace dm::api {

using http::Context;
using http::ErrorResponse;
using http::Response;

namespace {

std::string Id(const Context& c, const char* name = "id") {
  return std::string(c.request.Param(name));
}

Response Accepted(const services::UploadResult& r) {
  return http::JsonResponse(202, {{"file", FileJson(r.file, {})}, {"job", jobs::JobToJson(r.job)}});
}

}  // namespace

void AddDataRoutes(http::Router& router, App& app) {
  const std::uint64_t upload_limit = static_cast<std::uint64_t>(app.ingest().max_upload_bytes()) + (64 << 10);

  router.Add({"POST", "/api/v1/projects/{id}/uploads",
              [&app](Context& c) -> Response {
                if (!c.request.has_upload) {
                  return ErrorResponse(Invalid("The upload has no part named 'file'.", {{"field", "file"}}));
                }
                auto r = app.ingest().AcceptUpload(c.user(), Id(c), c.request.body_file,
                                                   c.request.upload_filename, c.meta);
                if (!r.ok()) return ErrorResponse(r.status());
                return Accepted(*r);
              },
              true, upload_limit, http::BodyMode::MULTIPART,
              "Upload a file (multipart/form-data, field file)", /*offload=*/true});

  router.Add({"GET", "/api/v1/projects/{id}/files",
              [&app](Context& c) -> Response {
                auto page_query = PageQuery(c.request);
                if (!page_query.ok()) return ErrorResponse(page_query.status());
                auto page = app.datasets().ListFiles(c.user(), Id(c), page_query->limit, page_query->offset);
                if (!page.ok()) return ErrorResponse(page.status());
                nlohmann::json items = nlohmann::json::array();
                for (const auto& f : page->first) items.push_back(FileJson(f, {}));
                return http::JsonResponse(200, {{"items", items}, {"total", page->second}});
              },
              true, 64 * 1024, http::BodyMode::BUFFER, "List a project's files"});

  router.Add({"GET", "/api/v1/files/{id}",
              [&app](Context& c) -> Response {
                auto f = app.datasets().GetFile(c.user(), Id(c));
                if (!f.ok()) return ErrorResponse(f.status());
                return http::JsonResponse(200, FileJson(f->first, f->second));
              },
              true, 64 * 1024, http::BodyMode::BUFFER, "Get a file and its status"});

  router.Add({"GET", "/api/v1/jobs/{id}",
              [&app](Context& c) -> Response {
                auto j = app.datasets().GetJob(c.user(), Id(c));
                if (!j.ok()) return ErrorResponse(j.status());
                return http::JsonResponse(200, jobs::JobToJson(*j));
              },
              true, 64 * 1024, http::BodyMode::BUFFER, "Get a job"});

  router.Add({"POST", "/api/v1/jobs/{id}/cancel",
              [&app](Context& c) -> Response {
                auto j = app.datasets().CancelJob(c.user(), Id(c), c.meta);
                if (!j.ok()) return ErrorResponse(j.status());
                return http::JsonResponse(202, {{"job", jobs::JobToJson(*j)}});
              },
              true, 64 * 1024, http::BodyMode::BUFFER, "Cancel a job"});

  router.Add({"GET", "/api/v1/projects/{id}/datasets",
              [&app](Context& c) -> Response {
                auto page_query = PageQuery(c.request);
                if (!page_query.ok()) return ErrorResponse(page_query.status());
                auto page = app.datasets().List(c.user(), Id(c), page_query->limit, page_query->offset);
                if (!page.ok()) return ErrorResponse(page.status());
                nlohmann::json items = nlohmann::json::array();
                for (const auto& d : page->first) items.push_back(DatasetJson(d));
                return http::JsonResponse(200, {{"items", items}, {"total", page->second}});
              },
              true, 64 * 1024, http::BodyMode::BUFFER, "List a project's datasets"});

  router.Add({"GET", "/api/v1/datasets/{id}",
              [&app](Context& c) -> Response {
                auto d = app.datasets().Get(c.user(), Id(c));
                if (!d.ok()) return ErrorResponse(d.status());
                return http::JsonResponse(200, DatasetJson(*d));
              },
              true, 64 * 1024, http::BodyMode::BUFFER, "Get a dataset (head version)"});

  router.Add({"GET", "/api/v1/datasets/{id}/rows",
              [&app](Context& c) -> Response {
                auto page_query = PageQuery(c.request);
                if (!page_query.ok()) return ErrorResponse(page_query.status());
                auto rows = app.datasets().Rows(c.user(), Id(c), page_query->offset, page_query->limit,
                                                c.request.Query("sort").value_or(""));
                if (!rows.ok()) return ErrorResponse(rows.status());
                return http::JsonResponse(200, *rows);
              },
              true, 64 * 1024, http::BodyMode::BUFFER, "Page through a dataset's rows", /*offload=*/true});

  router.Add({"GET", "/api/v1/datasets/{id}/profile",
              [&app](Context& c) -> Response {
                auto profile = app.datasets().Profile(c.user(), Id(c));
                if (!profile.ok()) return ErrorResponse(profile.status());
                return http::JsonResponse(200, *profile);
              },
              true, 64 * 1024, http::BodyMode::BUFFER, "The head version's profile", /*offload=*/true});

  router.Add({"GET", "/api/v1/datasets/{id}/versions",
              [&app](Context& c) -> Response {
                auto versions = app.datasets().Versions(c.user(), Id(c));
                if (!versions.ok()) return ErrorResponse(versions.status());
                nlohmann::json items = nlohmann::json::array();
                for (const auto& v : *versions) items.push_back(VersionJson(v));
                return http::JsonResponse(200, {{"items", items}});
              },
              true, 64 * 1024, http::BodyMode::BUFFER, "List a dataset's versions"});

  router.Add({"GET", "/api/v1/datasets/{id}/export",
              [&app](Context& c) -> Response {
                auto file = app.datasets().Export(c.user(), Id(c), c.request.Query("format").value_or("csv"));
                if (!file.ok()) return ErrorResponse(file.status());
                Response r;
                r.file_path = file->path;
                r.remove_file = true;
                r.content_type = file->content_type;
                r.Header("Content-Disposition", "attachment; filename=\"" + file->filename + "\"");
                return r;
              },
              true, 64 * 1024, http::BodyMode::BUFFER, "Export the head version as a file",
              /*offload=*/true});

  router.Add({"POST", "/api/v1/datasets/{id}/query",
              [&app](Context& c) -> Response {
                auto body = http::ParseJsonBody(c.request);
                if (!body.ok()) return ErrorResponse(body.status());
                if (auto s = RejectUnknownFields(*body, {"sql"}); !s.ok()) return ErrorResponse(s);
                auto sql = RequiredString(*body, "sql");
                if (!sql.ok()) return ErrorResponse(sql.status());
                auto result = app.datasets().Query(c.user(), Id(c), *sql);
                if (!result.ok()) return ErrorResponse(result.status());
                return http::JsonResponse(200, *result);
              },
              true, 256 * 1024, http::BodyMode::BUFFER, "Run read-only SQL over the dataset (table data)",
              /*offload=*/true});

  router.Add({"DELETE", "/api/v1/datasets/{id}",
              [&app](Context& c) -> Response {
                const Status s = app.datasets().Delete(c.user(), Id(c), c.meta);
                if (!s.ok()) return ErrorResponse(s);
                return http::NoContent();
              },
              true, 64 * 1024, http::BodyMode::BUFFER, "Delete a dataset and its files", /*offload=*/true});
}

}  // namespace dm::api
