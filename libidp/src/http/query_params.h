// Query strings and path segments: percent-decoding and the parameter list.
#pragma once

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace idp::http {

// %XX and (in query strings) '+' decoded; nullopt for a broken escape.
std::optional<std::string> PercentDecode(std::string_view text, bool plus_is_space);

class QueryParams {
 public:
  // Returns false for a broken escape.
  bool Parse(std::string_view query);

  // The first value of `name`, if any.
  const std::string* First(std::string_view name) const;
  std::vector<std::string_view> All(std::string_view name) const;
  // The first parameter whose name is not in `known` (Backstage: 400).
  std::optional<std::string> Unknown(std::initializer_list<std::string_view> known) const;

 private:
  std::vector<std::pair<std::string, std::string>> params_;
};

}  // namespace idp::http
