// idp-server's configuration: a YAML file in Backstage's app-config style,
// then command line flags on top (examples/app-config.yaml shows every key).
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/catalog_rules.h"
#include "core/status.h"
#include "http/scaffolder_config.h"
#include "store/store.h"

namespace idp::http {

struct StaticToken {
  std::string token;
  std::string subject;
};

// One `backend.reading.allow` entry: url locations whose host matches and
// whose path starts with one of `paths` (used once url locations land).
struct UrlAllow {
  std::string host;
  std::vector<std::string> paths;
};

struct Limits {
  std::size_t max_body_bytes = 100 * 1024;  // Backstage's JSON body limit
  std::size_t max_header_bytes = 16 * 1024;
  std::size_t max_connections = 2048;
  // A whole request (headers and body) must arrive within this once its
  // first byte came; a slow client is disconnected, it never holds a thread.
  std::chrono::milliseconds request_timeout{10'000};
  std::chrono::milliseconds idle_timeout{30'000};  // keep-alive between requests
  std::size_t max_cached_bytes = 256u << 20;       // serialized entity bodies
};

struct ServerConfig {
  std::string host = "127.0.0.1";
  std::uint16_t port = 7007;
  unsigned threads = 2;  // io threads, each running its own io_context
  // Threads for queries, facets and listings (query_pool.h).
  unsigned query_threads = 2;
  std::string db_path = "idp-catalog.db";
  std::vector<std::string> locations;  // file targets registered at start
  catalog::CatalogRules rules;         // empty: every kind
  store::OrphanStrategy orphan_strategy = store::OrphanStrategy::kDelete;
  // Background refresh of every location; zero: never.
  std::chrono::milliseconds refresh_interval{120'000};
  // Roots API-registered file locations must lie under; empty: the folders
  // of `locations`.
  std::vector<std::filesystem::path> allowed_roots;
  std::vector<UrlAllow> url_allow;
  std::vector<StaticToken> tokens;
  bool reads_require_token = false;
  // Backstage's catalog.readonly: registering (not dry runs), updating and
  // deleting locations are 403.
  bool readonly = false;
  bool access_log = true;
  Limits limits;
  ScaffolderSettings scaffolder;  // scaffolder.* keys (scaffolder_config.h)
};

// backend.reading.allow as the engine's allowlist: "host[:port]/path-prefix".
std::vector<std::string> UrlAllowlist(const ServerConfig& config);

// Reads `path` over `config` (keys absent from the file keep their value).
// Errors name the file, line:column where known, and the key.
Status LoadConfigFile(const std::string& path, ServerConfig& config);

// "HOST:PORT", "[::1]:PORT" or ":PORT".
Status ParseListen(std::string_view text, ServerConfig& config);

}  // namespace idp::http
