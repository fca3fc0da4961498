#include "duplicate_index.h"

namespace idp::cli {

std::vector<DuplicateHit> DuplicateIndex::Add(const catalog::FileVerdict& file) {
  std::vector<DuplicateHit> hits;
  const std::size_t seq = file_seq_++;
  for (std::size_t i = 0; i < file.documents.size(); ++i) {
    const auto& doc = file.documents[i];
    if (!doc.valid || !doc.ref) continue;
    auto [it, inserted] = seen_.try_emplace(*doc.ref);
    Seen& seen = it->second;
    ++seen.count;
    if (inserted) {
      seen.first = {file.file, doc.start};
      seen.file_seq = seq;
      continue;
    }
    ++duplicates_;
    hits.push_back({i, *doc.ref, seen.first, seen.file_seq == seq});
  }
  return hits;
}

std::size_t DuplicateIndex::Count(const std::string& ref) const {
  auto it = seen_.find(ref);
  return it == seen_.end() ? 0 : it->second.count;
}

}  // namespace idp::cli
