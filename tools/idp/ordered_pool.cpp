#include "ordered_pool.h"

#include <algorithm>
#include <utility>

namespace idp::cli {

OrderedPool::OrderedPool(std::size_t count, unsigned threads, Job job)
    : count_(count),
      // A few results per thread keep every core busy while the writer waits
      // on one slow file.
      window_(std::max<std::size_t>(1, std::size_t{threads} * 4)),
      job_(std::move(job)),
      slots_(window_) {
  // No more threads than files; one thread is the caller's own.
  std::size_t n = std::min<std::size_t>(threads, count);
  if (n <= 1) return;
  threads_.reserve(n);
  for (std::size_t i = 0; i < n; ++i) threads_.emplace_back([this] { Work(); });
}

OrderedPool::~OrderedPool() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  changed_.notify_all();
  threads_.clear();  // joins
}

void OrderedPool::Work() {
  for (;;) {
    std::size_t index = 0;
    {
      std::unique_lock lock(mutex_);
      changed_.wait(lock, [&] {
        return stopping_ || next_claim_ >= count_ || next_claim_ < next_out_ + window_;
      });
      if (stopping_ || next_claim_ >= count_) return;
      index = next_claim_++;
    }
    catalog::FileVerdict verdict = job_(index);
    {
      std::lock_guard lock(mutex_);
      slots_[index % window_] = std::move(verdict);
    }
    changed_.notify_all();
  }
}

std::optional<catalog::FileVerdict> OrderedPool::Next() {
  if (threads_.empty()) {
    if (next_out_ >= count_) return std::nullopt;
    return job_(next_out_++);
  }
  std::unique_lock lock(mutex_);
  if (next_out_ >= count_) return std::nullopt;
  auto& slot = slots_[next_out_ % window_];
  changed_.wait(lock, [&] { return slot.has_value(); });
  std::optional<catalog::FileVerdict> result = std::move(slot);
  slot.reset();
  ++next_out_;
  lock.unlock();
  changed_.notify_all();
  return result;
}

}  // namespace idp::cli
