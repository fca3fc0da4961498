// Internal state shared by the store's source files.
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "store/connection.h"
#include "store/store.h"
#include "store/uuid.h"

namespace idp::store {

// A borrowed connection for one read; returned to the pool on destruction.
class ReadLease {
 public:
  ReadLease(Store::Impl& impl, std::unique_ptr<Connection> owned, std::unique_lock<std::mutex> shared_lock,
            Connection* shared);
  ReadLease(ReadLease&&) = default;
  ReadLease& operator=(ReadLease&&) = delete;
  ~ReadLease();
  Connection& operator*() { return owned_ ? *owned_ : *shared_; }
  Connection* operator->() { return &**this; }

 private:
  Store::Impl* impl_;
  std::unique_ptr<Connection> owned_;
  std::unique_lock<std::mutex> shared_lock_;  // held when reading through the write connection
  Connection* shared_ = nullptr;
};

struct Store::Impl {
  std::string path;
  bool in_memory = false;
  StoreOptions options;
  int schema_version = 0;

  std::mutex write_mutex;  // serialises writes (and in-memory reads)
  std::unique_ptr<Connection> writer;
  UuidGenerator uuids;

  std::mutex pool_mutex;
  std::vector<std::unique_ptr<Connection>> idle_readers;

  Result<ReadLease> AcquireReader();
  void Release(std::unique_ptr<Connection> c);
};

// SQL text with its positional (text) parameters.
struct SqlFragment {
  std::string sql;
  std::vector<std::string> params;
  void Append(const SqlFragment& other) {
    sql += other.sql;
    params.insert(params.end(), other.params.begin(), other.params.end());
  }
};

// Condition on `f.id` (final_entities alias f) for a filter; "1" for no sets.
SqlFragment FilterToSql(const EntityFilter& filter);
// Condition on `f.id` for a §10.5 predicate (JSON text).
Result<SqlFragment> PredicateToSql(std::string_view predicate_json);
// Both combined (AND); "1" when neither is given.
Result<SqlFragment> WhereForRequest(const std::optional<EntityFilter>& filter, const std::string& predicate);

// Binds params 1..n to `stmt`.
void BindAll(SQLite::Statement& stmt, const std::vector<std::string>& params);

// Converts an exception from SQLite into a Status.
Status SqlError(const std::exception& e, std::string_view what);

}  // namespace idp::store
