#include "api/data_views.h"

namespace dm::api {

nlohmann::json FileJson(const store::FileRecord& f, const std::vector<std::string>& dataset_ids) {
  return {{"id", f.id},
          {"project_id", f.project_id},
          {"original_filename", f.original_filename},
          {"size_bytes", f.size_bytes},
          {"detected_format", f.detected_format},
          {"status", f.status},
          {"error_message", f.error_message ? nlohmann::json(*f.error_message) : nlohmann::json(nullptr)},
          {"error_code", f.error_code ? nlohmann::json(*f.error_code) : nlohmann::json(nullptr)},
          {"dataset_ids", dataset_ids},
          {"details", f.details},
          {"created_at", f.created_at},
          {"updated_at", f.updated_at}};
}

nlohmann::json DatasetJson(const services::DatasetView& v) {
  return {{"id", v.dataset.id},
          {"project_id", v.dataset.project_id},
          {"name", v.dataset.name},
          {"version", v.head.version},
          {"row_count", v.head.row_count},
          {"column_count", v.head.column_count},
          {"columns", v.head.schema},
          {"quality_score",
           v.head.quality_score ? nlohmann::json(*v.head.quality_score) : nlohmann::json(nullptr)},
          {"source_file_id", v.dataset.source_file_id},
          {"created_at", v.dataset.created_at},
          {"updated_at", v.dataset.updated_at}};
}

nlohmann::json VersionJson(const store::DatasetVersion& v) {
  return {{"version", v.version},
          {"parent_version", v.parent_version ? nlohmann::json(*v.parent_version) : nlohmann::json(nullptr)},
          {"row_count", v.row_count},
          {"column_count", v.column_count},
          {"quality_score", v.quality_score ? nlohmann::json(*v.quality_score) : nlohmann::json(nullptr)},
          {"operations", v.operations},
          {"created_at", v.created_at},
          {"created_by", v.created_by}};
}

}  // namespace dm::api
