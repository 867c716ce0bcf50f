#pragma once
/// Serves the built single-page app: real files under the web root, index.html for any
/// other non-API path (client-side routes). Traversal outside the root is impossible.

#include <string>

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

}  // namespace dm::http
