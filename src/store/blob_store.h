#pragma once
/// Where file bytes live: uploads and dataset versions, under generated keys such as
/// "orgs/<org>/datasets/<id>/v1.parquet". The local implementation keeps them under the
/// data directory; an S3-compatible store can implement the same interface (DuckDB and
/// the readers then work on a locally cached copy).

#include <memory>
#include <string>

#include "core/status.h"

namespace dm::store {

class BlobStore {
 public:
  virtual ~BlobStore() = default;
  /// A readable local path for the key's bytes.
  virtual Result<std::string> LocalPath(const std::string& key) const = 0;
  /// Stores the file at `source` under `key`, moving it when possible (same disk).
  virtual Status PutFile(const std::string& key, const std::string& source) = 0;
  virtual Status Remove(const std::string& key) = 0;
  /// Removes every key under `prefix` ("orgs/<org>/datasets/<id>/").
  virtual Status RemovePrefix(const std::string& prefix) = 0;
  virtual bool Exists(const std::string& key) const = 0;
  /// A writable local path for a key being assembled in place (resumable uploads).
  virtual Result<std::string> WritablePath(const std::string& key) = 0;
};

class LocalBlobStore final : public BlobStore {
 public:
  explicit LocalBlobStore(std::string root) : root_(std::move(root)) {}
  Result<std::string> LocalPath(const std::string& key) const override;
  Status PutFile(const std::string& key, const std::string& source) override;
  Status Remove(const std::string& key) override;
  Status RemovePrefix(const std::string& prefix) override;
  bool Exists(const std::string& key) const override;
  Result<std::string> WritablePath(const std::string& key) override;

 private:
  std::string root_;
};

/// True for keys made of [A-Za-z0-9._/-] with no empty, "." or ".." segment.
bool IsValidBlobKey(const std::string& key);

}  // namespace dm::store
