#include "store/blob_store.h"

#include <filesystem>

#include <spdlog/spdlog.h>

namespace dm::store {

namespace fs = std::filesystem;

bool IsValidBlobKey(const std::string& key) {
  if (key.empty() || key.size() > 512 || key.front() == '/') return false;
  std::size_t start = 0;
  while (start <= key.size()) {
    const auto slash = key.find('/', start);
    const std::string seg = key.substr(start, slash == std::string::npos ? std::string::npos : slash - start);
    if (seg.empty() || seg == "." || seg == "..") return false;
    for (char c : seg) {
      if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-')) return false;
    }
    if (slash == std::string::npos) break;
    start = slash + 1;
  }
  return true;
}

namespace {
Status StorageError(const char* what, const std::error_code& ec) {
  spdlog::error("blob store: {}: {}", what, ec.message());
  return Internal("The file storage could not complete the request.");
}
}  // namespace

Result<std::string> LocalBlobStore::LocalPath(const std::string& key) const {
  if (!IsValidBlobKey(key)) return Internal("Invalid storage key.");
  return root_ + "/" + key;
}

Result<std::string> LocalBlobStore::WritablePath(const std::string& key) {
  DM_ASSIGN_OR_RETURN(std::string path, LocalPath(key));
  std::error_code ec;
  fs::create_directories(fs::path(path).parent_path(), ec);
  if (ec) return StorageError("create directory", ec);
  return path;
}

Status LocalBlobStore::PutFile(const std::string& key, const std::string& source) {
  DM_ASSIGN_OR_RETURN(std::string path, WritablePath(key));
  std::error_code ec;
  fs::rename(source, path, ec);
  if (ec) {  // another filesystem: copy, then remove the source
    ec.clear();
    fs::copy_file(source, path, fs::copy_options::overwrite_existing, ec);
    if (ec) return StorageError("copy", ec);
    fs::remove(source, ec);
  }
  return Status::Ok();
}

Status LocalBlobStore::Remove(const std::string& key) {
  DM_ASSIGN_OR_RETURN(std::string path, LocalPath(key));
  std::error_code ec;
  fs::remove(path, ec);
  if (ec) return StorageError("remove", ec);
  return Status::Ok();
}

Status LocalBlobStore::RemovePrefix(const std::string& prefix) {
  std::string p = prefix;
  while (!p.empty() && p.back() == '/') p.pop_back();
  DM_ASSIGN_OR_RETURN(std::string path, LocalPath(p));
  std::error_code ec;
  fs::remove_all(path, ec);
  if (ec) return StorageError("remove tree", ec);
  return Status::Ok();
}

bool LocalBlobStore::Exists(const std::string& key) const {
  auto path = LocalPath(key);
  std::error_code ec;
  return path.ok() && fs::exists(*path, ec);
}

}  // namespace dm::store
