// Reads app-config values with Backstage's types; every error names
// file:line:column and the key path. Shared by the server's and the
// scaffolder's config readers.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/json.h"
#include "core/source_map.h"
#include "core/status.h"

namespace idp::http {

class ConfigReader {
 public:
  ConfigReader(std::string file, const SourceMap& marks) : file_(std::move(file)), marks_(marks) {}

  Status Error(const JsonValue& node, const std::string& key, const std::string& what) const;
  const JsonValue* Child(const JsonValue& parent, std::string_view key) const;
  // A string; a number reads as its JSON text (`token: 12345678`).
  Status String(const JsonValue& v, const std::string& key, std::string& out) const;
  Status Bool(const JsonValue& v, const std::string& key, bool& out) const;
  Status Count(const JsonValue& v, const std::string& key, std::uint64_t max, std::uint64_t& out) const;
  // Backstage durations: {milliseconds|seconds|minutes|hours|days: n}, or a
  // plain number of milliseconds (at most a year).
  Status Duration(const JsonValue& v, const std::string& key, std::chrono::milliseconds& out) const;
  Status StringList(const JsonValue& v, const std::string& key, std::vector<std::string>& out) const;

 private:
  std::string file_;
  const SourceMap& marks_;
};

}  // namespace idp::http
