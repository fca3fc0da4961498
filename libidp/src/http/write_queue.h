// One thread for every catalog write (API writes and the background refresh):
// the catalog serialises writers anyway, and io threads never block on one.
#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>

namespace idp::http {

class WriteQueue {
 public:
  // `periodic` runs every `interval` after the previous run (zero: never).
  WriteQueue(std::chrono::milliseconds interval, std::function<void()> periodic);
  ~WriteQueue();  // Stop()
  WriteQueue(const WriteQueue&) = delete;
  WriteQueue& operator=(const WriteQueue&) = delete;

  void Post(std::function<void()> job);
  // Finishes the queued jobs, then joins the thread. Idempotent.
  void Stop();

 private:
  void Run();

  std::chrono::milliseconds interval_;
  std::function<void()> periodic_;
  std::mutex mutex_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> jobs_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace idp::http
