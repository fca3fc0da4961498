// Random UUID v4 (RFC 9562) for entity uids and location ids.
#pragma once

#include <random>
#include <string>

namespace idp::store {

class UuidGenerator {
 public:
  UuidGenerator();
  std::string Next();  // not thread-safe: callers hold the write lock

 private:
  std::mt19937_64 rng_;
};

}  // namespace idp::store
