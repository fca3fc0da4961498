// Runs a job for items 0..n-1 on a pool of threads and hands the results back
// strictly in index order, each as soon as it and all before it are done.
// At most `window` results wait at a time, so memory stays bounded however
// many items there are.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <functional>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "validate/verdict.h"

namespace idp::cli {

class OrderedPool {
 public:
  using Job = std::function<catalog::FileVerdict(std::size_t index)>;

  // threads == 1 runs every job on the caller's thread inside Next().
  OrderedPool(std::size_t count, unsigned threads, Job job);
  ~OrderedPool();
  OrderedPool(const OrderedPool&) = delete;
  OrderedPool& operator=(const OrderedPool&) = delete;

  // The next result in index order; nullopt once all were handed out.
  std::optional<catalog::FileVerdict> Next();

 private:
  void Work();

  const std::size_t count_;
  const std::size_t window_;
  Job job_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<std::optional<catalog::FileVerdict>> slots_;  // ring of size window_
  std::size_t next_claim_ = 0;
  std::size_t next_out_ = 0;
  bool stopping_ = false;
  std::vector<std::jthread> threads_;  // last member: joined first on destruction
};

}  // namespace idp::cli
