#include "services/dataset_service.h"

#include <filesystem>
#include <future>
#include <map>
#include <mutex>

#include "core/ids.h"
#include "engine/dataset_io.h"
#include "engine/profiler.h"
#include "services/audit.h"
#include "store/cleaning_repository.h"
#include "store/dataset_repository.h"
#include "store/file_repository.h"
#include "store/job_repository.h"
#include "store/project_repository.h"
#include "store/transaction.h"

namespace dm::services {

namespace {
Status DatasetNotFound() {
  return NotFound("Dataset not found.");
}

Result<std::vector<std::pair<std::string, bool>>> ParseSort(const std::string& sort) {
  std::vector<std::pair<std::string, bool>> out;
  std::size_t start = 0;
  while (start < sort.size()) {
    auto comma = sort.find(',', start);
    if (comma == std::string::npos) comma = sort.size();
    const std::string part = sort.substr(start, comma - start);
    start = comma + 1;
    if (part.empty()) continue;
    const auto colon = part.rfind(':');
    std::string column = colon == std::string::npos ? part : part.substr(0, colon);
    const std::string dir = colon == std::string::npos ? "asc" : part.substr(colon + 1);
    if (dir != "asc" && dir != "desc") {
      return Invalid("Sort direction must be asc or desc (sort=column:asc).", {{"parameter", "sort"}});
    }
    out.emplace_back(std::move(column), dir == "desc");
  }
  if (out.size() > 8) return Invalid("At most 8 sort columns.", {{"parameter", "sort"}});
  return out;
}

std::string SafeFilename(const std::string& name, const std::string& ext) {
  std::string out;
  for (char c : name) {
    out.push_back(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.' ? c : '_');
  }
  if (out.empty()) out = "dataset";
  return out.substr(0, 100) + "." + ext;
}
}  // namespace

Result<std::pair<std::vector<DatasetView>, long long>> DatasetService::List(const Principal& p,
                                                                            const std::string& project_id,
                                                                            std::int64_t limit,
                                                                            std::int64_t offset) {
  DM_RETURN_IF_ERROR(RequirePermission(p, perm::kDataRead));
  if (!IsUuid(project_id)) return NotFound("Project not found.");
  return store::WithSession(
      db_, [&](soci::session& s) -> Result<std::pair<std::vector<DatasetView>, long long>> {
        if (!store::projects::Find(s, p.tenant(), project_id)) return NotFound("Project not found.");
        std::vector<DatasetView> out;
        for (auto& d : store::datasets::ListByProject(s, p.tenant(), project_id, limit, offset)) {
          auto head = store::datasets::FindVersion(s, p.tenant(), d.id, d.head_version);
          if (head) out.push_back({std::move(d), std::move(*head)});
        }
        return std::make_pair(std::move(out), store::datasets::CountByProject(s, p.tenant(), project_id));
      });
}

Result<DatasetView> DatasetService::Get(const Principal& p, const std::string& id) {
  DM_RETURN_IF_ERROR(RequirePermission(p, perm::kDataRead));
  if (!IsUuid(id)) return DatasetNotFound();
  return store::WithSession(db_, [&](soci::session& s) -> Result<DatasetView> {
    auto d = store::datasets::Find(s, p.tenant(), id);
    if (!d) return DatasetNotFound();
    auto head = store::datasets::FindVersion(s, p.tenant(), d->id, d->head_version);
    if (!head) return DatasetNotFound();
    return DatasetView{std::move(*d), std::move(*head)};
  });
}

Result<std::vector<store::DatasetVersion>> DatasetService::Versions(const Principal& p,
                                                                    const std::string& id) {
  DM_ASSIGN_OR_RETURN(DatasetView view, Get(p, id));
  return store::WithSession(db_, [&](soci::session& s) -> Result<std::vector<store::DatasetVersion>> {
    return store::datasets::ListVersions(s, p.tenant(), view.dataset.id);
  });
}

Result<std::string> DatasetService::HeadPath(const Principal& p, const std::string& id) {
  DM_ASSIGN_OR_RETURN(DatasetView view, Get(p, id));
  return blobs_.LocalPath(view.head.blob_key);
}

Result<nlohmann::json> DatasetService::Rows(const Principal& p, const std::string& id, std::int64_t offset,
                                            std::int64_t limit, const std::string& sort) {
  DM_ASSIGN_OR_RETURN(auto order, ParseSort(sort));
  DM_ASSIGN_OR_RETURN(std::string path, HeadPath(p, id));
  return engine::ReadRows(engine_, path, offset, limit, order);
}

Result<ExportedFile> DatasetService::Export(const Principal& p, const std::string& id,
                                            const std::string& format) {
  static const std::vector<std::pair<std::string, std::string>> kTypes = {
      {"csv", "text/csv; charset=utf-8"},
      {"json", "application/json"},
      {"ndjson", "application/x-ndjson"},
      {"parquet", "application/vnd.apache.parquet"},
      {"xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}};
  const auto type =
      std::find_if(kTypes.begin(), kTypes.end(), [&](const auto& t) { return t.first == format; });
  if (type == kTypes.end()) {
    return Invalid("The export format must be one of csv, json, ndjson, parquet, xlsx.",
                   {{"parameter", "format"}});
  }
  DM_ASSIGN_OR_RETURN(DatasetView view, Get(p, id));
  DM_ASSIGN_OR_RETURN(std::string source, blobs_.LocalPath(view.head.blob_key));
  std::filesystem::create_directories(temp_dir_);
  const std::string out = temp_dir_ + "/" + NewId() + "." + format;
  DM_RETURN_IF_ERROR(engine::ExportFile(engine_, source, format, out));
  return ExportedFile{out, SafeFilename(view.dataset.name, format), type->second};
}

Result<nlohmann::json> DatasetService::Query(const Principal& p, const std::string& id,
                                             const std::string& sql) {
  if (sql.size() > 100000) return Invalid("The query is too long (at most 100,000 characters).");
  DM_ASSIGN_OR_RETURN(std::string path, HeadPath(p, id));
  return engine::RunSandboxedQuery(path, sql, engine::QueryLimits{});
}

Status DatasetService::Delete(const Principal& p, const std::string& id, const RequestMeta& meta) {
  DM_ASSIGN_OR_RETURN(DatasetView view, Get(p, id));
  DM_RETURN_IF_ERROR(RequirePermission(p, perm::kDataWrite));
  DM_RETURN_IF_ERROR(store::WithSession(db_, [&](soci::session& s) -> Status {
    store::Transaction tx(s);
    if (!store::datasets::Delete(s, p.tenant(), view.dataset.id)) return DatasetNotFound();
    WriteAudit(s,
               AuditEvent{p.organization_id,
                          p.user_id,
                          "dataset.delete",
                          "dataset",
                          view.dataset.id,
                          {{"name", view.dataset.name}}},
               meta);
    tx.commit();
    return Status::Ok();
  }));
  return blobs_.RemovePrefix("orgs/" + p.organization_id + "/datasets/" + view.dataset.id);
}

Result<nlohmann::json> DatasetService::ProfileVersion(const store::TenantId& tenant,
                                                      const store::DatasetVersion& version) {
  // One computation per version at a time: the profile job and any GET /profile that
  // arrives before it finished share it (a 10M-row profile takes minutes; measured by
  // bench/web, four page loads had started four more of them).
  static std::mutex mu;
  static std::map<std::string, std::shared_future<Result<nlohmann::json>>> in_flight;
  const std::string key = version.dataset_id + "/" + std::to_string(version.version);
  std::promise<Result<nlohmann::json>> promise;
  std::shared_future<Result<nlohmann::json>> running;
  {
    std::lock_guard<std::mutex> lock(mu);
    if (auto it = in_flight.find(key); it != in_flight.end()) {
      running = it->second;
    } else {
      in_flight.emplace(key, promise.get_future().share());
    }
  }
  if (running.valid()) return running.get();
  Result<nlohmann::json> result = ComputeAndStoreProfile(tenant, version);
  promise.set_value(result);
  std::lock_guard<std::mutex> lock(mu);
  in_flight.erase(key);
  return result;
}

Result<nlohmann::json> DatasetService::ComputeAndStoreProfile(const store::TenantId& tenant,
                                                              const store::DatasetVersion& version) {
  DM_ASSIGN_OR_RETURN(std::string path, blobs_.LocalPath(version.blob_key));
  DM_ASSIGN_OR_RETURN(nlohmann::json profile, engine::ProfileParquet(engine_, path));
  nlohmann::json schema = version.schema;
  for (auto& column : schema) {
    for (const auto& pc : profile.value("columns", nlohmann::json::array())) {
      if (pc.value("name", "") == column.value("name", ""))
        column["semantic_type"] = pc.value("semantic_type", "");
    }
  }
  const double score = profile["quality"].value("score", 0.0);
  DM_RETURN_IF_ERROR(store::WithSession(db_, [&](soci::session& s) -> Status {
    store::Transaction tx(s);
    store::datasets::SaveProfile(s, tenant, version.dataset_id, version.version, profile, score, schema);
    store::cleaning::SetQualityAfter(s, tenant, version.dataset_id, version.version, score);
    tx.commit();
    return Status::Ok();
  }));
  return profile;
}

Result<nlohmann::json> DatasetService::Profile(const Principal& p, const std::string& id) {
  DM_ASSIGN_OR_RETURN(DatasetView view, Get(p, id));
  DM_ASSIGN_OR_RETURN(std::optional<nlohmann::json> stored,
                      store::WithSession(db_, [&](soci::session& s) -> Result<std::optional<nlohmann::json>> {
                        return store::datasets::LoadProfile(s, p.tenant(), view.dataset.id,
                                                            view.head.version);
                      }));
  if (stored) return *stored;
  return ProfileVersion(p.tenant(), view.head);
}

Result<nlohmann::json> DatasetService::RunProfileJob(jobs::JobContext& ctx) {
  const store::TenantId tenant(ctx.job.organization_id);
  const std::string dataset_id = ctx.job.payload.value("dataset_id", "");
  const std::int64_t version = ctx.job.payload.value("version", std::int64_t{1});
  DM_ASSIGN_OR_RETURN(
      std::optional<store::DatasetVersion> found,
      store::WithSession(db_, [&](soci::session& s) -> Result<std::optional<store::DatasetVersion>> {
        return store::datasets::FindVersion(s, tenant, dataset_id, version);
      }));
  if (!found) return NotFound("The dataset version no longer exists.");
  ctx.progress(5, "Profiling");
  DM_ASSIGN_OR_RETURN(nlohmann::json profile, ProfileVersion(tenant, *found));
  return nlohmann::json{{"dataset_id", dataset_id},
                        {"version", version},
                        {"quality_score", profile["quality"].value("score", 0.0)}};
}

Result<std::pair<store::FileRecord, std::vector<std::string>>> DatasetService::GetFile(
    const Principal& p, const std::string& id) {
  DM_RETURN_IF_ERROR(RequirePermission(p, perm::kDataRead));
  if (!IsUuid(id)) return NotFound("File not found.");
  return store::WithSession(
      db_, [&](soci::session& s) -> Result<std::pair<store::FileRecord, std::vector<std::string>>> {
        auto f = store::files::Find(s, p.tenant(), id);
        if (!f) return NotFound("File not found.");
        return std::make_pair(std::move(*f), store::datasets::IdsByFile(s, p.tenant(), id));
      });
}

Result<std::pair<std::vector<store::FileRecord>, long long>> DatasetService::ListFiles(
    const Principal& p, const std::string& project_id, std::int64_t limit, std::int64_t offset) {
  DM_RETURN_IF_ERROR(RequirePermission(p, perm::kDataRead));
  if (!IsUuid(project_id)) return NotFound("Project not found.");
  return store::WithSession(
      db_, [&](soci::session& s) -> Result<std::pair<std::vector<store::FileRecord>, long long>> {
        if (!store::projects::Find(s, p.tenant(), project_id)) return NotFound("Project not found.");
        return std::make_pair(store::files::ListByProject(s, p.tenant(), project_id, limit, offset),
                              store::files::CountByProject(s, p.tenant(), project_id));
      });
}

Result<store::Job> DatasetService::GetJob(const Principal& p, const std::string& id) {
  if (!IsUuid(id)) return NotFound("Job not found.");
  return store::WithSession(db_, [&](soci::session& s) -> Result<store::Job> {
    auto j = store::jobs::Find(s, p.tenant(), id);
    if (!j) return NotFound("Job not found.");
    return *j;
  });
}

Result<store::Job> DatasetService::CancelJob(const Principal& p, const std::string& id,
                                             const RequestMeta& meta) {
  DM_ASSIGN_OR_RETURN(store::Job job, GetJob(p, id));
  DM_RETURN_IF_ERROR(RequirePermission(p, perm::kDataWrite));
  DM_ASSIGN_OR_RETURN(
      store::Job updated, store::WithSession(db_, [&](soci::session& s) -> Result<store::Job> {
        store::jobs::RequestCancel(s, p.tenant(), job.id);
        WriteAudit(s, AuditEvent{p.organization_id, p.user_id, "job.cancel", "job", job.id, {}}, meta);
        store::Job fresh = *store::jobs::Find(s, p.tenant(), job.id);
        // An ingest canceled before it started leaves its file in a final state too.
        if (fresh.type == "ingest" && fresh.status == "canceled" && job.status == "queued") {
          const std::string file_id = fresh.payload.value("file_id", "");
          if (auto f = store::files::Find(s, p.tenant(), file_id); f && f->status == "uploaded") {
            store::files::UpdateStatus(s, p.tenant(), f->id, "error", std::string("The import was canceled."),
                                       f->details, std::string("CANCELED"));
          }
        }
        return fresh;
      }));
  pool_.Cancel(job.id);
  pool_.Publish(updated);
  return updated;
}

}  // namespace dm::services
