#pragma once
/// Serves the built single-page app: real files under the web root, index.html for any
/// other non-API path (client-side routes). Traversal outside the root is impossible.

#include <string>
#include <vector>

#include "http/message.h"

namespace dm::http {

class StaticFiles {
 public:
  explicit StaticFiles(std::string root);
  bool enabled() const { return !root_.empty(); }
  /// A response for GET/HEAD `decoded_path`.
  /// With `accept_gzip`, a file that has a precompressed sibling "<file>.gz" (written by
  /// `make web`) is answered with it and Content-Encoding: gzip.
  Response Serve(const std::string& decoded_path, bool accept_gzip = false) const;

 private:
  std::string root_;  ///< canonical absolute path, or empty when there is no build
};

/// Content type for a file name's extension.
std::string ContentTypeFor(const std::string& path);

/// The API requests the app's first screen at client-side route `decoded_path` makes at once
/// (the same URLs, byte for byte, as web/public/boot.js asks for): the page's response names
/// them in a `Link: <url>; rel=preload; as=fetch; crossorigin` header, so the browser starts
/// them as soon as it has the page, before boot.js runs, and boot.js's fetches take those
/// answers. Empty for sign-in and register, and for an id that is not plain letters, digits,
/// '-' and '_' (nothing else may reach a header).
std::vector<std::string> EarlyApiRequests(const std::string& decoded_path);

}  // namespace dm::http
