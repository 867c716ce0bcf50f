#include "http/static_files.h"

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
  return r;
}

}  // namespace dm::http
