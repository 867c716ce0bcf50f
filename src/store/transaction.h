#pragma once
/// A write transaction on either backend. On SQLite it starts with BEGIN IMMEDIATE, so
/// the write lock is taken (waiting on busy_timeout) before the first read; a deferred
/// BEGIN that reads and then writes fails at once with SQLITE_BUSY_SNAPSHOT whenever
/// another connection committed in between. Rolls back unless committed.

#include <soci/soci.h>

namespace dm::store {

class Transaction {
 public:
  explicit Transaction(soci::session& s);
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;

  void commit();
  void rollback();

 private:
  soci::session& s_;
  bool done_ = false;
};

}  // namespace dm::store
