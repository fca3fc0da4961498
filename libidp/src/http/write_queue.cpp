#include "http/write_queue.h"

namespace idp::http {

WriteQueue::WriteQueue(std::chrono::milliseconds interval, std::function<void()> periodic)
    : interval_(interval), periodic_(std::move(periodic)), thread_([this] { Run(); }) {}

WriteQueue::~WriteQueue() { Stop(); }

void WriteQueue::Post(std::function<void()> job) {
  {
    std::lock_guard lock(mutex_);
    jobs_.push_back(std::move(job));
  }
  cv_.notify_one();
}

void WriteQueue::Stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  cv_.notify_one();
  if (thread_.joinable()) thread_.join();
}

void WriteQueue::Run() {
  using Clock = std::chrono::steady_clock;
  Clock::time_point next = Clock::now() + interval_;
  std::unique_lock lock(mutex_);
  for (;;) {
    if (!jobs_.empty()) {
      std::function<void()> job = std::move(jobs_.front());
      jobs_.pop_front();
      lock.unlock();
      job();
      lock.lock();
      continue;
    }
    if (stopping_) return;
    if (interval_.count() > 0 && periodic_) {
      if (cv_.wait_until(lock, next) == std::cv_status::timeout && jobs_.empty() && !stopping_) {
        lock.unlock();
        periodic_();
        lock.lock();
        next = Clock::now() + interval_;
      }
    } else {
      cv_.wait(lock);
    }
  }
}

}  // namespace idp::http
