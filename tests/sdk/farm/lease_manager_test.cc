#include "gale/farm/lease_manager.h"

#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>

#include "gtest/gtest.h"
#include "temp_dir.h"

namespace gale::farm {
namespace {

using store::testing::TempDir;

// A clock the test moves by hand (the sweeper thread reads it too).
class FakeClock {
 public:
  absl::Time Now() {
    std::lock_guard lock(mu_);
    return now_;
  }
  void Advance(absl::Duration by) {
    std::lock_guard lock(mu_);
    now_ += by;
  }
  LeaseManager::Clock Get() {
    return [this] { return Now(); };
  }

 private:
  std::mutex mu_;
  absl::Time now_ = absl::FromUnixSeconds(1'800'000'000);  // 2027-01-15 08:00:00 UTC
};

class LeaseManagerTest : public ::testing::Test {
 protected:
  void SetUp() override { Open(); }

  void Open() {
    manager_.reset();
    store_.reset();
    absl::StatusOr<std::unique_ptr<store::Store>> opened = store::Store::Open(dir_.File("s.db"));
    ASSERT_TRUE(opened.ok()) << opened.status();
    store_ = std::move(*opened);
    absl::StatusOr<std::unique_ptr<LeaseManager>> manager =
        LeaseManager::Create(store_.get(), clock_.Get());
    ASSERT_TRUE(manager.ok()) << manager.status();
    manager_ = std::move(*manager);
  }

  LeaseManager::Candidates Devices() {
    return [this] { return devices_; };
  }

  AcquireRequest Board(const std::string &board, int count, const std::string &holder) {
    AcquireRequest request;
    request.selector.board = board;
    request.count = count;
    request.holder = holder;
    request.duration = absl::Minutes(5);
    return request;
  }

  TempDir dir_;
  FakeClock clock_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<LeaseManager> manager_;
  std::vector<Candidate> devices_ = {
      {.id = "emu-m3-1", .name = "emu-m3-1", .board = "m3", .tags = {"fast"}},
      {.id = "emu-m3-2", .name = "emu-m3-2", .board = "m3", .tags = {}},
      {.id = "emu-m3-3", .name = "emu-m3-3", .board = "m3", .tags = {"fast", "rack-1"}},
      {.id = "0669FF01", .name = "bench-1", .board = "nucleo", .tags = {"rack-1"}},
  };
};

TEST_F(LeaseManagerTest, ContendingHoldersGetDisjointDevicesAndTheLoserIsToldWho) {
  absl::StatusOr<Lease> first = manager_->Acquire(Board("m3", 2, "alice"), Devices());
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->devices, (std::vector<std::string>{"emu-m3-1", "emu-m3-2"}));
  EXPECT_EQ(first->token.size(), 32u);
  EXPECT_EQ(first->holder, "alice");
  EXPECT_EQ(first->expires, clock_.Now() + absl::Minutes(5));

  absl::StatusOr<Lease> second = manager_->Acquire(Board("m3", 2, "bob"), Devices());
  ASSERT_EQ(second.status().code(), absl::StatusCode::kResourceExhausted);
  EXPECT_NE(second.status().message().find("held by alice"), std::string::npos) << second.status();
  absl::StatusOr<Lease> one = manager_->Acquire(Board("m3", 1, "bob"), Devices());
  ASSERT_TRUE(one.ok()) << one.status();
  EXPECT_EQ(one->devices, (std::vector<std::string>{"emu-m3-3"}));

  // Access: the holder's token only.
  EXPECT_TRUE(manager_->CheckAccess("emu-m3-1", first->token).ok());
  absl::Status stolen = manager_->CheckAccess("emu-m3-1", "");
  EXPECT_EQ(stolen.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(stolen.message().find("leased to alice until 2027-01-15 08:"), std::string::npos)
      << stolen;
  EXPECT_EQ(manager_->CheckAccess("emu-m3-1", one->token).code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(manager_->CheckAccess("0669FF01", "").ok());  // not leased

  ASSERT_TRUE(manager_->Release(first->token).ok());
  EXPECT_EQ(manager_->Release(first->token).code(), absl::StatusCode::kNotFound);
  EXPECT_TRUE(manager_->CheckAccess("emu-m3-1", "").ok());
  EXPECT_EQ(manager_->List().size(), 1u);
}

TEST_F(LeaseManagerTest, SelectorsByNameAndTags) {
  AcquireRequest named;
  named.selector.devices = {"bench-1", "emu-m3-2"};
  named.holder = "ci";
  absl::StatusOr<Lease> lease = manager_->Acquire(named, Devices());
  ASSERT_TRUE(lease.ok()) << lease.status();
  EXPECT_EQ(lease->devices, (std::vector<std::string>{"0669FF01", "emu-m3-2"}));
  EXPECT_EQ(lease->expires - lease->acquired, kDefaultLeaseDuration);

  AcquireRequest tagged;
  tagged.selector.tags = {"rack-1", "fast"};
  absl::StatusOr<Lease> by_tags = manager_->Acquire(tagged, Devices());
  ASSERT_TRUE(by_tags.ok()) << by_tags.status();
  EXPECT_EQ(by_tags->devices, (std::vector<std::string>{"emu-m3-3"}));

  AcquireRequest unknown;
  unknown.selector.devices = {"nope"};
  absl::StatusOr<Lease> missing = manager_->Acquire(unknown, Devices());
  EXPECT_EQ(missing.status().code(), absl::StatusCode::kNotFound);
  EXPECT_NE(missing.status().message().find("nope"), std::string::npos);
  AcquireRequest nothing = Board("esp32", 1, "ci");
  EXPECT_EQ(manager_->Acquire(nothing, Devices()).status().code(), absl::StatusCode::kNotFound);
  AcquireRequest negative = Board("m3", -1, "ci");
  EXPECT_EQ(manager_->Acquire(negative, Devices()).status().code(),
            absl::StatusCode::kInvalidArgument);
  // A named device already leased is not silently skipped.
  AcquireRequest again;
  again.selector.devices = {"emu-m3-2"};
  EXPECT_EQ(manager_->Acquire(again, Devices()).status().code(),
            absl::StatusCode::kResourceExhausted);
}

TEST_F(LeaseManagerTest, ExpiryFreesDevicesAndRenewExtends) {
  absl::StatusOr<Lease> lease = manager_->Acquire(Board("m3", 3, "alice"), Devices());
  ASSERT_TRUE(lease.ok()) << lease.status();
  clock_.Advance(absl::Minutes(4));
  absl::StatusOr<Lease> renewed = manager_->Renew(lease->token, absl::ZeroDuration());
  ASSERT_TRUE(renewed.ok()) << renewed.status();
  EXPECT_EQ(renewed->expires, clock_.Now() + absl::Minutes(5));
  clock_.Advance(absl::Minutes(4));
  EXPECT_EQ(manager_->List().size(), 1u);  // renewed: still active past the first expiry
  EXPECT_FALSE(manager_->CheckAccess("emu-m3-1", "").ok());
  clock_.Advance(absl::Minutes(2));
  EXPECT_TRUE(manager_->List().empty());
  EXPECT_TRUE(manager_->CheckAccess("emu-m3-1", "").ok());
  EXPECT_EQ(manager_->Renew(lease->token, absl::ZeroDuration()).status().code(),
            absl::StatusCode::kNotFound);
  absl::StatusOr<std::vector<store::LeaseRecord>> rows = store_->ListLeases();
  ASSERT_TRUE(rows.ok());
  EXPECT_TRUE(rows->empty()) << "expired leases stay in the store";
}

TEST_F(LeaseManagerTest, WatchersAreToldOfEveryLeaseChangeOutsideTheLock) {
  std::vector<std::vector<std::string>> told;
  manager_->OnDevicesChanged([&](const std::vector<std::string> &ids) {
    told.push_back(ids);
    // Without the manager's lock held: calling back in must not deadlock.
    (void)manager_->LeaseOf(ids.front());
  });
  absl::StatusOr<Lease> lease = manager_->Acquire(Board("m3", 2, "alice"), Devices());
  ASSERT_TRUE(lease.ok()) << lease.status();
  ASSERT_EQ(told.size(), 1u);
  EXPECT_EQ(told.back(), lease->devices);
  ASSERT_TRUE(manager_->Renew(lease->token, absl::ZeroDuration()).ok());
  ASSERT_EQ(told.size(), 2u);
  EXPECT_EQ(told.back(), lease->devices);
  ASSERT_TRUE(manager_->Release(lease->token).ok());
  ASSERT_EQ(told.size(), 3u);
  EXPECT_EQ(told.back(), lease->devices);

  // Expiry, found by the next call (or the sweeper).
  absl::StatusOr<Lease> bench = manager_->Acquire(Board("nucleo", 1, "ci"), Devices());
  ASSERT_TRUE(bench.ok()) << bench.status();
  ASSERT_EQ(told.size(), 4u);
  clock_.Advance(absl::Minutes(6));
  EXPECT_EQ(manager_->Sweep(), 1);
  ASSERT_EQ(told.size(), 5u);
  EXPECT_EQ(told.back(), std::vector<std::string>{"0669FF01"});
  // Failed calls change nothing and tell nothing.
  EXPECT_FALSE(manager_->Release(bench->token).ok());
  EXPECT_EQ(told.size(), 5u);
}

TEST_F(LeaseManagerTest, WaitingAcquireGetsTheDevicesWhenReleasedOrTimesOut) {
  absl::StatusOr<Lease> held = manager_->Acquire(Board("m3", 3, "alice"), Devices());
  ASSERT_TRUE(held.ok()) << held.status();

  AcquireRequest short_wait = Board("m3", 1, "bob");
  short_wait.wait = absl::Milliseconds(300);
  const auto start = std::chrono::steady_clock::now();
  absl::StatusOr<Lease> timed_out = manager_->Acquire(short_wait, Devices());
  EXPECT_EQ(timed_out.status().code(), absl::StatusCode::kDeadlineExceeded) << timed_out.status();
  EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(300));

  AcquireRequest long_wait = Board("m3", 1, "bob");
  long_wait.wait = absl::Seconds(30);
  absl::StatusOr<Lease> waited = absl::UnknownError("not run");
  std::thread waiter([&] { waited = manager_->Acquire(long_wait, Devices()); });
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  ASSERT_TRUE(manager_->Release(held->token).ok());
  waiter.join();
  ASSERT_TRUE(waited.ok()) << waited.status();
  EXPECT_EQ(waited->holder, "bob");
}

TEST_F(LeaseManagerTest, AWaitingAcquireEndsWhenTheClientGoesAway) {
  ASSERT_TRUE(manager_->Acquire(Board("m3", 3, "alice"), Devices()).ok());
  AcquireRequest request = Board("m3", 1, "bob");
  request.wait = absl::Seconds(30);
  std::atomic<bool> gone{false};
  absl::StatusOr<Lease> result = absl::UnknownError("not run");
  std::thread waiter(
      [&] { result = manager_->Acquire(request, Devices(), [&] { return gone.load(); }); });
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  gone = true;
  waiter.join();
  EXPECT_EQ(result.status().code(), absl::StatusCode::kCancelled);
}

TEST_F(LeaseManagerTest, ExpiryWakesWaitersThroughTheSweeper) {
  ASSERT_TRUE(manager_->Acquire(Board("nucleo", 1, "alice"), Devices()).ok());
  manager_->StartSweeper(absl::Milliseconds(20));
  AcquireRequest request = Board("nucleo", 1, "bob");
  request.wait = absl::Seconds(30);
  absl::StatusOr<Lease> result = absl::UnknownError("not run");
  std::thread waiter([&] { result = manager_->Acquire(request, Devices()); });
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  EXPECT_EQ(manager_->Sweep(), 0);
  // Only the fake clock moves: the lease expires without any real time passing.
  clock_.Advance(absl::Minutes(6));
  waiter.join();
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->holder, "bob");
}

TEST_F(LeaseManagerTest, LeasesSurviveReopeningTheStore) {
  absl::StatusOr<Lease> lease = manager_->Acquire(Board("m3", 2, "ci-dev"), Devices());
  ASSERT_TRUE(lease.ok()) << lease.status();
  AcquireRequest short_lease = Board("nucleo", 1, "brief");
  short_lease.duration = absl::Seconds(10);
  ASSERT_TRUE(manager_->Acquire(short_lease, Devices()).ok());
  clock_.Advance(absl::Seconds(20));  // the short one expires while the daemon is down
  Open();
  std::vector<Lease> leases = manager_->List();
  ASSERT_EQ(leases.size(), 1u);
  EXPECT_EQ(leases[0].token, lease->token);
  EXPECT_EQ(leases[0].holder, "ci-dev");
  EXPECT_EQ(leases[0].devices, lease->devices);
  EXPECT_EQ(leases[0].expires, lease->expires);
  EXPECT_EQ(manager_->CheckAccess("emu-m3-1", "").code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(manager_->CheckAccess("emu-m3-1", lease->token).ok());
  EXPECT_TRUE(manager_->CheckAccess("0669FF01", "").ok());
}

}  // namespace
}  // namespace gale::farm
