#pragma once
// Host threads for pure numerics that the simulated time does not depend on (issue 20 item 3): a task is
// started where its inputs are final and joined where its result is consumed, and what runs in between (the
// SystemC kernel, other tasks) cannot tell whether it ran on a worker, on the joining thread or in the
// middle. A pool of N threads has N - 1 workers: the thread that joins a task nobody has started yet runs it
// itself, so N = 1 runs every task on the caller, at its join. Tasks never touch SystemC and never share
// mutable state with anything that runs before their join; results are the same bits for any N.
#include <condition_variable>
#include <deque>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace aimc {

class WorkerPool;

// One started task; join() returns when it has run (rethrowing its exception). Joining twice, or an empty
// job, returns at once.
class WorkerJob {
 public:
  WorkerJob() = default;
  void join();
  bool pending() const { return state_ != nullptr; }

 private:
  friend class WorkerPool;
  struct State;
  std::shared_ptr<State> state_;
};

class WorkerPool {
 public:
  // threads: the host threads the pool's tasks may use, the joining one included (>= 1).
  explicit WorkerPool(int threads);
  ~WorkerPool();
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  int threads() const { return static_cast<int>(workers_.size()) + 1; }
  WorkerJob start(std::function<void()> task);
  // Runs body(i) for i in [0, n) over the pool and joins them all (the first exception is rethrown).
  void for_each(size_t n, const std::function<void(size_t)>& body);

  // The host's cores (std::thread::hardware_concurrency, at least 1): the default of `threads`.
  static int host_threads();

 private:
  void work();

  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::shared_ptr<WorkerJob::State>> queue_;
  bool stopping_ = false;
  std::vector<std::thread> workers_;
};

}  // namespace aimc
