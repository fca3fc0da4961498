// Route matching on a request path's segments (after the API prefix).
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

namespace idp::http {

// True when `seg` has exactly the segments of `want`; "" in `want` matches
// any one segment (a path parameter).
inline bool Is(const std::vector<std::string>& seg, std::initializer_list<std::string_view> want) {
  if (seg.size() != want.size()) return false;
  std::size_t i = 0;
  for (std::string_view w : want) {
    if (!w.empty() && seg[i] != w) return false;
    ++i;
  }
  return true;
}

}  // namespace idp::http
