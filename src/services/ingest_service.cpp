#include "services/ingest_service.h"

#include <array>
#include <filesystem>
#include <fstream>
#include <functional>
#include <mutex>

#include <spdlog/spdlog.h>

#include "core/ids.h"
#include "core/time.h"
#include "core/utf8.h"
#include "engine/format_detector.h"
#include "engine/ingest.h"
#include "services/audit.h"
#include "store/dataset_repository.h"
#include "store/file_repository.h"
#include "store/job_repository.h"
#include "store/project_repository.h"
#include "store/transaction.h"
#include "store/tus_repository.h"

namespace dm::services {

namespace fs = std::filesystem;

namespace {
constexpr std::int64_t kTusLifetimeS = 24 * 3600;

std::string FileKey(const std::string& org, const std::string& file_id) {
  return "orgs/" + org + "/files/" + file_id;
}
std::string TusKey(const std::string& org, const std::string& id) {
  return "orgs/" + org + "/tus/" + id;
}

std::string Stem(const std::string& filename) {
  const auto dot = filename.rfind('.');
  std::string stem = dot == std::string::npos || dot == 0 ? filename : filename.substr(0, dot);
  return stem.empty() ? "dataset" : stem;
}
/// An engine error as the uploader may read it: DuckDB's echo of the SQL ("LINE 1: ...")
/// and any path under the data directory are removed.
std::string PublicMessage(std::string message, const std::string& data_dir) {
  if (const auto line = message.find("\nLINE "); line != std::string::npos) message.resize(line);
  if (const auto line = message.find("LINE 1:"); line != std::string::npos) message.resize(line);
  const std::string root = fs::absolute(data_dir).lexically_normal().string();
  for (const std::string& needle : {root, data_dir}) {
    if (needle.empty()) continue;
    for (auto pos = message.find(needle); pos != std::string::npos; pos = message.find(needle)) {
      auto end = message.find_first_of("'\" \n", pos);
      message.replace(pos, (end == std::string::npos ? message.size() : end) - pos, "the file");
    }
  }
  while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) message.pop_back();
  return message;
}

/// One lock per resumable upload: appends to the same upload are serialised, so a
/// refused request never writes (single process; see docs/operations.md).
std::mutex& UploadLock(const std::string& id) {
  static std::array<std::mutex, 64> stripes;
  return stripes[std::hash<std::string>{}(id) % stripes.size()];
}

}  // namespace

std::string CleanFilename(std::string_view raw) {
  const auto cut = raw.find_last_of("/\\");
  std::string_view base = cut == std::string_view::npos ? raw : raw.substr(cut + 1);
  std::string out;
  for (char c : base) {
    if (static_cast<unsigned char>(c) >= 0x20 && c != 0x7f) out.push_back(c);
  }
  out = ValidUtf8(out, 255);
  if (out.empty() || out == "." || out == "..") out = "upload";
  return out;
}

IngestService::IngestService(store::Database& db, store::BlobStore& blobs, engine::Engine& engine,
                             jobs::WorkerPool& pool, const Config& config)
    : db_(db), blobs_(blobs), engine_(engine), pool_(pool), config_(config) {}

std::int64_t IngestService::max_upload_bytes() const {
  return config_.max_upload_mb * 1024 * 1024;
}

Status IngestService::RequireProject(soci::session& s, const Principal& p, const std::string& project_id) {
  if (!IsUuid(project_id) || !store::projects::Find(s, p.tenant(), project_id)) {
    return NotFound("Project not found.");
  }
  return Status::Ok();
}

Result<UploadResult> IngestService::AcceptUpload(const Principal& p, const std::string& project_id,
                                                 const std::string& temp_path,
                                                 const std::string& raw_filename, const RequestMeta& meta) {
  DM_RETURN_IF_ERROR(
      store::WithSession(db_, [&](soci::session& s) { return RequireProject(s, p, project_id); }));
  DM_RETURN_IF_ERROR(RequirePermission(p, perm::kDataWrite, "Your role does not allow uploading data."));
  std::error_code ec;
  const auto size = static_cast<std::int64_t>(fs::file_size(temp_path, ec));
  if (ec) return Internal("The upload could not be stored.");
  if (size > max_upload_bytes()) {
    return Status(ErrorCode::PAYLOAD_TOO_LARGE, "The file is larger than the upload limit.",
                  {{"limit_bytes", max_upload_bytes()}});
  }
  const std::string now = NowIso();
  store::FileRecord file;
  file.id = NewId();
  file.organization_id = p.organization_id;
  file.project_id = project_id;
  file.original_filename = CleanFilename(raw_filename);
  file.size_bytes = size;
  file.detected_format = engine::DetectFormat(temp_path);
  file.status = "uploaded";
  file.blob_key = FileKey(p.organization_id, file.id);
  file.created_by = p.user_id;
  file.created_at = file.updated_at = now;
  DM_RETURN_IF_ERROR(blobs_.PutFile(file.blob_key, temp_path));

  store::Job job;
  job.id = NewId();
  job.organization_id = p.organization_id;
  job.type = "ingest";
  job.status = "queued";
  job.message = "Waiting for a worker";
  job.payload = {{"file_id", file.id}};
  job.created_by = p.user_id;
  job.created_at = now;
  auto stored = store::WithSession(db_, [&](soci::session& s) -> Status {
    store::Transaction tx(s);
    store::files::Insert(s, file);
    store::jobs::Insert(s, job);
    WriteAudit(s,
               AuditEvent{p.organization_id,
                          p.user_id,
                          "file.upload",
                          "file",
                          file.id,
                          {{"filename", file.original_filename},
                           {"size_bytes", size},
                           {"detected_format", file.detected_format},
                           {"project_id", project_id}}},
               meta);
    tx.commit();
    return Status::Ok();
  });
  if (!stored.ok()) {
    (void)blobs_.Remove(file.blob_key);
    return stored;
  }
  pool_.Wake();
  return UploadResult{file, job};
}

Result<nlohmann::json> IngestService::RunIngest(jobs::JobContext& ctx) {
  const store::TenantId tenant(ctx.job.organization_id);
  const std::string file_id = ctx.job.payload.value("file_id", "");
  DM_ASSIGN_OR_RETURN(
      std::optional<store::FileRecord> found,
      store::WithSession(db_, [&](soci::session& s) -> Result<std::optional<store::FileRecord>> {
        auto f = store::files::Find(s, tenant, file_id);
        if (f) store::files::UpdateStatus(s, tenant, f->id, "processing", std::nullopt, f->details);
        return f;
      }));
  if (!found) return NotFound("The uploaded file no longer exists.");
  const store::FileRecord file = *found;

  // Every failure path reports the same cleaned sentence on the file and on the job.
  auto fail = [&](const Status& st) -> Status {
    const std::string message = st.code() == ErrorCode::CANCELED
                                    ? std::string("The import was canceled.")
                                    : PublicMessage(st.message(), config_.data_dir);
    (void)store::WithSession(db_, [&](soci::session& s) -> Status {
      store::files::UpdateStatus(s, tenant, file.id, "error", message, file.details,
                                 std::string(ErrorCodeName(st.code())));
      return Status::Ok();
    });
    return Status(st.code(), message, st.details());
  };

  const fs::path work = fs::path(config_.data_dir) / "tmp" / "jobs" / ctx.job.id;
  std::error_code ec;
  fs::remove_all(work, ec);
  fs::create_directories(work / "out", ec);
  fs::create_directories(work / "scratch", ec);
  struct Cleanup {
    fs::path dir;
    ~Cleanup() {
      std::error_code e;
      fs::remove_all(dir, e);
    }
  } cleanup{work};

  auto source = blobs_.LocalPath(file.blob_key);
  if (!source.ok()) return fail(source.status());
  engine::IngestOptions options;
  options.output_dir = (work / "out").string();
  options.work_dir = (work / "scratch").string();
  ctx.progress(1, "Reading " + file.original_filename);
  auto tables = engine::IngestFile(
      engine_, *source, file.detected_format, options,
      [&](double fraction, const std::string& message) { return ctx.progress(1 + fraction * 94, message); });
  if (!tables.ok()) {
    if (tables.status().code() == ErrorCode::CANCELED || !ctx.progress(95, "Stopping")) {
      return fail(Status(ErrorCode::CANCELED, "Canceled."));
    }
    return fail(tables.status());
  }
  if (!ctx.progress(96, "Saving datasets")) return fail(Status(ErrorCode::CANCELED, "Canceled."));

  const std::string now = NowIso();
  nlohmann::json dataset_ids = nlohmann::json::array();
  nlohmann::json table_details = nlohmann::json::array();
  std::int64_t rejected_total = 0;
  std::vector<std::pair<store::DatasetRecord, store::DatasetVersion>> created;
  const bool single = tables->size() == 1;
  for (const engine::TableInfo& t : *tables) {
    store::DatasetRecord d;
    d.id = NewId();
    d.organization_id = file.organization_id;
    d.project_id = file.project_id;
    d.source_file_id = file.id;
    d.name = t.details.contains("sheet") || !single ? t.name : Stem(file.original_filename);
    d.head_version = 1;
    d.created_by = file.created_by;
    d.created_at = d.updated_at = now;
    store::DatasetVersion v;
    v.dataset_id = d.id;
    v.version = 1;
    v.organization_id = d.organization_id;
    v.blob_key = "orgs/" + d.organization_id + "/datasets/" + d.id + "/v1.parquet";
    v.row_count = t.row_count;
    v.column_count = static_cast<std::int64_t>(t.columns.size());
    for (const auto& c : t.columns) {
      v.schema.push_back(
          {{"name", c.name}, {"type", c.type}, {"semantic_type", nullptr}, {"nullable", c.nullable}});
    }
    v.operations = nlohmann::json::array({{{"type", "ingest"}, {"file_id", file.id}}});
    v.created_by = file.created_by;
    v.created_at = now;
    if (Status st = blobs_.PutFile(v.blob_key, t.parquet_path); !st.ok()) return fail(st);
    rejected_total += t.rejected_row_count;
    nlohmann::json rejected = nlohmann::json::array();
    for (const auto& r : t.rejected_rows) rejected.push_back({{"line", r.line}, {"reason", r.reason}});
    table_details.push_back({{"dataset_id", d.id},
                             {"name", d.name},
                             {"row_count", t.row_count},
                             {"rejected_row_count", t.rejected_row_count},
                             {"rejected_rows", rejected},
                             {"details", t.details}});
    dataset_ids.push_back(d.id);
    created.emplace_back(std::move(d), std::move(v));
  }
  nlohmann::json details = file.details;
  details["tables"] = table_details;
  details["rejected_row_count"] = rejected_total;
  auto saved = store::WithSession(db_, [&](soci::session& s) -> Status {
    store::Transaction tx(s);
    for (const auto& [d, v] : created) {
      store::datasets::Insert(s, d);
      store::datasets::InsertVersion(s, v);
      WriteAudit(s,
                 AuditEvent{d.organization_id,
                            d.created_by,
                            "dataset.create",
                            "dataset",
                            d.id,
                            {{"name", d.name}, {"file_id", file.id}, {"rows", v.row_count}}},
                 RequestMeta{"", "ingest job", ctx.job.id});
    }
    store::files::UpdateStatus(s, tenant, file.id, "ready", std::nullopt, details);
    for (const auto& [d, v] : created) {  // every new version gets its profile next
      store::Job profile;
      profile.id = NewId();
      profile.organization_id = d.organization_id;
      profile.type = "profile";
      profile.status = "queued";
      profile.message = "Waiting for a worker";
      profile.payload = {{"dataset_id", d.id}, {"version", v.version}};
      profile.created_by = d.created_by;
      profile.created_at = NowIso();
      store::jobs::Insert(s, profile);
    }
    tx.commit();
    return Status::Ok();
  });
  if (!saved.ok()) {
    for (const auto& [d, v] : created) (void)blobs_.Remove(v.blob_key);
    return fail(saved);
  }
  return nlohmann::json{
      {"file_id", file.id}, {"dataset_ids", dataset_ids}, {"rejected_row_count", rejected_total}};
}

Result<store::TusUpload> IngestService::CreateTus(const Principal& p, const std::string& project_id,
                                                  const std::string& filename, std::int64_t length,
                                                  const RequestMeta& meta) {
  DM_RETURN_IF_ERROR(
      store::WithSession(db_, [&](soci::session& s) { return RequireProject(s, p, project_id); }));
  DM_RETURN_IF_ERROR(RequirePermission(p, perm::kDataWrite, "Your role does not allow uploading data."));
  if (length < 0) return Invalid("Upload-Length must be a non-negative integer.");
  if (length > max_upload_bytes()) {
    return Status(ErrorCode::PAYLOAD_TOO_LARGE, "The file is larger than the upload limit.",
                  {{"limit_bytes", max_upload_bytes()}});
  }
  store::TusUpload u;
  u.id = NewId();
  u.organization_id = p.organization_id;
  u.project_id = project_id;
  u.user_id = p.user_id;
  u.filename = CleanFilename(filename);
  u.upload_length = length;
  u.created_at = NowIso();
  u.expires_at = NowUnix() + kTusLifetimeS;
  DM_ASSIGN_OR_RETURN(std::string path, blobs_.WritablePath(TusKey(p.organization_id, u.id)));
  std::ofstream(path, std::ios::binary | std::ios::trunc).flush();
  DM_RETURN_IF_ERROR(store::WithSession(db_, [&](soci::session& s) -> Status {
    store::tus::Insert(s, u);
    return Status::Ok();
  }));
  (void)meta;
  return u;
}

Result<store::TusUpload> IngestService::GetTus(const Principal& p, const std::string& id) {
  if (!IsUuid(id)) return NotFound("Upload not found.");
  return store::WithSession(db_, [&](soci::session& s) -> Result<store::TusUpload> {
    auto u = store::tus::Find(s, p.tenant(), id);
    if (!u || (u->expires_at < NowUnix() && !u->file_id)) return NotFound("Upload not found.");
    return *u;
  });
}

Result<TusAppendResult> IngestService::AppendTus(const Principal& p, const std::string& id,
                                                 std::int64_t offset, const std::string& chunk_path,
                                                 const RequestMeta& meta) {
  // Appends to one upload are serialised: in this process by a striped mutex, and across
  // nodes sharing PostgreSQL by holding the upload's row lock (FOR UPDATE) for the whole
  // append. SQLite means a single process, where the mutex is enough (and a write
  // transaction would block every other writer while the chunk is copied).
  std::lock_guard<std::mutex> serialised(UploadLock(id));
  DM_ASSIGN_OR_RETURN(store::TusUpload found, GetTus(p, id));
  DM_RETURN_IF_ERROR(RequirePermission(p, perm::kDataWrite, "Your role does not allow uploading data."));
  if (db_.dialect() != store::Dialect::POSTGRESQL) {
    DM_ASSIGN_OR_RETURN(TusAppendResult appended, AppendTusLocked(found, offset, chunk_path, nullptr));
    return CompleteTus(p, std::move(appended), meta);
  }
  DM_ASSIGN_OR_RETURN(
      TusAppendResult appended, store::WithSession(db_, [&](soci::session& s) -> Result<TusAppendResult> {
        store::Transaction tx(s);
        auto locked = store::tus::FindForUpdate(s, p.tenant(), id);  // the offset is current under the lock
        if (!locked) return NotFound("Upload not found.");
        auto result = AppendTusLocked(*locked, offset, chunk_path, &s);
        tx.commit();  // also after a refusal: nothing was written through `s` then
        return result;
      }));
  return CompleteTus(p, std::move(appended), meta);
}

Result<TusAppendResult> IngestService::AppendTusLocked(store::TusUpload u, std::int64_t offset,
                                                       const std::string& chunk_path, soci::session* locked) {
  const store::TenantId tenant(u.organization_id);
  if (u.file_id) return Conflict("This upload is already complete.");
  DM_ASSIGN_OR_RETURN(std::string path, blobs_.WritablePath(TusKey(u.organization_id, u.id)));
  if (std::error_code staged_ec; fs::exists(path + ".complete", staged_ec)) {
    return Conflict("This upload is already complete.");  // staged, being accepted
  }
  if (offset != u.upload_offset) {
    return Status(ErrorCode::CONFLICT, "Upload-Offset does not match the upload's current offset.",
                  {{"offset", u.upload_offset}});
  }
  std::error_code ec;
  const auto chunk = static_cast<std::int64_t>(fs::file_size(chunk_path, ec));
  if (ec) return Internal("The upload chunk could not be read.");
  if (u.upload_offset + chunk > u.upload_length) {
    return Status(ErrorCode::PAYLOAD_TOO_LARGE, "The chunk goes past the declared Upload-Length.");
  }
  {
    // Truncate to the recorded offset first: a previous chunk may have been cut off mid-write.
    fs::resize_file(path, static_cast<std::uintmax_t>(u.upload_offset), ec);
    std::ofstream out(path, std::ios::binary | std::ios::app);
    std::ifstream in(chunk_path, std::ios::binary);
    out << in.rdbuf();
    out.flush();
    if (!out) return Internal("The upload chunk could not be stored.");
  }
  const std::int64_t new_offset = u.upload_offset + chunk;
  // With the row locked, every write to the row goes through the locking session.
  auto with_row = [&](const auto& fn) {
    return locked != nullptr ? fn(*locked) : store::WithSession(db_, fn);
  };
  DM_ASSIGN_OR_RETURN(bool advanced, with_row([&](soci::session& s) -> Result<bool> {
                        return store::tus::AdvanceOffset(s, tenant, u.id, u.upload_offset, new_offset);
                      }));
  if (!advanced) return Conflict("Another request changed this upload at the same time.");
  u.upload_offset = new_offset;
  if (new_offset == u.upload_length) {
    // Staged under the lock; accepted by the caller once the lock is released (accepting
    // takes other connections, which must not wait while this one holds the row).
    fs::rename(path, path + ".complete", ec);
    if (ec) return Internal("The upload could not be completed.");
  }
  return TusAppendResult{u, std::nullopt};
}

Result<TusAppendResult> IngestService::CompleteTus(const Principal& p, TusAppendResult appended,
                                                   const RequestMeta& meta) {
  store::TusUpload& u = appended.upload;
  if (u.upload_offset != u.upload_length) return appended;
  DM_ASSIGN_OR_RETURN(std::string path, blobs_.WritablePath(TusKey(u.organization_id, u.id)));
  DM_ASSIGN_OR_RETURN(UploadResult done, AcceptUpload(p, u.project_id, path + ".complete", u.filename, meta));
  (void)store::WithSession(db_, [&](soci::session& s) -> Status {
    store::tus::SetFile(s, p.tenant(), u.id, done.file.id);
    return Status::Ok();
  });
  u.file_id = done.file.id;
  appended.completed = std::move(done);
  return appended;
}

Status IngestService::DeleteTus(const Principal& p, const std::string& id) {
  DM_ASSIGN_OR_RETURN(store::TusUpload u, GetTus(p, id));
  DM_RETURN_IF_ERROR(RequirePermission(p, perm::kDataWrite, "Your role does not allow uploading data."));
  DM_RETURN_IF_ERROR(store::WithSession(db_, [&](soci::session& s) -> Status {
    store::tus::Delete(s, p.tenant(), u.id);
    return Status::Ok();
  }));
  (void)blobs_.Remove(TusKey(u.organization_id, u.id));
  return Status::Ok();
}

void IngestService::RemoveExpiredTus() {
  (void)store::WithSession(db_, [&](soci::session& s) -> Status {
    for (const auto& [org, id] : store::tus::Expired(s, NowUnix())) {
      (void)blobs_.Remove(TusKey(org, id));
      store::tus::DeleteById(s, id);
    }
    return Status::Ok();
  });
}

}  // namespace dm::services
