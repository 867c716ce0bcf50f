#include "store/login_throttle_repository.h"
#include "store/transaction.h"

#include "core/time.h"

namespace dm::store::login_throttle {

std::int64_t LockedUntil(soci::session& s, const std::string& key) {
  long long until = 0;
  soci::indicator ind = soci::i_null;
  s << "SELECT locked_until FROM login_throttle WHERE throttle_key = :k", soci::use(key),
      soci::into(until, ind);
  if (!s.got_data() || ind == soci::i_null) return 0;
  return until > NowUnix() ? until : 0;
}

std::int64_t RecordFailure(soci::session& s, const std::string& key, std::int64_t now, int max_failures,
                           int window_s, int lockout_s) {
  store::Transaction tx(s);
  long long failures = 0, window_start = 0, locked_until = 0;
  soci::indicator ind = soci::i_null;
  s << "SELECT failures, window_start, locked_until FROM login_throttle WHERE throttle_key = :k",
      soci::use(key), soci::into(failures), soci::into(window_start), soci::into(locked_until, ind);
  const bool exists = s.got_data();
  if (!exists || now - window_start > window_s) {
    failures = 0;
    window_start = now;
  }
  ++failures;
  locked_until = failures >= max_failures ? now + lockout_s : 0;
  if (exists) {
    s << "UPDATE login_throttle SET failures = :f, window_start = :w, locked_until = :l WHERE throttle_key = "
         ":k",
        soci::use(failures), soci::use(window_start), soci::use(locked_until), soci::use(key);
  } else {
    s << "INSERT INTO login_throttle (throttle_key, failures, window_start, locked_until) VALUES (:k, :f, "
         ":w, :l)",
        soci::use(key), soci::use(failures), soci::use(window_start), soci::use(locked_until);
  }
  tx.commit();
  return locked_until;
}

void Reset(soci::session& s, const std::string& key) {
  s << "DELETE FROM login_throttle WHERE throttle_key = :k", soci::use(key);
}

}  // namespace dm::store::login_throttle
