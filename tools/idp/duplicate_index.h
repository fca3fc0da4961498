// Entity refs seen so far in the run, to find the same entity defined twice
// (spec/catalog.md §8.6). Only valid documents count, as in the oracle.
#pragma once

#include <cstddef>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/source_map.h"
#include "validate/verdict.h"

namespace idp::cli {

struct Place {
  std::string file;  // label
  Mark mark;
};

// A valid document whose ref an earlier valid document already defines.
struct DuplicateHit {
  std::size_t document = 0;  // position in FileVerdict::documents
  std::string ref;
  Place first;               // the first definition in the run
  bool same_file = false;    // Backstage keeps the later document, else the first file's
};

class DuplicateIndex {
 public:
  // Records one file's valid documents; files must come in output order.
  // Returns its documents that repeat an earlier ref.
  std::vector<DuplicateHit> Add(const catalog::FileVerdict& file);
  // How many valid documents define `ref` (so far).
  std::size_t Count(const std::string& ref) const;
  std::size_t duplicates() const { return duplicates_; }

 private:
  struct Seen {
    Place first;
    std::size_t file_seq = 0;
    std::size_t count = 0;
  };
  std::unordered_map<std::string, Seen> seen_;
  std::size_t file_seq_ = 0;
  std::size_t duplicates_ = 0;
};

}  // namespace idp::cli
