#include "gale/farm/lease_manager.h"

#include <algorithm>
#include <chrono>
#include <random>
#include <set>
#include <tuple>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace gale::farm {
namespace {

// How often a waiting Acquire looks again at the devices (new emulators, the client gone) even
// when no lease ended.
constexpr auto kWaitSlice = std::chrono::milliseconds(200);

std::string RandomHex(size_t chars) {
  static std::mutex mu;
  static std::random_device device;
  std::lock_guard lock(mu);
  std::uniform_int_distribution<int> digit(0, 15);
  std::string out;
  for (size_t i = 0; i < chars; ++i) {
    out.push_back("0123456789abcdef"[digit(device)]);
  }
  return out;
}

std::string FormatUtc(absl::Time time) {
  return absl::FormatTime("%Y-%m-%d %H:%M:%S UTC", time, absl::UTCTimeZone());
}

store::LeaseRecord ToRecord(const Lease &lease) {
  return store::LeaseRecord{.token = lease.token,
                            .id = lease.id,
                            .holder = lease.holder,
                            .devices = lease.devices,
                            .acquired_us = absl::ToUnixMicros(lease.acquired),
                            .expires_us = absl::ToUnixMicros(lease.expires),
                            .duration_ms = absl::ToInt64Milliseconds(lease.duration),
                            .note = lease.note};
}

Lease FromRecord(const store::LeaseRecord &record) {
  return Lease{.token = record.token,
               .id = record.id,
               .holder = record.holder,
               .devices = record.devices,
               .acquired = absl::FromUnixMicros(record.acquired_us),
               .expires = absl::FromUnixMicros(record.expires_us),
               .duration = absl::Milliseconds(record.duration_ms),
               .note = record.note};
}

bool HasAllTags(const Candidate &candidate, const std::vector<std::string> &tags) {
  return std::all_of(tags.begin(), tags.end(), [&](const std::string &tag) {
    return std::find(candidate.tags.begin(), candidate.tags.end(), tag) != candidate.tags.end();
  });
}

std::string DescribeSelector(const Selector &selector) {
  std::vector<std::string> parts;
  if (!selector.board.empty()) {
    parts.push_back(absl::StrCat("board ", selector.board));
  }
  if (!selector.tags.empty()) {
    parts.push_back(absl::StrCat("tags ", absl::StrJoin(selector.tags, ",")));
  }
  return parts.empty() ? "any device" : absl::StrJoin(parts, " and ");
}

}  // namespace

std::string DescribeLease(const Lease &lease) {
  return absl::StrCat(lease.id, " (held by ", lease.holder, " until ", FormatUtc(lease.expires),
                      ")");
}

absl::StatusOr<std::unique_ptr<LeaseManager>> LeaseManager::Create(store::Store *store,
                                                                   Clock clock) {
  std::unique_ptr<LeaseManager> manager(new LeaseManager(store, std::move(clock)));
  absl::StatusOr<std::vector<store::LeaseRecord>> records = store->ListLeases();
  if (!records.ok()) {
    return records.status();
  }
  for (const store::LeaseRecord &record : *records) {
    manager->leases_.emplace(record.token, FromRecord(record));
  }
  std::lock_guard lock(manager->mu_);
  manager->PruneLocked();
  return manager;
}

LeaseManager::LeaseManager(store::Store *store, Clock clock)
    : store_(store), clock_(std::move(clock)) {}

LeaseManager::~LeaseManager() {
  Shutdown();
}

void LeaseManager::Shutdown() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  changed_.notify_all();
  if (sweeper_.joinable()) {
    sweeper_.join();
  }
}

int LeaseManager::PruneLocked() {
  const absl::Time now = clock_();
  int ended = 0;
  for (auto it = leases_.begin(); it != leases_.end();) {
    if (it->second.expires <= now) {
      ChangedLocked(it->second.devices);
      it = leases_.erase(it);
      ++ended;
    } else {
      ++it;
    }
  }
  if (ended > 0) {
    // The rows go too; a failure here only leaves rows the next start drops as expired.
    (void)store_->DeleteExpiredLeases(absl::ToUnixMicros(now));
    changed_.notify_all();
  }
  return ended;
}

void LeaseManager::ChangedLocked(const std::vector<std::string> &device_ids) {
  if (on_changed_) {
    changed_devices_.insert(changed_devices_.end(), device_ids.begin(), device_ids.end());
  }
}

void LeaseManager::DeliverChanges() {
  std::vector<std::string> devices;
  {
    std::lock_guard lock(mu_);
    devices.swap(changed_devices_);
  }
  if (!devices.empty()) {
    on_changed_(devices);
  }
}

void LeaseManager::OnDevicesChanged(DevicesChanged callback) {
  std::lock_guard lock(mu_);
  on_changed_ = std::move(callback);
}

const Lease *LeaseManager::LeaseOfLocked(const std::string &device_id) const {
  for (const auto &[token, lease] : leases_) {
    if (std::find(lease.devices.begin(), lease.devices.end(), device_id) != lease.devices.end()) {
      return &lease;
    }
  }
  return nullptr;
}

absl::StatusOr<Lease> LeaseManager::Acquire(const AcquireRequest &request,
                                            const Candidates &candidates,
                                            const std::function<bool()> &cancelled) {
  if (request.count < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("count ", request.count, " is negative; ask for 1 or more devices"));
  }
  if (request.duration < absl::ZeroDuration() || request.wait < absl::ZeroDuration()) {
    return absl::InvalidArgumentError("a lease's duration and wait cannot be negative");
  }
  if (!request.selector.devices.empty() && request.count > 1 &&
      request.count != static_cast<int>(request.selector.devices.size())) {
    return absl::InvalidArgumentError(absl::StrCat(
        "count ", request.count, " with ", request.selector.devices.size(),
        " named devices; name the devices or give a board/tags and a count, not both"));
  }
  const absl::Duration duration =
      request.duration == absl::ZeroDuration() ? kDefaultLeaseDuration : request.duration;
  const auto deadline = std::chrono::steady_clock::now() + absl::ToChronoMilliseconds(request.wait);

  DeliverOnExit deliver{this};
  while (true) {
    // Which devices the selector means, from the devices there are now.
    const std::vector<Candidate> all = candidates();
    std::vector<std::string> wanted;
    size_t count = 0;
    if (!request.selector.devices.empty()) {
      for (const std::string &name : request.selector.devices) {
        auto it = std::find_if(all.begin(), all.end(), [&](const Candidate &candidate) {
          return candidate.id == name || (!candidate.name.empty() && candidate.name == name);
        });
        if (it == all.end()) {
          return absl::NotFoundError(
              absl::StrCat("no device ", name, " to lease; `gale devices` lists them"));
        }
        if (std::find(wanted.begin(), wanted.end(), it->id) == wanted.end()) {
          wanted.push_back(it->id);
        }
      }
      count = wanted.size();
    } else {
      for (const Candidate &candidate : all) {
        if ((request.selector.board.empty() || candidate.board == request.selector.board) &&
            HasAllTags(candidate, request.selector.tags)) {
          wanted.push_back(candidate.id);
        }
      }
      std::sort(wanted.begin(), wanted.end());
      count = request.count == 0 ? 1 : static_cast<size_t>(request.count);
      if (wanted.empty()) {
        return absl::NotFoundError(absl::StrCat("no device matches ",
                                                DescribeSelector(request.selector),
                                                "; `gale devices` lists them with their tags"));
      }
    }

    std::unique_lock lock(mu_);
    if (stopping_) {
      return absl::CancelledError("the daemon is shutting down");
    }
    PruneLocked();
    std::vector<std::string> free;
    std::set<std::string> holders;
    for (const std::string &id : wanted) {
      if (const Lease *lease = LeaseOfLocked(id); lease != nullptr) {
        holders.insert(DescribeLease(*lease));
      } else {
        free.push_back(id);
      }
    }
    const bool named = !request.selector.devices.empty();
    if (free.size() >= count && (!named || free.size() == wanted.size())) {
      const absl::Time now = clock_();
      Lease lease{.token = RandomHex(32),
                  .id = absl::StrCat("l-", RandomHex(6)),
                  .holder = request.holder,
                  .devices = std::vector<std::string>(free.begin(), free.begin() + count),
                  .acquired = now,
                  .expires = now + duration,
                  .duration = duration,
                  .note = request.note};
      if (absl::Status put = store_->PutLease(ToRecord(lease)); !put.ok()) {
        return put;
      }
      leases_.emplace(lease.token, lease);
      ChangedLocked(lease.devices);
      return lease;
    }
    std::string why =
        named ? absl::StrCat(wanted.size() - free.size(), " of the named devices are leased")
              : absl::StrCat(free.size(), " of the ", wanted.size(), " devices matching ",
                             DescribeSelector(request.selector), " are free, ", count, " wanted");
    if (!holders.empty()) {
      absl::StrAppend(&why, "; leases: ", absl::StrJoin(holders, ", "));
    }
    if (request.wait == absl::ZeroDuration()) {
      return absl::ResourceExhaustedError(
          absl::StrCat(why, "; wait for them with --wait DURATION"));
    }
    const auto now = std::chrono::steady_clock::now();
    if (now >= deadline) {
      return absl::DeadlineExceededError(
          absl::StrCat("waited ", absl::FormatDuration(request.wait), " for devices: ", why));
    }
    changed_.wait_for(lock,
                      std::min<std::chrono::steady_clock::duration>(deadline - now, kWaitSlice));
    if (stopping_) {
      return absl::CancelledError("the daemon is shutting down");
    }
    lock.unlock();
    DeliverChanges();
    if (cancelled && cancelled()) {
      return absl::CancelledError("the client went away while waiting for devices");
    }
  }
}

absl::StatusOr<Lease> LeaseManager::Renew(const std::string &token, absl::Duration duration) {
  if (duration < absl::ZeroDuration()) {
    return absl::InvalidArgumentError("a lease cannot be renewed by a negative duration");
  }
  DeliverOnExit deliver{this};
  std::lock_guard lock(mu_);
  PruneLocked();
  auto it = leases_.find(token);
  if (it == leases_.end()) {
    return absl::NotFoundError(
        "no active lease has that token (it expired or was released); acquire a new one");
  }
  Lease renewed = it->second;
  if (duration != absl::ZeroDuration()) {
    renewed.duration = duration;
  }
  renewed.expires = clock_() + renewed.duration;
  if (absl::Status put = store_->PutLease(ToRecord(renewed)); !put.ok()) {
    return put;
  }
  it->second = renewed;
  ChangedLocked(renewed.devices);
  return renewed;
}

absl::Status LeaseManager::Release(const std::string &token) {
  DeliverOnExit deliver{this};
  {
    std::lock_guard lock(mu_);
    PruneLocked();
    auto it = leases_.find(token);
    if (it == leases_.end()) {
      return absl::NotFoundError(
          "no active lease has that token (it expired or was already released)");
    }
    if (absl::Status removed = store_->DeleteLease(token);
        !removed.ok() && !absl::IsNotFound(removed)) {
      return removed;
    }
    ChangedLocked(it->second.devices);
    leases_.erase(it);
  }
  changed_.notify_all();
  return absl::OkStatus();
}

std::vector<Lease> LeaseManager::List() {
  DeliverOnExit deliver{this};
  std::lock_guard lock(mu_);
  PruneLocked();
  std::vector<Lease> out;
  for (const auto &[token, lease] : leases_) {
    out.push_back(lease);
  }
  std::sort(out.begin(), out.end(), [](const Lease &a, const Lease &b) {
    return std::tie(a.acquired, a.id) < std::tie(b.acquired, b.id);
  });
  return out;
}

std::optional<Lease> LeaseManager::LeaseOf(const std::string &device_id) {
  DeliverOnExit deliver{this};
  std::lock_guard lock(mu_);
  PruneLocked();
  const Lease *lease = LeaseOfLocked(device_id);
  if (lease == nullptr) {
    return std::nullopt;
  }
  return *lease;
}

absl::Status LeaseManager::CheckAccess(const std::string &device_id, const std::string &token) {
  std::optional<Lease> lease = LeaseOf(device_id);
  if (!lease.has_value() || lease->token == token) {
    return absl::OkStatus();
  }
  return absl::FailedPreconditionError(
      absl::StrCat(device_id, " is leased to ", lease->holder, " until ", FormatUtc(lease->expires),
                   " (lease ", lease->id, ")",
                   token.empty() ? "; pass the lease token with --lease TOKEN or GALE_LEASE"
                                 : "; the lease token given is not that lease's"));
}

int LeaseManager::Sweep() {
  DeliverOnExit deliver{this};
  std::lock_guard lock(mu_);
  return PruneLocked();
}

void LeaseManager::StartSweeper(absl::Duration period) {
  std::lock_guard lock(mu_);
  if (sweeper_.joinable() || stopping_) {
    return;
  }
  sweeper_ = std::thread([this, period] {
    std::unique_lock lock(mu_);
    while (!stopping_) {
      changed_.wait_for(lock, absl::ToChronoMilliseconds(period));
      if (!stopping_ && PruneLocked() > 0) {
        lock.unlock();
        DeliverChanges();
        lock.lock();
      }
    }
  });
}

}  // namespace gale::farm
