#include "store/transaction.h"

#include <spdlog/spdlog.h>

namespace dm::store {

Transaction::Transaction(soci::session& s) : s_(s) {
  s_ << (s_.get_backend_name() == "sqlite3" ? "BEGIN IMMEDIATE" : "BEGIN");
}

Transaction::~Transaction() {
  if (done_) return;
  try {
    s_ << "ROLLBACK";
  } catch (const std::exception& e) {
    spdlog::warn("rollback failed: {}", e.what());  // the connection is reset by the pool's next user
  }
}

void Transaction::commit() {
  s_ << "COMMIT";
  done_ = true;
}

void Transaction::rollback() {
  s_ << "ROLLBACK";
  done_ = true;
}

}  // namespace dm::store
