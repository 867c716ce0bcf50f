// tus 1.0 resumable uploads (core, creation, termination, expiration) at /api/v1/tus.
#include <charconv>
#include <ctime>
#include <map>

#include "api/app.h"
#include "core/crypto.h"
#include "core/time.h"

namespace dm::api {

using http::Context;
using http::Response;

namespace {

constexpr const char* kTusVersion = "1.0.0";

Response TusError(const Status& s) {
  Response r = http::ErrorResponse(s);
  r.Header("Tus-Resumable", kTusVersion);
  return r;
}

Response TusEmpty(int status) {
  Response r = http::NoContent();
  r.status = status;
  r.Header("Tus-Resumable", kTusVersion);
  r.Header("Cache-Control", "no-store");
  return r;
}

Status CheckVersion(const http::Request& req) {
  if (req.headers.Get("Tus-Resumable") != kTusVersion) {
    return Status(ErrorCode::PRECONDITION_FAILED,
                  "This server speaks tus 1.0.0 (send Tus-Resumable: 1.0.0).");
  }
  return Status::Ok();
}

std::optional<std::int64_t> ParseNonNegative(std::string_view text) {
  std::int64_t v = -1;
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || ec != std::errc() || ptr != text.data() + text.size() || v < 0) return std::nullopt;
  return v;
}

/// "filename d29ybGQ=,project_id YWJj" -> {filename: world, project_id: abc}
std::map<std::string, std::string> ParseMetadata(std::string_view header) {
  std::map<std::string, std::string> out;
  while (!header.empty()) {
    const auto comma = header.find(',');
    std::string_view pair = header.substr(0, comma);
    header = comma == std::string_view::npos ? std::string_view() : header.substr(comma + 1);
    while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
    const auto space = pair.find(' ');
    const std::string key(pair.substr(0, space));
    std::string value;
    if (space != std::string_view::npos) {
      std::string b64(pair.substr(space + 1));
      for (char& ch : b64) {  // tus uses standard base64; ours decodes the URL-safe alphabet
        if (ch == '+') ch = '-';
        if (ch == '/') ch = '_';
      }
      while (!b64.empty() && b64.back() == '=') b64.pop_back();
      value = Base64UrlDecode(b64).value_or("");
    }
    if (!key.empty()) out[key] = value;
  }
  return out;
}

void AddUploadHeaders(Response& r, const store::TusUpload& u) {
  r.Header("Upload-Offset", std::to_string(u.upload_offset));
  r.Header("Upload-Length", std::to_string(u.upload_length));
  char buf[64];
  const std::time_t t = static_cast<std::time_t>(u.expires_at);
  std::tm tm{};
  gmtime_r(&t, &tm);
  std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S GMT", &tm);
  r.Header("Upload-Expires", buf);
}

}  // namespace

void AddTusRoutes(http::Router& router, App& app) {
  const std::uint64_t chunk_limit = static_cast<std::uint64_t>(app.ingest().max_upload_bytes());

  router.Add({"OPTIONS", "/api/v1/tus",
              [&app](Context&) -> Response {
                Response r = TusEmpty(204);
                r.Header("Tus-Version", kTusVersion);
                r.Header("Tus-Extension", "creation,termination,expiration");
                r.Header("Tus-Max-Size", std::to_string(app.ingest().max_upload_bytes()));
                return r;
              },
              false, 64 * 1024, http::BodyMode::BUFFER, "tus capabilities"});

  router.Add({"POST", "/api/v1/tus",
              [&app](Context& c) -> Response {
                if (Status s = CheckVersion(c.request); !s.ok()) return TusError(s);
                if (c.request.headers.Has("Upload-Defer-Length")) {
                  return TusError(Invalid("Deferred upload length is not supported; send Upload-Length."));
                }
                const auto length = ParseNonNegative(c.request.headers.Get("Upload-Length"));
                if (!length) return TusError(Invalid("Upload-Length must be a non-negative integer."));
                auto meta = ParseMetadata(c.request.headers.Get("Upload-Metadata"));
                auto u =
                    app.ingest().CreateTus(c.user(), meta["project_id"], meta["filename"], *length, c.meta);
                if (!u.ok()) return TusError(u.status());
                Response r = TusEmpty(201);
                r.Header("Location", "/api/v1/tus/" + u->id);
                AddUploadHeaders(r, *u);
                return r;
              },
              true, 64 * 1024, http::BodyMode::BUFFER, "Create a resumable upload", /*offload=*/true});

  router.Add({"GET", "/api/v1/tus/{id}",
              [&app](Context& c) -> Response {
                if (Status s = CheckVersion(c.request); !s.ok()) return TusError(s);
                auto u = app.ingest().GetTus(c.user(), std::string(c.request.Param("id")));
                if (!u.ok()) return TusError(u.status());
                Response r = TusEmpty(200);
                AddUploadHeaders(r, *u);
                if (u->file_id) r.Header("X-File-Id", *u->file_id);  // a resumed upload may end on HEAD
                return r;
              },
              true, 64 * 1024, http::BodyMode::BUFFER, "Upload offset (HEAD)"});

  router.Add(
      {"PATCH", "/api/v1/tus/{id}",
       [&app](Context& c) -> Response {
         if (Status s = CheckVersion(c.request); !s.ok()) return TusError(s);
         if (c.request.headers.Get("Content-Type") != "application/offset+octet-stream") {
           return TusError(Status(ErrorCode::UNSUPPORTED_FORMAT,
                                  "PATCH bodies must be Content-Type: application/offset+octet-stream."));
         }
         const auto offset = ParseNonNegative(c.request.headers.Get("Upload-Offset"));
         if (!offset) return TusError(Invalid("Upload-Offset must be a non-negative integer."));
         auto result = app.ingest().AppendTus(c.user(), std::string(c.request.Param("id")), *offset,
                                              c.request.body_file, c.meta);
         if (!result.ok()) return TusError(result.status());
         Response r = TusEmpty(204);
         AddUploadHeaders(r, result->upload);
         if (result->completed) {
           r.Header("X-File-Id", result->completed->file.id);
           r.Header("X-Job-Id", result->completed->job.id);
         }
         return r;
       },
       true, chunk_limit, http::BodyMode::STREAM_TO_FILE, "Append to a resumable upload", /*offload=*/true});

  router.Add({"DELETE", "/api/v1/tus/{id}",
              [&app](Context& c) -> Response {
                if (Status s = CheckVersion(c.request); !s.ok()) return TusError(s);
                const Status s = app.ingest().DeleteTus(c.user(), std::string(c.request.Param("id")));
                if (!s.ok()) return TusError(s);
                return TusEmpty(204);
              },
              true, 64 * 1024, http::BodyMode::BUFFER, "Terminate a resumable upload", /*offload=*/true});
}

}  // namespace dm::api
