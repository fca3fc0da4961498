// Source positions of JSON nodes built from YAML, so every diagnostic can name
// file:line:column. Keyed by node address: RapidJSON values do not move once
// the document is complete, and we never mutate a parsed tree in place
// (processing copies into a new document).
#pragma once

#include <cstdint>
#include <unordered_map>

#include "core/json.h"

namespace idp {

// 1-based line and column (columns count Unicode code points, as editors do).
// line == 0 means "unknown".
struct Mark {
  std::uint32_t line = 0;
  std::uint32_t column = 0;
  bool known() const { return line != 0; }
};

class SourceMap {
 public:
  void Set(const JsonValue* node, Mark mark) { marks_[node] = mark; }
  // The node's own mark; for an object member's name node, where the key is written.
  Mark Get(const JsonValue* node) const {
    auto it = marks_.find(node);
    return it == marks_.end() ? Mark{} : it->second;
  }
  void Reserve(std::size_t n) { marks_.reserve(n); }
  std::size_t size() const { return marks_.size(); }
  void Clear() { marks_.clear(); }

 private:
  std::unordered_map<const JsonValue*, Mark> marks_;
};

}  // namespace idp
