#include "store/store.h"

#include <sqlite3.h>

#include <SQLiteCpp/Exception.h>

#include <array>
#include <filesystem>
#include <fstream>

#include "store/schema_migrations.h"
#include "core/sha1.h"
#include "store/store_impl.h"

namespace idp::store {

std::string GeneratedLocationRef(std::string_view type, std::string_view target) {
  std::string key(type);
  key += ':';
  key += target;
  return "location:default/generated-" + Sha1Hex(key);
}

Status SqlError(const std::exception& e, std::string_view what) {
  return Status(Code::kIo, std::string(what) + ": " + e.what());
}

void BindAll(SQLite::Statement& stmt, const std::vector<std::string>& params) {
  for (std::size_t i = 0; i < params.size(); ++i) stmt.bind(static_cast<int>(i + 1), params[i]);
}

namespace {

const int kOpenFlags = SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE | SQLite::OPEN_FULLMUTEX;

// The first 16 bytes of every SQLite 3 database file.
bool LooksLikeSqlite(const std::string& path, std::string& why) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return true;  // created on open
  if (std::filesystem::is_directory(path, ec)) {
    why = "is a directory";
    return false;
  }
  const auto size = std::filesystem::file_size(path, ec);
  if (ec || size == 0) return true;  // an empty file is a new database
  std::ifstream in(path, std::ios::binary);
  std::array<char, 16> header{};
  in.read(header.data(), header.size());
  static constexpr char kMagic[] = "SQLite format 3";  // plus its NUL: 16 bytes
  if (in.gcount() != 16 || std::string_view(header.data(), 16) != std::string_view(kMagic, 16)) {
    why = "is not a SQLite database";
    return false;
  }
  return true;
}

void Configure(SQLite::Database& db, int busy_ms, bool in_memory) {
  db.setBusyTimeout(busy_ms);
  if (!in_memory) db.exec("PRAGMA journal_mode=WAL");
  db.exec("PRAGMA synchronous=NORMAL");
  db.exec("PRAGMA foreign_keys=ON");
  db.exec("PRAGMA temp_store=MEMORY");
  // Large page cache: the search indices grow with every stitched entity.
  db.exec("PRAGMA cache_size=-65536");
}

}  // namespace

Result<Store> Store::Open(const std::string& path, StoreOptions options) {
  auto impl = std::make_unique<Impl>();
  impl->path = path;
  impl->in_memory = path == ":memory:";
  impl->options = options;
  std::string why;
  if (!impl->in_memory && !LooksLikeSqlite(path, why)) {
    return Status(Code::kInvalid, "cannot open catalog database " + path + ": " + why);
  }
  try {
    auto db = std::make_unique<SQLite::Database>(path, kOpenFlags, options.busy_timeout_ms);
    if (sqlite3_db_readonly(db->getHandle(), "main") == 1) {
      return Status(Code::kIo, "cannot open catalog database " + path + ": the file is read-only");
    }
    Configure(*db, options.busy_timeout_ms, impl->in_memory);
    auto version = Migrate(*db);
    if (!version) return version.status();
    impl->schema_version = *version;
    impl->writer = std::make_unique<Connection>(std::move(db));
  } catch (const std::exception& e) {
    return Status(Code::kIo, "cannot open catalog database " + path + ": " + e.what());
  }
  return Store(std::move(impl));
}

Store::Store(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Store::Store(Store&&) noexcept = default;
Store& Store::operator=(Store&&) noexcept = default;
Store::~Store() = default;

int Store::SchemaVersion() const { return impl_->schema_version; }
int Store::LatestSchemaVersion() { return kLatestSchemaVersion; }

ReadLease::ReadLease(Store::Impl& impl, std::unique_ptr<Connection> owned,
                     std::unique_lock<std::mutex> shared_lock, Connection* shared)
    : impl_(&impl), owned_(std::move(owned)), shared_lock_(std::move(shared_lock)), shared_(shared) {}

ReadLease::~ReadLease() {
  if (owned_) impl_->Release(std::move(owned_));
}

Result<ReadLease> Store::Impl::AcquireReader() {
  if (in_memory) {
    // One in-memory database per connection: read through the writer.
    return ReadLease(*this, nullptr, std::unique_lock<std::mutex>(write_mutex), writer.get());
  }
  {
    std::lock_guard<std::mutex> lock(pool_mutex);
    if (!idle_readers.empty()) {
      auto c = std::move(idle_readers.back());
      idle_readers.pop_back();
      return ReadLease(*this, std::move(c), {}, nullptr);
    }
  }
  try {
    auto db = std::make_unique<SQLite::Database>(path, SQLite::OPEN_READONLY | SQLite::OPEN_FULLMUTEX,
                                                 options.busy_timeout_ms);
    db->exec("PRAGMA foreign_keys=ON");
    return ReadLease(*this, std::make_unique<Connection>(std::move(db)), {}, nullptr);
  } catch (const std::exception& e) {
    return SqlError(e, "cannot open a read connection");
  }
}

void Store::Impl::Release(std::unique_ptr<Connection> c) {
  std::lock_guard<std::mutex> lock(pool_mutex);
  // More connections than the cap were opened under load; keep only `cap` idle.
  if (idle_readers.size() < static_cast<std::size_t>(std::max(1, options.read_connections))) {
    idle_readers.push_back(std::move(c));
  }
}

}  // namespace idp::store
