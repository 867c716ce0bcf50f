#pragma once
/// Small pieces the engine-only CLI verbs share.

#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <string>

namespace dm::cli {

/// A scratch directory under the system temp dir, removed with its contents at scope end;
/// path() is empty when it could not be created.
class ScratchDir {
 public:
  explicit ScratchDir(const char* prefix = "datamorph_cli") {
    std::string pattern =
        (std::filesystem::temp_directory_path() / (std::string(prefix) + "_XXXXXX")).string();
    if (mkdtemp(pattern.data()) != nullptr) path_ = pattern;
  }
  ~ScratchDir() { Remove(); }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  const std::string& path() const { return path_; }
  /// Removes the directory now rather than at scope end.
  void Remove() {
    std::error_code ec;
    if (!path_.empty()) std::filesystem::remove_all(path_, ec);
    path_.clear();
  }

 private:
  std::string path_;
};

/// Prints "error: <message>" to stderr; returns the failing exit status 1.
inline int Fail(const std::string& message) {
  std::cerr << "error: " << message << "\n";
  return 1;
}

}  // namespace dm::cli
