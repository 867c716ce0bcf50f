#include "services/clean_service.h"

#include <filesystem>

#include "core/ids.h"
#include "core/time.h"
#include "engine/clean.h"
#include "engine/dataset_io.h"
#include "engine/profiler.h"
#include "engine/suggest.h"
#include "services/audit.h"
#include "store/cleaning_repository.h"
#include "store/dataset_repository.h"
#include "store/job_repository.h"
#include "store/transaction.h"

namespace dm::services {

namespace {

constexpr std::size_t kMaxOperations = 100;

Status CheckOperationList(const nlohmann::json& operations) {
  if (!operations.is_array()) {
    return Invalid("operations must be an array of operations.", {{"field", "operations"}});
  }
  if (operations.empty()) return Invalid("operations must not be empty.", {{"field", "operations"}});
  if (operations.size() > kMaxOperations) {
    return Invalid("At most 100 operations per request.", {{"field", "operations"}});
  }
  return Status::Ok();
}

/// A scratch file under the temp dir, removed at scope end.
class ScratchFile {
 public:
  ScratchFile(const std::string& dir, const std::string& ext) {
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    path_ = dir + "/" + NewId() + ext;
  }
  ~ScratchFile() {
    std::error_code ec;
    std::filesystem::remove(path_, ec);
  }
  ScratchFile(const ScratchFile&) = delete;
  ScratchFile& operator=(const ScratchFile&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

nlohmann::json OptJson(const std::optional<std::int64_t>& v) {
  return v ? nlohmann::json(*v) : nlohmann::json(nullptr);
}
nlohmann::json OptJson(const std::optional<double>& v) {
  return v ? nlohmann::json(*v) : nlohmann::json(nullptr);
}

double Score(const nlohmann::json& profile) {
  return profile.contains("quality") ? profile["quality"].value("score", 0.0) : 0.0;
}

}  // namespace

nlohmann::json HistoryStepJson(const store::CleaningOperation& op) {
  return {{"id", op.id},
          {"kind", op.kind},
          {"version", op.version},
          {"parent_version", OptJson(op.parent_version)},
          {"op_index", op.op_index},
          {"operation", op.kind == "clean" ? op.operation : nlohmann::json(nullptr)},
          {"rows_before", OptJson(op.rows_before)},
          {"rows_after", OptJson(op.rows_after)},
          {"affected_rows", OptJson(op.affected_rows)},
          {"quality_before", OptJson(op.quality_before)},
          {"quality_after", OptJson(op.quality_after)},
          {"message", op.message},
          {"job_id", op.job_id.empty() ? nlohmann::json(nullptr) : nlohmann::json(op.job_id)},
          {"created_by", op.created_by},
          {"created_at", op.created_at}};
}

Result<nlohmann::json> CleanService::Suggestions(const Principal& p, const std::string& id) {
  DM_ASSIGN_OR_RETURN(DatasetView view, datasets_.Get(p, id));
  DM_ASSIGN_OR_RETURN(nlohmann::json profile, datasets_.Profile(p, id));
  DM_ASSIGN_OR_RETURN(std::string path, blobs_.LocalPath(view.head.blob_key));
  DM_ASSIGN_OR_RETURN(std::vector<engine::clean::Suggestion> found,
                      engine::clean::Suggest(engine_, path, profile));
  nlohmann::json items = nlohmann::json::array();
  for (const auto& s : found) items.push_back(engine::clean::ToJson(s));
  return nlohmann::json{{"items", items}, {"version", view.head.version}};
}

Result<nlohmann::json> CleanService::Preview(const Principal& p, const std::string& id,
                                             const nlohmann::json& operations) {
  DM_RETURN_IF_ERROR(CheckOperationList(operations));
  DM_ASSIGN_OR_RETURN(DatasetView view, datasets_.Get(p, id));
  DM_RETURN_IF_ERROR(RequirePermission(p, perm::kDataWrite));
  DM_ASSIGN_OR_RETURN(std::string path, blobs_.LocalPath(view.head.blob_key));
  DM_ASSIGN_OR_RETURN(engine::clean::Preview preview, engine::clean::MakePreview(engine_, path, operations));
  DM_ASSIGN_OR_RETURN(nlohmann::json before_profile, datasets_.Profile(p, id));
  // The quality after is measured, not estimated: the operations are applied to a scratch
  // file and profiled like any version.
  ScratchFile after(temp_dir_, ".parquet");
  DM_ASSIGN_OR_RETURN(engine::clean::ApplyResult applied,
                      engine::clean::Apply(engine_, path, operations, after.path()));
  DM_ASSIGN_OR_RETURN(nlohmann::json after_profile, engine::ProfileParquet(engine_, after.path()));
  nlohmann::json changed = nlohmann::json::array();
  for (const auto& cells : preview.changed_cells) changed.push_back(cells);
  nlohmann::json per_op = nlohmann::json::array();
  for (const auto& op : applied.operations) {
    per_op.push_back({{"type", op.type},
                      {"rows_before", op.rows_before},
                      {"rows_after", op.rows_after},
                      {"affected_rows", op.affected_rows}});
  }
  return nlohmann::json{{"version", view.head.version},
                        {"before", preview.before},
                        {"after", preview.after},
                        {"changed_cells", changed},
                        {"affected_rows", preview.affected_rows},
                        {"row_count_before", preview.row_count_before},
                        {"row_count_after", preview.row_count_after},
                        {"quality_before", Score(before_profile)},
                        {"quality_after", Score(after_profile)},
                        {"operations", per_op}};
}

Result<store::Job> CleanService::Enqueue(const Principal& p, const std::string& type,
                                         const nlohmann::json& payload, const std::string& audit_action,
                                         const std::string& dataset_id, const nlohmann::json& audit_details,
                                         const RequestMeta& meta) {
  store::Job job;
  job.id = NewId();
  job.organization_id = p.organization_id;
  job.type = type;
  job.status = "queued";
  job.message = "Waiting for a worker";
  job.payload = payload;
  job.created_by = p.user_id;
  job.created_at = NowIso();
  DM_RETURN_IF_ERROR(store::WithSession(db_, [&](soci::session& s) -> Status {
    store::Transaction tx(s);
    store::jobs::Insert(s, job);
    nlohmann::json details = audit_details;
    details["job_id"] = job.id;
    WriteAudit(s, AuditEvent{p.organization_id, p.user_id, audit_action, "dataset", dataset_id, details},
               meta);
    tx.commit();
    return Status::Ok();
  }));
  pool_.Wake();
  return job;
}

Result<store::Job> CleanService::Clean(const Principal& p, const std::string& id,
                                       const nlohmann::json& operations, const std::string& message,
                                       std::optional<std::int64_t> base_version, const RequestMeta& meta) {
  DM_RETURN_IF_ERROR(CheckOperationList(operations));
  if (message.size() > 1000)
    return Invalid("message is too long (at most 1,000 characters).", {{"field", "message"}});
  DM_ASSIGN_OR_RETURN(DatasetView view, datasets_.Get(p, id));
  DM_RETURN_IF_ERROR(RequirePermission(p, perm::kDataWrite));
  if (base_version && *base_version != view.head.version) {
    return Status(ErrorCode::CONFLICT,
                  "The dataset's head is version " + std::to_string(view.head.version) + ", not " +
                      std::to_string(*base_version) + "; preview the operations again.",
                  {{"head_version", view.head.version}});
  }
  // Validate now, so a wrong operation is a 400 naming it instead of a failed job.
  DM_ASSIGN_OR_RETURN(std::string path, blobs_.LocalPath(view.head.blob_key));
  DM_ASSIGN_OR_RETURN(std::vector<engine::ColumnSchema> schema, engine::ReadSchema(engine_, path));
  DM_RETURN_IF_ERROR(engine::clean::Compile(operations, schema, path).status());
  return Enqueue(p, "clean",
                 {{"dataset_id", view.dataset.id},
                  {"base_version", view.head.version},
                  {"operations", operations},
                  {"message", message}},
                 "dataset.clean.request", view.dataset.id,
                 {{"base_version", view.head.version}, {"operations", operations.size()}}, meta);
}

Result<store::Job> CleanService::Restore(const Principal& p, const std::string& id, std::int64_t version,
                                         const RequestMeta& meta) {
  DM_ASSIGN_OR_RETURN(DatasetView view, datasets_.Get(p, id));
  DM_RETURN_IF_ERROR(RequirePermission(p, perm::kDataWrite));
  DM_ASSIGN_OR_RETURN(
      std::optional<store::DatasetVersion> target,
      store::WithSession(db_, [&](soci::session& s) -> Result<std::optional<store::DatasetVersion>> {
        return store::datasets::FindVersion(s, p.tenant(), view.dataset.id, version);
      }));
  if (!target) return NotFound("Version " + std::to_string(version) + " of this dataset does not exist.");
  return Enqueue(p, "restore", {{"dataset_id", view.dataset.id}, {"version", version}},
                 "dataset.restore.request", view.dataset.id,
                 {{"version", version}, {"from", view.head.version}}, meta);
}

Result<nlohmann::json> CleanService::History(const Principal& p, const std::string& id) {
  DM_ASSIGN_OR_RETURN(DatasetView view, datasets_.Get(p, id));
  return store::WithSession(db_, [&](soci::session& s) -> Result<nlohmann::json> {
    nlohmann::json items = nlohmann::json::array();
    for (const auto& op : store::cleaning::ListByDataset(s, p.tenant(), view.dataset.id)) {
      items.push_back(HistoryStepJson(op));
    }
    const auto total = items.size();
    return nlohmann::json{{"items", std::move(items)}, {"total", total}, {"head_version", view.head.version}};
  });
}

Result<nlohmann::json> CleanService::Recipe(const Principal& p, const std::string& id) {
  DM_ASSIGN_OR_RETURN(DatasetView view, datasets_.Get(p, id));
  return store::WithSession(db_, [&](soci::session& s) -> Result<nlohmann::json> {
    std::vector<nlohmann::json> chain;  // head first
    std::optional<store::DatasetVersion> v = view.head;
    std::size_t guard = 0;
    while (v && ++guard < 100000) {
      chain.push_back(v->operations);
      if (!v->parent_version) break;
      v = store::datasets::FindVersion(s, p.tenant(), view.dataset.id, *v->parent_version);
    }
    nlohmann::json operations = nlohmann::json::array();
    for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
      for (const auto& op : *it) {
        if (op.value("type", "") == "ingest") continue;  // how version 1 was made, not a cleaning step
        operations.push_back(op);
      }
    }
    return nlohmann::json{
        {"dataset_id", view.dataset.id}, {"version", view.head.version}, {"operations", operations}};
  });
}

Result<nlohmann::json> CleanService::RunCleanJob(jobs::JobContext& ctx) {
  const store::TenantId tenant(ctx.job.organization_id);
  const std::string dataset_id = ctx.job.payload.value("dataset_id", "");
  const std::int64_t base = ctx.job.payload.value("base_version", std::int64_t{0});
  const nlohmann::json operations = ctx.job.payload.value("operations", nlohmann::json::array());
  const std::string message = ctx.job.payload.value("message", "");
  DM_ASSIGN_OR_RETURN(
      std::optional<store::DatasetVersion> found,
      store::WithSession(db_, [&](soci::session& s) -> Result<std::optional<store::DatasetVersion>> {
        return store::datasets::FindVersion(s, tenant, dataset_id, base);
      }));
  if (!found) return NotFound("The dataset version no longer exists.");
  DM_ASSIGN_OR_RETURN(std::string source, blobs_.LocalPath(found->blob_key));
  const std::optional<double> quality_before = found->quality_score;

  ctx.progress(2, "Applying " + std::to_string(operations.size()) + " operation(s)");
  ScratchFile out(temp_dir_, ".parquet");
  auto applied =
      engine::clean::Apply(engine_, source, operations, out.path(),
                           [&](double f, const std::string& m) { return ctx.progress(2 + f * 78, m); });
  if (!applied.ok()) return applied.status();
  if (!ctx.progress(80, "Saving the new version")) return Status(ErrorCode::CANCELED, "Canceled.");

  store::DatasetVersion v;
  v.dataset_id = dataset_id;
  v.parent_version = base;
  v.organization_id = ctx.job.organization_id;
  v.row_count = applied->rows_after;
  v.column_count = static_cast<std::int64_t>(applied->output_schema.size());
  for (const auto& c : applied->output_schema) {
    v.schema.push_back(
        {{"name", c.name}, {"type", c.type}, {"semantic_type", nullptr}, {"nullable", c.nullable}});
  }
  v.operations = operations;
  v.created_by = ctx.job.created_by;
  v.created_at = NowIso();
  Status saved = store::WithSession(db_, [&](soci::session& s) -> Status {
    store::Transaction tx(s);
    auto d = store::datasets::Find(s, tenant, dataset_id);
    if (!d) return NotFound("The dataset no longer exists.");
    if (d->head_version != base) {
      return Status(ErrorCode::CONFLICT, "The dataset changed while cleaning (version " +
                                             std::to_string(d->head_version) +
                                             " is now the head); preview the operations again.");
    }
    v.version = store::datasets::MaxVersion(s, tenant, dataset_id) + 1;
    v.blob_key = "orgs/" + v.organization_id + "/datasets/" + dataset_id + "/v" + std::to_string(v.version) +
                 ".parquet";
    DM_RETURN_IF_ERROR(blobs_.PutFile(v.blob_key, out.path()));
    store::datasets::InsertVersion(s, v);
    store::datasets::SetHead(s, tenant, dataset_id, v.version, v.created_at);
    for (std::size_t i = 0; i < operations.size(); ++i) {
      store::CleaningOperation op;
      op.id = NewId();
      op.organization_id = v.organization_id;
      op.dataset_id = dataset_id;
      op.kind = "clean";
      op.version = v.version;
      op.parent_version = base;
      op.op_index = static_cast<std::int64_t>(i);
      op.operation = operations[i];
      if (i < applied->operations.size()) {
        op.rows_before = applied->operations[i].rows_before;
        op.rows_after = applied->operations[i].rows_after;
        op.affected_rows = applied->operations[i].affected_rows;
      }
      op.quality_before = quality_before;
      op.message = message;
      op.job_id = ctx.job.id;
      op.created_by = ctx.job.created_by;
      op.created_at = v.created_at;
      store::cleaning::Insert(s, op);
    }
    WriteAudit(s,
               AuditEvent{v.organization_id,
                          v.created_by,
                          "dataset.clean",
                          "dataset",
                          dataset_id,
                          {{"version", v.version},
                           {"parent_version", base},
                           {"operations", operations.size()},
                           {"rows_before", applied->rows_before},
                           {"rows_after", applied->rows_after}}},
               RequestMeta{"", "clean job", ctx.job.id});
    tx.commit();
    return Status::Ok();
  });
  if (!saved.ok()) {
    if (!v.blob_key.empty() && saved.code() != ErrorCode::CONFLICT) (void)blobs_.Remove(v.blob_key);
    return saved;
  }
  // The quality after is part of the step's record: profile the new version now.
  ctx.progress(85, "Profiling the new version");
  std::optional<double> quality_after;
  if (auto profile = datasets_.ProfileVersion(tenant, v); profile.ok()) quality_after = Score(*profile);
  return nlohmann::json{{"dataset_id", dataset_id},
                        {"version", v.version},
                        {"parent_version", base},
                        {"rows_before", applied->rows_before},
                        {"rows_after", applied->rows_after},
                        {"quality_before", OptJson(quality_before)},
                        {"quality_after", OptJson(quality_after)}};
}

Result<nlohmann::json> CleanService::RunRestoreJob(jobs::JobContext& ctx) {
  const store::TenantId tenant(ctx.job.organization_id);
  const std::string dataset_id = ctx.job.payload.value("dataset_id", "");
  const std::int64_t version = ctx.job.payload.value("version", std::int64_t{0});
  ctx.progress(10, "Restoring version " + std::to_string(version));
  std::int64_t from = 0;
  DM_RETURN_IF_ERROR(store::WithSession(db_, [&](soci::session& s) -> Status {
    store::Transaction tx(s);
    auto d = store::datasets::Find(s, tenant, dataset_id);
    if (!d) return NotFound("The dataset no longer exists.");
    auto target = store::datasets::FindVersion(s, tenant, dataset_id, version);
    if (!target) return NotFound("Version " + std::to_string(version) + " no longer exists.");
    auto head = store::datasets::FindVersion(s, tenant, dataset_id, d->head_version);
    // The file must still be there before the head points at it.
    DM_RETURN_IF_ERROR(blobs_.LocalPath(target->blob_key).status());
    from = d->head_version;
    const std::string now = NowIso();
    store::datasets::SetHead(s, tenant, dataset_id, version, now);
    store::CleaningOperation op;
    op.id = NewId();
    op.organization_id = ctx.job.organization_id;
    op.dataset_id = dataset_id;
    op.kind = "restore";
    op.version = version;
    op.parent_version = from;
    op.rows_before = head ? std::optional<std::int64_t>(head->row_count) : std::nullopt;
    op.rows_after = target->row_count;
    op.quality_before = head ? head->quality_score : std::nullopt;
    op.quality_after = target->quality_score;
    op.job_id = ctx.job.id;
    op.created_by = ctx.job.created_by;
    op.created_at = now;
    store::cleaning::Insert(s, op);
    WriteAudit(s,
               AuditEvent{op.organization_id,
                          op.created_by,
                          "dataset.restore",
                          "dataset",
                          dataset_id,
                          {{"version", version}, {"from", from}}},
               RequestMeta{"", "restore job", ctx.job.id});
    tx.commit();
    return Status::Ok();
  }));
  return nlohmann::json{{"dataset_id", dataset_id}, {"version", version}, {"previous_head", from}};
}

}  // namespace dm::services
