#pragma once
/// The job queue table. Tenant-facing reads take a TenantId; the worker-side calls
/// (claim, progress, finish) act on a job the worker already owns and carry its
/// organization along from the claimed row.

#include <optional>
#include <vector>

#include <soci/soci.h>

#include "store/database.h"
#include "store/records.h"

namespace dm::store::jobs {

void Insert(soci::session& s, const Job& job);
std::optional<Job> Find(soci::session& s, const TenantId& tenant, const std::string& id);

/// Atomically moves the oldest queued job to running for `worker_id`
/// (FOR UPDATE SKIP LOCKED on PostgreSQL; SQLite serialises writers).
std::optional<Job> ClaimNext(soci::session& s, Dialect dialect, const std::string& worker_id);
/// Progress and heartbeat of a running job.
void UpdateProgress(soci::session& s, const std::string& id, double progress, const std::string& message);
/// Terminal state; `result` for succeeded, `error` for failed/canceled.
void Finish(soci::session& s, const std::string& id, const std::string& status, const nlohmann::json& result,
            const std::optional<std::string>& error,
            const std::optional<std::string>& error_code = std::nullopt);
/// Queued jobs are canceled at once; running ones are flagged for the worker to stop.
/// Returns false when the job does not exist in the tenant.
bool RequestCancel(soci::session& s, const TenantId& tenant, const std::string& id);
bool IsCancelRequested(soci::session& s, const std::string& id);
/// Puts one running job back in the queue (its worker is shutting down).
void Requeue(soci::session& s, const std::string& id);
/// Refreshes a running job's heartbeat.
void Heartbeat(soci::session& s, const std::string& id);
/// Running jobs whose heartbeat is older than `stale_before` (unix s) go back to queued.
int RequeueStale(soci::session& s, std::int64_t stale_before);

}  // namespace dm::store::jobs
