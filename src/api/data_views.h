#pragma once
/// JSON renderings of files, datasets and versions, as API.md fixes them.

#include <nlohmann/json.hpp>

#include "services/dataset_service.h"
#include "store/records.h"

namespace dm::api {

nlohmann::json FileJson(const store::FileRecord& f, const std::vector<std::string>& dataset_ids);
nlohmann::json DatasetJson(const services::DatasetView& v);
nlohmann::json VersionJson(const store::DatasetVersion& v);

}  // namespace dm::api
