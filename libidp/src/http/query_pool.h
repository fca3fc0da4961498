// Threads for the catalog reads that may take long (queries, facets, whole
// listings): they run here, not on an io thread, so a slow query never holds
// the acceptor or the other connections of its io thread. Fast lookups
// (by-name, by-uid, health, metrics) stay on the io threads.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace idp::http {

class QueryPool {
 public:
  explicit QueryPool(unsigned threads);
  ~QueryPool();  // Stop()
  QueryPool(const QueryPool&) = delete;
  QueryPool& operator=(const QueryPool&) = delete;

  void Post(std::function<void()> job);
  // Finishes the queued jobs, then joins the threads. Idempotent.
  void Stop();

 private:
  void Run();

  std::mutex mutex_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> jobs_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace idp::http
