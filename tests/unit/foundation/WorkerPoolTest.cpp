// The host thread pool of issue 20 item 3: every task runs exactly once, on the joining thread when the pool
// has no worker (and only at its join), its exception comes out of join(), and for_each joins in index order.
#include <gtest/gtest.h>

#include <atomic>
#include <stdexcept>
#include <thread>

#include "aimc/base/WorkerPool.h"

namespace aimc {
namespace {

TEST(WorkerPool, OneThreadRunsEachTaskOnTheCallerAtItsJoin) {
  WorkerPool pool(1);
  EXPECT_EQ(pool.threads(), 1);
  std::thread::id ran_on;
  bool ran = false;
  WorkerJob job = pool.start([&] {
    ran = true;
    ran_on = std::this_thread::get_id();
  });
  EXPECT_FALSE(ran);  // deferred: nothing runs before the join
  job.join();
  EXPECT_TRUE(ran);
  EXPECT_EQ(ran_on, std::this_thread::get_id());
  job.join();  // a second join returns at once
}

TEST(WorkerPool, EveryTaskRunsOnceForAnyThreadCount) {
  for (int threads : {1, 2, 4}) {
    WorkerPool pool(threads);
    std::vector<std::atomic<int>> runs(500);
    std::vector<WorkerJob> jobs;
    for (size_t i = 0; i < runs.size(); ++i) jobs.push_back(pool.start([&runs, i] { ++runs[i]; }));
    for (WorkerJob& j : jobs) j.join();
    for (size_t i = 0; i < runs.size(); ++i)
      EXPECT_EQ(runs[i].load(), 1) << threads << " threads, task " << i;
  }
}

TEST(WorkerPool, JoinRethrowsTheTasksExceptionAndForEachTheFirstByIndex) {
  for (int threads : {1, 3}) {
    WorkerPool pool(threads);
    WorkerJob job = pool.start([] { throw std::runtime_error("task failed"); });
    EXPECT_THROW(job.join(), std::runtime_error);
    std::vector<int> done(8, 0);
    try {
      pool.for_each(done.size(), [&](size_t i) {
        done[i] = 1;
        if (i == 3 || i == 6) throw std::runtime_error("index " + std::to_string(i));
      });
      FAIL() << "for_each did not rethrow";
    } catch (const std::runtime_error& e) {
      EXPECT_STREQ(e.what(), "index 3");
    }
    EXPECT_EQ(std::count(done.begin(), done.end(), 1), 8);  // every index ran, failures or not
  }
}

TEST(WorkerPool, HostThreadsIsAtLeastOne) {
  EXPECT_GE(WorkerPool::host_threads(), 1);
}

}  // namespace
}  // namespace aimc
