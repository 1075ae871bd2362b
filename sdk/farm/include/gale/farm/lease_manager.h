// Leases of devices: one holder gets a set of devices for a while, and calls that change a leased
// device need the lease's token. The lease manager keeps the active leases in memory and writes
// each change through to the store, so leases survive a daemon restart.
//
// Expiry: a lease ends when its time runs out. Every call first drops expired leases
// (check-on-access); a sweeper thread (StartSweeper) also drops them and wakes waiters so that a
// waiting Acquire gets the devices without polling the store.
//
// Threading: every method may be called from any thread.
#ifndef GALE_FARM_LEASE_MANAGER_H_
#define GALE_FARM_LEASE_MANAGER_H_

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "gale/store/store.h"

namespace gale::farm {

/// A device a lease may take: what the daemon knows of it at the time of the call.
struct Candidate {
  std::string id;
  std::string name;
  std::string board;
  std::vector<std::string> tags;
};

/// Which devices a lease wants (gale.v1.DeviceSelector).
struct Selector {
  std::vector<std::string> devices;  ///< ids or names; when set, exactly these
  std::string board;                 ///< else any device of this board (empty: any board)
  std::vector<std::string> tags;     ///< ... carrying all of these tags
};

struct AcquireRequest {
  Selector selector;
  int count = 0;                                   ///< 0: 1 (ignored when selector.devices is set)
  absl::Duration duration = absl::ZeroDuration();  ///< 0: kDefaultLeaseDuration
  absl::Duration wait = absl::ZeroDuration();      ///< 0: fail at once when taken
  std::string holder;
  std::string note;
};

struct Lease {
  std::string token;
  std::string id;
  std::string holder;
  std::vector<std::string> devices;
  absl::Time acquired;
  absl::Time expires;
  absl::Duration duration;
  std::string note;
};

inline constexpr absl::Duration kDefaultLeaseDuration = absl::Minutes(30);

/// "l-1a2b3c (held by ci-dev until 2026-12-06 06:10:00 UTC)": how errors name a lease.
std::string DescribeLease(const Lease &lease);

class LeaseManager {
 public:
  using Clock = std::function<absl::Time()>;
  /// Lists the devices a lease could take now (called without the manager's lock held).
  using Candidates = std::function<std::vector<Candidate>()>;
  /// Told the devices whose lease began, was renewed or ended (released or expired).
  using DevicesChanged = std::function<void(const std::vector<std::string> &device_ids)>;

  /// Loads the leases kept in `store` (dropping expired ones). `store` must outlive the manager.
  /// `clock` gives the time leases expire by (tests inject one); waiting uses real time.
  /// @retval the store's errors.
  static absl::StatusOr<std::unique_ptr<LeaseManager>> Create(store::Store *store,
                                                              Clock clock = absl::Now);
  ~LeaseManager();
  LeaseManager(const LeaseManager &) = delete;
  LeaseManager &operator=(const LeaseManager &) = delete;

  /// Leases devices matching `request.selector` among `candidates()`.
  /// @param cancelled polled while waiting; true ends the wait with Cancelled.
  /// @retval InvalidArgument a negative count or duration, or a count above 1 with named devices.
  /// @retval NotFound a named device is unknown, or no device matches board and tags.
  /// @retval ResourceExhausted not enough matching devices are free and wait is 0 (the message
  ///         names the leases holding them).
  /// @retval DeadlineExceeded they did not become free within `wait`.
  /// @retval Cancelled `cancelled` returned true, or the manager is shutting down.
  /// @pre any thread; may block up to request.wait.
  absl::StatusOr<Lease> Acquire(const AcquireRequest &request, const Candidates &candidates,
                                const std::function<bool()> &cancelled = {});
  /// Extends the lease to now + `duration` (0: its own duration).
  /// @retval NotFound no active lease has that token. @retval InvalidArgument negative duration.
  absl::StatusOr<Lease> Renew(const std::string &token, absl::Duration duration);
  /// Ends the lease; its devices are free at once (waiters are woken).
  /// @retval NotFound no active lease has that token.
  absl::Status Release(const std::string &token);
  /// Active leases, oldest first.
  std::vector<Lease> List();
  /// The active lease holding `device_id`, if any.
  std::optional<Lease> LeaseOf(const std::string &device_id);
  /// Whether a call carrying `token` (may be empty) may change `device_id`: OK when the device
  /// is not leased or `token` is its lease's.
  /// @retval FailedPrecondition naming the device, the holder, the lease id and its expiry.
  absl::Status CheckAccess(const std::string &device_id, const std::string &token);

  /// Drops expired leases (memory and store) and wakes waiters. @returns how many ended.
  int Sweep();
  /// Runs Sweep every `period` on a thread of its own until Shutdown or destruction.
  void StartSweeper(absl::Duration period);
  /// Stops the sweeper and ends every waiting Acquire with Cancelled.
  void Shutdown();

  /// Sets who is told of lease changes (devices watchers show lease fields). Called on the
  /// thread that made the change (a caller's, or the sweeper's for expiry), without the
  /// manager's lock held, so it may call back into the manager. Set once, before other use.
  void OnDevicesChanged(DevicesChanged callback);

 private:
  LeaseManager(store::Store *store, Clock clock);
  int PruneLocked();
  // Notes devices whose lease changed, for DeliverChanges.
  void ChangedLocked(const std::vector<std::string> &device_ids);
  // Hands the noted devices to on_changed_; takes mu_ briefly, so call it without mu_ held.
  void DeliverChanges();
  // Declared before a method's lock: delivers what the method noted once the lock is released.
  struct DeliverOnExit {
    LeaseManager *manager;
    ~DeliverOnExit() { manager->DeliverChanges(); }
  };
  const Lease *LeaseOfLocked(const std::string &device_id) const;

  store::Store *store_;
  Clock clock_;
  std::mutex mu_;
  std::condition_variable changed_;
  std::map<std::string, Lease> leases_;  // by token
  bool stopping_ = false;
  DevicesChanged on_changed_;
  std::vector<std::string> changed_devices_;  // noted, not yet delivered
  std::thread sweeper_;
};

}  // namespace gale::farm

#endif  // GALE_FARM_LEASE_MANAGER_H_
