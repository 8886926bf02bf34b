#include "aimc/base/WorkerPool.h"

#include <atomic>

#include "aimc/base/Error.h"

namespace aimc {

struct WorkerJob::State {
  std::function<void()> task;
  std::atomic<bool> claimed{false};  // a worker or the joining thread runs it, whichever claims it first
  std::mutex mutex;
  std::condition_variable done_cv;
  bool done = false;
  std::exception_ptr error;

  void run() {
    try {
      task();
    } catch (...) {
      error = std::current_exception();
    }
    task = nullptr;
    std::lock_guard<std::mutex> lock(mutex);
    done = true;
    done_cv.notify_all();
  }
};

void WorkerJob::join() {
  if (!state_) return;
  const std::shared_ptr<State> s = std::move(state_);
  if (!s->claimed.exchange(true)) {
    s->run();
  } else {
    std::unique_lock<std::mutex> lock(s->mutex);
    s->done_cv.wait(lock, [&] { return s->done; });
  }
  if (s->error) std::rethrow_exception(s->error);
}

WorkerPool::WorkerPool(int threads) {
  AIMC_ASSERT(threads >= 1);
  for (int i = 1; i < threads; ++i) workers_.emplace_back([this] { work(); });
}

WorkerPool::~WorkerPool() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  for (std::thread& t : workers_) t.join();
}

int WorkerPool::host_threads() {
  const unsigned n = std::thread::hardware_concurrency();
  return n == 0 ? 1 : static_cast<int>(n);
}

WorkerJob WorkerPool::start(std::function<void()> task) {
  WorkerJob job;
  job.state_ = std::make_shared<WorkerJob::State>();
  job.state_->task = std::move(task);
  if (workers_.empty()) return job;  // runs at its join
  {
    std::lock_guard<std::mutex> lock(mutex_);
    queue_.push_back(job.state_);
  }
  wake_.notify_one();
  return job;
}

void WorkerPool::for_each(size_t n, const std::function<void(size_t)>& body) {
  std::vector<WorkerJob> jobs;
  jobs.reserve(n);
  for (size_t i = 0; i < n; ++i) jobs.push_back(start([&body, i] { body(i); }));
  std::exception_ptr first;
  for (WorkerJob& j : jobs) {
    try {
      j.join();
    } catch (...) {
      if (!first) first = std::current_exception();
    }
  }
  if (first) std::rethrow_exception(first);
}

void WorkerPool::work() {
  while (true) {
    std::shared_ptr<WorkerJob::State> s;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      wake_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping, nothing left
      s = std::move(queue_.front());
      queue_.pop_front();
    }
    if (!s->claimed.exchange(true)) s->run();
  }
}

}  // namespace aimc
