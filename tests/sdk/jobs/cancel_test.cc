#include "gale/jobs/cancel.h"

#include <atomic>
#include <thread>

#include "gtest/gtest.h"

namespace gale::jobs {
namespace {

TEST(CancelTokenTest, CancelRunsCallbacksOnceAndKeepsTheFirstReason) {
  CancelToken token;
  CancelToken copy = token;
  int calls = 0;
  CancelCallback callback(token, [&] { ++calls; });
  EXPECT_FALSE(copy.cancelled());
  EXPECT_EQ(copy.reason(), "");
  copy.Cancel("client went away");
  EXPECT_EQ(calls, 1);
  EXPECT_TRUE(token.cancelled());
  EXPECT_EQ(token.reason(), "client went away");
  token.Cancel("second reason");
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(token.reason(), "client went away");
  EXPECT_TRUE(token.stop_token().stop_requested());
}

TEST(CancelTokenTest, ACallbackOnACancelledTokenRunsAtOnce) {
  CancelToken token;
  token.Cancel();
  EXPECT_EQ(token.reason(), "cancelled");
  bool ran = false;
  CancelCallback callback(token, [&] { ran = true; });
  EXPECT_TRUE(ran);
}

TEST(CancelTokenTest, ADestroyedCallbackDoesNotRun) {
  CancelToken token;
  bool ran = false;
  {
    CancelCallback callback(token, [&] { ran = true; });
  }
  token.Cancel();
  EXPECT_FALSE(ran);
}

TEST(CancelTokenTest, WaitForWakesOnCancelFromAnotherThread) {
  CancelToken token;
  EXPECT_FALSE(token.WaitFor(std::chrono::milliseconds(1)));
  std::atomic<bool> woke = false;
  std::thread sleeper([&] {
    // Far longer than the test may take: only the cancel can end it in time.
    woke = token.WaitFor(std::chrono::hours(1));
  });
  token.Cancel("stop");
  sleeper.join();
  EXPECT_TRUE(woke);
  EXPECT_TRUE(token.WaitFor(std::chrono::hours(1)));  // already cancelled: no wait
}

}  // namespace
}  // namespace gale::jobs
