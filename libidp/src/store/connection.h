// One SQLite connection with its cache of prepared statements.
#pragma once

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include <memory>
#include <string>
#include <unordered_map>

namespace idp::store {

class Connection {
 public:
  explicit Connection(std::unique_ptr<SQLite::Database> db) : db_(std::move(db)) {}
  SQLite::Database& db() { return *db_; }

  // A cached prepared statement for a fixed `sql` text, reset with cleared
  // bindings; valid as long as the connection. Dynamic SQL (queries built
  // from filters) compiles its own SQLite::Statement instead, so the cache
  // stays bounded and references handed out are never invalidated.
  SQLite::Statement& Prepare(const std::string& sql) {
    auto it = cache_.find(sql);
    if (it == cache_.end()) {
      it = cache_.emplace(sql, std::make_unique<SQLite::Statement>(*db_, sql)).first;
    } else {
      it->second->reset();
      it->second->clearBindings();
    }
    return *it->second;
  }

 private:
  std::unique_ptr<SQLite::Database> db_;
  std::unordered_map<std::string, std::unique_ptr<SQLite::Statement>> cache_;
};

}  // namespace idp::store
