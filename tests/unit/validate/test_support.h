// Shared helpers for the validator tests: a scratch directory and lookups.
#pragma once

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <system_error>

#include "validate/validator.h"

namespace idp::catalog::testing {

// A fresh directory under the system temp dir, removed with its contents.
class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "idp-validate-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  ~TempDir() {
    std::error_code ec;
    // Tests may have removed permissions; restore them so removal works.
    for (auto it = std::filesystem::recursive_directory_iterator(path_, ec);
         it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
      std::filesystem::permissions(it->path(), std::filesystem::perms::owner_all,
                                   std::filesystem::perm_options::add, ec);
    }
    std::filesystem::remove_all(path_, ec);
  }
  const std::filesystem::path& path() const { return path_; }

  std::filesystem::path Write(const std::filesystem::path& relative,
                              std::string_view content) const {
    const std::filesystem::path full = path_ / relative;
    std::filesystem::create_directories(full.parent_path());
    std::ofstream out(full, std::ios::binary);
    out << content;
    return full;
  }

 private:
  std::filesystem::path path_;
};

// 1-based line of the first line containing `needle` (0 if none).
inline std::uint32_t LineOf(std::string_view text, std::string_view needle) {
  const auto pos = text.find(needle);
  if (pos == std::string_view::npos) return 0;
  std::uint32_t line = 1;
  for (std::size_t i = 0; i < pos; ++i) line += text[i] == '\n';
  return line;
}

// The first diagnostic of `stage` whose message contains `needle`, or null.
inline const Diagnostic* FindDiagnostic(const DocumentVerdict& doc, Stage stage,
                                        std::string_view needle = {}) {
  for (const Diagnostic& d : doc.errors) {
    if (d.stage == stage && d.message.find(needle) != std::string::npos) return &d;
  }
  return nullptr;
}

inline const JsonValue* Get(const JsonValue& v, std::initializer_list<std::string_view> path) {
  const JsonValue* node = &v;
  for (std::string_view key : path) {
    node = FindMember(*node, key);
    if (node == nullptr) return nullptr;
  }
  return node;
}

// The string at `v`, or a marker that fails comparisons when it is missing.
inline std::string_view Str(const JsonValue* v) {
  if (v == nullptr) return "<missing>";
  if (!v->IsString()) return "<not a string>";
  return AsView(*v);
}

}  // namespace idp::catalog::testing
