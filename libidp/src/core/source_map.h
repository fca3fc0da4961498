// Source positions of JSON nodes built from YAML, so every diagnostic can name
// file:line:column. Keyed by node address: RapidJSON values do not move once
// the document is complete, and we never mutate a parsed tree in place
// (processing copies into a new document).
#pragma once

#include <algorithm>
#include <cstdint>
#include <functional>
#include <iterator>
#include <utility>
#include <vector>

#include "core/json.h"

namespace idp {

// 1-based line and column (columns count Unicode code points, as editors do).
// line == 0 means "unknown".
struct Mark {
  std::uint32_t line = 0;
  std::uint32_t column = 0;
  bool known() const { return line != 0; }
};

// A flat map: positions are written once per node while a document is built
// and read only when something is wrong, so appending then sorting once
// (Seal) beats a hash map's allocation per node on the hot path.
class SourceMap {
 public:
  void Reserve(std::size_t n) { entries_.reserve(n); }

  void Set(const JsonValue* node, Mark mark) {
    if (!sealed_) {
      entries_.emplace_back(node, mark);
      return;
    }
    auto it = LowerBound(node);
    if (it != entries_.end() && it->first == node) {
      it->second = mark;
    } else {
      entries_.emplace(it, node, mark);
    }
  }

  // Sorts what was appended; a node set twice keeps its last mark.
  void Seal() {
    std::stable_sort(entries_.begin(), entries_.end(),
                     [](const Entry& a, const Entry& b) { return std::less<>()(a.first, b.first); });
    auto out = entries_.begin();
    for (auto it = entries_.begin(); it != entries_.end(); ++it) {
      if (out != entries_.begin() && std::prev(out)->first == it->first) {
        std::prev(out)->second = it->second;
      } else {
        *out++ = *it;
      }
    }
    entries_.erase(out, entries_.end());
    sealed_ = true;
  }

  // The node's own mark; for an object member's name node, where the key is written.
  Mark Get(const JsonValue* node) const {
    if (sealed_) {
      auto it = LowerBound(node);
      return it != entries_.end() && it->first == node ? it->second : Mark{};
    }
    for (auto it = entries_.rbegin(); it != entries_.rend(); ++it) {
      if (it->first == node) return it->second;
    }
    return {};
  }

  std::size_t size() const { return entries_.size(); }
  void Clear() {
    entries_.clear();
    sealed_ = false;
  }

 private:
  using Entry = std::pair<const JsonValue*, Mark>;
  std::vector<Entry>::iterator LowerBound(const JsonValue* node) {
    return std::lower_bound(entries_.begin(), entries_.end(), node,
                            [](const Entry& e, const JsonValue* n) { return std::less<>()(e.first, n); });
  }
  std::vector<Entry>::const_iterator LowerBound(const JsonValue* node) const {
    return std::lower_bound(entries_.begin(), entries_.end(), node,
                            [](const Entry& e, const JsonValue* n) { return std::less<>()(e.first, n); });
  }

  std::vector<Entry> entries_;
  bool sealed_ = false;
};

}  // namespace idp
