#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace gridserve::gateway {

// A fixed pool of threads for work that may block (database writes), so that
// gRPC's callback threads never wait on it.
class WorkQueue {
 public:
  explicit WorkQueue(int threads);
  ~WorkQueue();  // finishes queued work, then joins
  void Post(std::function<void()> work);

 private:
  void Loop();
  std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<std::function<void()>> queue_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace gridserve::gateway
