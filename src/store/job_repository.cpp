#include "store/job_repository.h"
#include "store/transaction.h"

#include "core/time.h"
#include "store/row_access.h"

namespace dm::store::jobs {

namespace {
constexpr const char* kColumns =
    "id, organization_id, type, status, progress, message, payload, result, error, cancel_requested, "
    "created_by, "
    "created_at, started_at, finished_at, error_code";

Job FromRow(const soci::row& r) {
  Job j;
  j.id = Text(r, 0);
  j.organization_id = Text(r, 1);
  j.type = Text(r, 2);
  j.status = Text(r, 3);
  j.progress = Real(r, 4);
  j.message = Text(r, 5);
  j.payload = JsonText(r, 6, nlohmann::json::object());
  j.result = JsonText(r, 7);
  j.error = OptText(r, 8);
  j.cancel_requested = Int(r, 9) != 0;
  j.created_by = Text(r, 10);
  j.created_at = Text(r, 11);
  j.started_at = OptText(r, 12);
  j.finished_at = OptText(r, 13);
  j.error_code = OptText(r, 14);
  return j;
}
}  // namespace

void Insert(soci::session& s, const Job& j) {
  const std::string payload = DumpJson(j.payload);
  const long long now = NowUnix();
  s << "INSERT INTO jobs (id, organization_id, type, status, progress, message, payload, created_by, "
       "created_at, "
       "heartbeat_at) VALUES (:id, :o, :t, :s, :p, :m, :pl, :cb, :ca, :hb)",
      soci::use(j.id), soci::use(j.organization_id), soci::use(j.type), soci::use(j.status),
      soci::use(j.progress), soci::use(j.message), soci::use(payload), soci::use(j.created_by),
      soci::use(j.created_at), soci::use(now);
}

std::optional<Job> Find(soci::session& s, const TenantId& tenant, const std::string& id) {
  soci::rowset<soci::row> rows =
      (s.prepare << "SELECT " << kColumns << " FROM jobs WHERE organization_id = :o AND id = :id",
       soci::use(tenant.value), soci::use(id));
  for (const soci::row& r : rows) return FromRow(r);
  return std::nullopt;
}

std::optional<Job> ClaimNext(soci::session& s, Dialect dialect, const std::string& worker_id) {
  const std::string now = NowIso();
  const long long hb = NowUnix();
  const std::string pick =
      dialect == Dialect::POSTGRESQL
          ? "SELECT id FROM jobs WHERE status = 'queued' ORDER BY created_at LIMIT 1 FOR "
            "UPDATE SKIP LOCKED"
          : "SELECT id FROM jobs WHERE status = 'queued' ORDER BY created_at LIMIT 1";
  store::Transaction tx(s);
  soci::rowset<soci::row> rows =
      (s.prepare
           << "UPDATE jobs SET status = 'running', started_at = :t, worker_id = :w, attempts = attempts + 1, "
              "heartbeat_at = :hb WHERE id = ("
           << pick << ") AND status = 'queued' RETURNING " << kColumns,
       soci::use(now), soci::use(worker_id), soci::use(hb));
  std::optional<Job> job;
  for (const soci::row& r : rows) job = FromRow(r);
  tx.commit();
  return job;
}

void UpdateProgress(soci::session& s, const std::string& id, double progress, const std::string& message) {
  const long long hb = NowUnix();
  s << "UPDATE jobs SET progress = :p, message = :m, heartbeat_at = :hb WHERE id = :id AND status = "
       "'running'",
      soci::use(progress), soci::use(message), soci::use(hb), soci::use(id);
}

void Finish(soci::session& s, const std::string& id, const std::string& status, const nlohmann::json& result,
            const std::optional<std::string>& error, const std::optional<std::string>& error_code) {
  const std::string now = NowIso();
  const std::string res = DumpJson(result);
  soci::indicator res_ind = result.is_null() ? soci::i_null : soci::i_ok;
  const std::string err = error.value_or("");
  soci::indicator err_ind = error ? soci::i_ok : soci::i_null;
  const std::string code = error_code.value_or("");
  soci::indicator code_ind = error_code ? soci::i_ok : soci::i_null;
  const double progress = status == "succeeded" ? 100.0 : -1.0;
  s << "UPDATE jobs SET status = :s, result = :r, error = :e, error_code = :c, finished_at = :f, progress = "
       "CASE WHEN :p1 >= "
       "0 THEN "
       ":p2 ELSE progress END WHERE id = :id",
      soci::use(status), soci::use(res, res_ind), soci::use(err, err_ind), soci::use(code, code_ind),
      soci::use(now), soci::use(progress), soci::use(progress), soci::use(id);
}

bool RequestCancel(soci::session& s, const TenantId& tenant, const std::string& id) {
  const std::string now = NowIso();
  store::Transaction tx(s);
  auto job = Find(s, tenant, id);
  if (!job) return false;
  if (job->status == "queued") {
    s << "UPDATE jobs SET status = 'canceled', cancel_requested = 1, finished_at = :f, error_code = "
         "'CANCELED', "
         "error = 'Canceled before it started.' WHERE id = :id AND status = 'queued'",
        soci::use(now), soci::use(id);
  } else if (job->status == "running") {
    s << "UPDATE jobs SET cancel_requested = 1 WHERE id = :id", soci::use(id);
  }
  tx.commit();
  return true;
}

bool IsCancelRequested(soci::session& s, const std::string& id) {
  long long flag = 0;
  s << "SELECT cancel_requested FROM jobs WHERE id = :id", soci::use(id), soci::into(flag);
  return flag != 0;
}

void Requeue(soci::session& s, const std::string& id) {
  s << "UPDATE jobs SET status = 'queued', worker_id = NULL, started_at = NULL WHERE id = :id AND status = "
       "'running'",
      soci::use(id);
}

void Heartbeat(soci::session& s, const std::string& id) {
  const long long hb = NowUnix();
  s << "UPDATE jobs SET heartbeat_at = :hb WHERE id = :id", soci::use(hb), soci::use(id);
}

int RequeueStale(soci::session& s, std::int64_t stale_before) {
  const long long before = stale_before;
  soci::statement st =
      (s.prepare << "UPDATE jobs SET status = 'queued', worker_id = NULL, started_at = NULL WHERE "
                    "status = 'running' AND heartbeat_at < :b",
       soci::use(before));
  st.execute(true);
  return static_cast<int>(st.get_affected_rows());
}

}  // namespace dm::store::jobs
