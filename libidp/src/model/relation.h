// A relation between two entities, as the processors emit it.
#pragma once

#include <string>

namespace idp::model {

struct Relation {
  std::string source;  // canonical lower-case refs
  std::string type;    // ownedBy, ownerOf, ...
  std::string target;
  bool operator==(const Relation&) const = default;
  auto operator<=>(const Relation&) const = default;
};

}  // namespace idp::model
