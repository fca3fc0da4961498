// Serialized entity bodies keyed by lower-cased ref or by uid, so by-name and
// by-uid hits cost no SQLite round trip and no serialisation. Every write the
// server makes bumps the generation (Invalidate): entries read before it are
// dropped and late inserts from before it are refused.
//
// Thread-safe: sharded, one mutex per shard.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace idp::http {

class EntityCache {
 public:
  using Body = std::shared_ptr<const std::string>;

  explicit EntityCache(std::size_t max_bytes) : max_shard_bytes_(max_bytes / kShards) {}

  std::uint64_t generation() const { return generation_.load(std::memory_order_acquire); }
  Body Find(std::string_view key) const;
  // Ignored when `generation` is no longer current or the body is too large.
  void Insert(std::string_view key, Body body, std::uint64_t generation);
  void Invalidate();

 private:
  static constexpr std::size_t kShards = 16;
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>()(s); }
  };
  struct Shard {
    mutable std::mutex mutex;
    std::unordered_map<std::string, Body, Hash, std::equal_to<>> map;
    std::size_t bytes = 0;
  };
  Shard& ShardOf(std::string_view key) const { return shards_[Hash()(key) % kShards]; }

  std::size_t max_shard_bytes_;
  std::atomic<std::uint64_t> generation_{1};
  mutable std::array<Shard, kShards> shards_;
};

}  // namespace idp::http
