#include "http/static_files.h"

#include <algorithm>
#include <cctype>
#include <filesystem>

namespace dm::http {

namespace fs = std::filesystem;

StaticFiles::StaticFiles(std::string root) {
  std::error_code ec;
  if (root.empty() || !fs::exists(fs::path(root) / "index.html", ec)) return;
  root_ = fs::canonical(root, ec).string();
  if (ec) root_.clear();
}

std::string ContentTypeFor(const std::string& path) {
  const std::string ext = fs::path(path).extension().string();
  if (ext == ".html") return "text/html; charset=utf-8";
  if (ext == ".js" || ext == ".mjs") return "text/javascript; charset=utf-8";
  if (ext == ".css") return "text/css; charset=utf-8";
  if (ext == ".json" || ext == ".map") return "application/json";
  if (ext == ".svg") return "image/svg+xml";
  if (ext == ".png") return "image/png";
  if (ext == ".jpg" || ext == ".jpeg") return "image/jpeg";
  if (ext == ".ico") return "image/x-icon";
  if (ext == ".woff2") return "font/woff2";
  if (ext == ".woff") return "font/woff";
  if (ext == ".txt") return "text/plain; charset=utf-8";
  if (ext == ".wasm") return "application/wasm";
  return "application/octet-stream";
}

namespace {

bool PlainId(const std::string& id) {
  return !id.empty() && id.size() <= 64 && std::all_of(id.begin(), id.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_';
  });
}

/// `path` split at '/', without empty parts ("/datasets/x/" -> {"datasets", "x"}).
std::vector<std::string> Segments(const std::string& path) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (start <= path.size()) {
    const std::size_t end = std::min(path.find('/', start), path.size());
    if (end > start) parts.push_back(path.substr(start, end - start));
    start = end + 1;
  }
  return parts;
}

}  // namespace

std::vector<std::string> EarlyApiRequests(const std::string& decoded_path) {
  // Keep in step with web/public/boot.js.
  const std::vector<std::string> parts = Segments(decoded_path);
  if (!parts.empty() && (parts[0] == "sign-in" || parts[0] == "register")) return {};
  std::vector<std::string> urls = {"/api/v1/auth/me"};
  if (parts.empty() || (parts.size() == 1 && parts[0] == "projects")) {
    urls.push_back("/api/v1/projects");
  } else if (parts.size() == 2 && parts[0] == "projects" && PlainId(parts[1])) {
    urls.push_back("/api/v1/projects/" + parts[1]);
  } else if ((parts.size() == 2 || parts.size() == 3) && parts[0] == "datasets" && PlainId(parts[1])) {
    urls.push_back("/api/v1/datasets/" + parts[1]);
    // The grid's first page of rows (the grid is the dataset's default tab).
    if (parts.size() == 2) urls.push_back("/api/v1/datasets/" + parts[1] + "/rows?offset=0&limit=200");
  }
  return urls;
}

Response StaticFiles::Serve(const std::string& decoded_path, bool accept_gzip) const {
  if (!enabled()) return NotFoundResponse("Not found.");
  // Reject anything that could step outside the root before touching the filesystem.
  if (decoded_path.find('\0') != std::string::npos || decoded_path.find('\\') != std::string::npos) {
    return NotFoundResponse("Not found.");
  }
  fs::path rel;
  for (const auto& part : fs::path(decoded_path).relative_path()) {
    const std::string p = part.string();
    if (p == "..") return NotFoundResponse("Not found.");
    if (p.empty() || p == ".") continue;
    rel /= part;
  }
  std::error_code ec;
  fs::path candidate = fs::path(root_) / rel;
  std::string preload;  // the Link header of a client-side route's page
  bool is_file = !rel.empty() && fs::is_regular_file(candidate, ec);
  if (is_file) {
    // Symlinks must not lead outside the root either.
    const fs::path real = fs::canonical(candidate, ec);
    const std::string real_s = real.string();
    if (ec || real_s.compare(0, root_.size(), root_) != 0 ||
        (real_s.size() > root_.size() && real_s[root_.size()] != '/')) {
      return NotFoundResponse("Not found.");
    }
    candidate = real;
  } else {
    // Missing asset files are real 404s; everything else is a client-side route.
    if (rel.has_extension() && rel.begin()->string() == "assets") return NotFoundResponse("Not found.");
    candidate = fs::path(root_) / "index.html";
    std::string links;
    for (const std::string& url : EarlyApiRequests(decoded_path)) {
      links += (links.empty() ? "<" : ", <") + url + ">; rel=preload; as=fetch; crossorigin";
    }
    if (!links.empty()) preload = std::move(links);
  }
  Response r;
  r.file_path = candidate.string();
  r.content_type = ContentTypeFor(r.file_path);
  if (const std::string gz = r.file_path + ".gz";
      accept_gzip && fs::is_regular_file(gz, ec) &&
      fs::last_write_time(gz, ec) >= fs::last_write_time(r.file_path, ec)) {
    r.file_path = gz;  // a sibling of a file already checked to be inside the root
    r.Header("Content-Encoding", "gzip");
  }
  r.Header("Vary", "Accept-Encoding");
  const bool hashed_asset = !rel.empty() && rel.begin()->string() == "assets" && is_file;
  r.Header("Cache-Control", hashed_asset ? "public, max-age=31536000, immutable" : "no-cache");
  if (!preload.empty()) r.Header("Link", preload);
  return r;
}

}  // namespace dm::http
