#include "http/entity_cache.h"

namespace idp::http {

EntityCache::Body EntityCache::Find(std::string_view key) const {
  Shard& s = ShardOf(key);
  std::lock_guard lock(s.mutex);
  auto it = s.map.find(key);
  return it == s.map.end() ? nullptr : it->second;
}

void EntityCache::Insert(std::string_view key, Body body, std::uint64_t generation) {
  const std::size_t size = body->size() + key.size() + 64;
  if (size > max_shard_bytes_) return;
  Shard& s = ShardOf(key);
  std::lock_guard lock(s.mutex);
  if (generation != generation_.load(std::memory_order_acquire)) return;
  // Bounded memory: a full shard starts over (cheap, and rare at sane limits).
  if (s.bytes + size > max_shard_bytes_) {
    s.map.clear();
    s.bytes = 0;
  }
  if (s.map.emplace(std::string(key), std::move(body)).second) s.bytes += size;
}

void EntityCache::Invalidate() {
  generation_.fetch_add(1, std::memory_order_acq_rel);
  for (Shard& s : shards_) {
    std::lock_guard lock(s.mutex);
    s.map.clear();
    s.bytes = 0;
  }
}

}  // namespace idp::http
