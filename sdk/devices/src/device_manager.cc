#include "gale/devices/device_manager.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "emulated_devices.h"

namespace gale::devices {

void RemoveRunDir(const std::string &run_dir) {
  if (run_dir.empty()) {
    return;
  }
  std::error_code ec;
  std::filesystem::remove_all(run_dir, ec);
}

DeviceManager::DeviceManager(DeviceManagerOptions options) : options_(std::move(options)) {}

DeviceManager::~DeviceManager() {
  Shutdown();
  if (lock_fd_ >= 0) {
    close(lock_fd_);
  }
}

absl::Status DeviceManager::LockRuntimeDirLocked() {
  if (lock_fd_ >= 0) {
    return absl::OkStatus();
  }
  const std::string &dir = options_.runtime_dir;
  if (dir.empty()) {
    return absl::InvalidArgumentError("the device manager has no runtime folder");
  }
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec || chmod(dir.c_str(), 0700) != 0) {
    return absl::PermissionDeniedError(absl::StrCat("cannot create the runtime folder ", dir, ": ",
                                                    ec ? ec.message() : strerror(errno)));
  }
  std::string lock_path = dir + "/lock";
  int fd = open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) {
    return absl::PermissionDeniedError(
        absl::StrCat("cannot open ", lock_path, ": ", strerror(errno)));
  }
  if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
    std::string holder;
    char buffer[32] = {};
    if (pread(fd, buffer, sizeof buffer - 1, 0) > 0) {
      holder = absl::StrCat(" (pid ", absl::StripTrailingAsciiWhitespace(buffer), ")");
    }
    close(fd);
    return absl::FailedPreconditionError(absl::StrCat("another process", holder,
                                                      " runs emulated devices in ", dir,
                                                      "; give each daemon its own runtime folder"));
  }
  std::string pid = absl::StrCat(getpid(), "\n");
  (void)!ftruncate(fd, 0);
  (void)!pwrite(fd, pid.data(), pid.size(), 0);
  lock_fd_ = fd;
  // Run folders of a predecessor that died without cleaning up (its emulators died with it).
  std::vector<std::string> stale;
  for (const auto &entry : std::filesystem::directory_iterator(dir, ec)) {
    std::string entry_name = entry.path().filename().string();
    if (entry.is_directory(ec) &&
        (entry_name.rfind("emu-", 0) == 0 || entry_name.rfind("phys-", 0) == 0)) {
      stale.push_back(entry.path().string());
    }
  }
  for (const std::string &run_dir : stale) {
    RemoveRunDir(run_dir);
  }
  return absl::OkStatus();
}

std::string DeviceManager::DefaultRuntimeDir() {
  const char *runtime = getenv("XDG_RUNTIME_DIR");
  if (runtime != nullptr && runtime[0] != '\0') {
    return absl::StrCat(runtime, "/gale/devices");
  }
  return absl::StrCat("/tmp/gale-", getuid(), "/devices");
}

absl::StatusOr<std::shared_ptr<Device>> DeviceManager::Create(const boards::Board &board,
                                                              const CreateOptions &options) {
  if (board.emulator != "qemu" && board.emulator != "native") {
    return absl::FailedPreconditionError(
        absl::StrCat("board ", board.name,
                     " cannot be emulated (its board.yaml names no emulator); "
                     "attach a physical ",
                     board.name,
                     " instead, or pick an emulated board such as "
                     "qemu_cortex_m3 or native_sim"));
  }
  std::string id;
  std::string name;
  {
    std::lock_guard lock(mu_);
    if (shut_down_) {
      return absl::FailedPreconditionError("the device manager is shutting down");
    }
    if (absl::Status status = LockRuntimeDirLocked(); !status.ok()) {
      return status;
    }
    if (!options.name.empty() && names_.count(options.name) != 0) {
      return absl::AlreadyExistsError(absl::StrCat("a device named '", options.name,
                                                   "' exists already (", names_[options.name],
                                                   "); pick another name"));
    }
    // A user may have named a device like a future id: skip such numbers.
    do {
      id = absl::StrCat("emu-", board.name, "-", ++next_number_[board.name]);
    } while (names_.count(id) != 0);
    name = options.name.empty() ? id : options.name;
    // Reserved now so a concurrent Create cannot take them while the emulator starts.
    names_[name] = id;
    names_[id] = id;
  }
  auto release = [&] {
    std::lock_guard lock(mu_);
    names_.erase(name);
    names_.erase(id);
  };

  DeviceInfo info;
  info.id = id;
  info.name = name;
  info.board = board.name;
  info.kind = DeviceKind::kEmulated;
  info.created = absl::Now();
  std::string run_dir = absl::StrCat(options_.runtime_dir, "/", id);
  absl::StatusOr<std::shared_ptr<Device>> device;
  if (board.emulator == "native") {
    device = CreateNativeDevice(std::move(info), run_dir, options_.console_capacity,
                                options.native_real_time);
  } else {
    absl::StatusOr<runners::QemuOptions> qemu = runners::QemuOptionsForBoard(board);
    if (!qemu.ok()) {
      release();
      return qemu.status();
    }
    qemu->run_dir = run_dir;
    qemu->icount_shift = options.icount_shift;
    qemu->extra_args = options.extra_emulator_args;
    DeviceTimeouts timeouts;
    timeouts.emulator_start = options_.emulator_start_timeout;
    timeouts.gdb_reply = options_.gdb_reply_timeout;
    device =
        CreateQemuDevice(std::move(info), std::move(*qemu), timeouts, options_.console_capacity);
  }
  if (!device.ok()) {
    release();
    return device.status();
  }
  {
    // Listed, listener set and kAdded sent under the dispatch lock: a Watch() cannot see the
    // device twice, and a change racing with this waits for the lock and arrives after kAdded.
    std::lock_guard dispatch(dispatch_mu_);
    {
      std::lock_guard lock(mu_);
      if (shut_down_) {
        (*device)->Shutdown();
        return absl::FailedPreconditionError("the device manager is shutting down");
      }
      devices_.push_back(*device);
    }
    (*device)->SetChangeListener([this](const DeviceInfo &changed) {
      Dispatch({DeviceEvent::Kind::kChanged, changed});
    });
    DeviceEvent added{DeviceEvent::Kind::kAdded, (*device)->Info()};
    for (auto &[watch_id, callback] : watchers_) {
      callback(added);
    }
  }
  return device;
}

std::vector<DeviceInfo> DeviceManager::List() const {
  std::vector<std::shared_ptr<Device>> devices;
  {
    std::lock_guard lock(mu_);
    devices = devices_;
  }
  std::vector<DeviceInfo> infos;
  infos.reserve(devices.size());
  for (const auto &device : devices) {
    infos.push_back(device->Info());
  }
  return infos;
}

absl::StatusOr<std::shared_ptr<Device>> DeviceManager::Get(std::string_view id_or_name) const {
  std::lock_guard lock(mu_);
  for (const auto &device : devices_) {
    if (device->id() == id_or_name) {
      return device;
    }
  }
  auto named = names_.find(std::string(id_or_name));
  if (named != names_.end()) {
    for (const auto &device : devices_) {
      if (device->id() == named->second) {
        return device;
      }
    }
  }
  if (devices_.empty()) {
    return absl::NotFoundError(absl::StrCat("no device '", std::string(id_or_name),
                                            "': there are no devices; start one with "
                                            "gale emu start -b BOARD"));
  }
  std::vector<std::string> ids;
  for (const auto &device : devices_) {
    ids.push_back(device->id());
  }
  return absl::NotFoundError(absl::StrCat("no device '", std::string(id_or_name),
                                          "'; devices: ", absl::StrJoin(ids, ", ")));
}

absl::Status DeviceManager::Delete(std::string_view id_or_name) {
  absl::StatusOr<std::shared_ptr<Device>> device = Get(id_or_name);
  if (!device.ok()) {
    return device.status();
  }
  DeviceInfo info = (*device)->Info();
  {
    std::lock_guard lock(mu_);
    auto it = std::find(devices_.begin(), devices_.end(), *device);
    if (it == devices_.end()) {
      return absl::NotFoundError(absl::StrCat("device ", info.id, " was deleted already"));
    }
    devices_.erase(it);
    names_.erase(info.name);
    names_.erase(info.id);
  }
  (*device)->SetChangeListener(nullptr);
  (*device)->Shutdown();
  Dispatch({DeviceEvent::Kind::kRemoved, (*device)->Info()});
  return absl::OkStatus();
}

DeviceManager::WatchId DeviceManager::Watch(std::function<void(const DeviceEvent &)> callback,
                                            bool send_current) {
  std::lock_guard dispatch(dispatch_mu_);
  if (send_current) {
    for (const DeviceInfo &info : List()) {
      callback({DeviceEvent::Kind::kAdded, info});
    }
  }
  WatchId id = next_watch_++;
  watchers_[id] = std::move(callback);
  return id;
}

void DeviceManager::Unwatch(WatchId id) {
  std::lock_guard dispatch(dispatch_mu_);
  watchers_.erase(id);
}

void DeviceManager::Dispatch(const DeviceEvent &event) {
  std::lock_guard dispatch(dispatch_mu_);
  for (auto &[id, callback] : watchers_) {
    callback(event);
  }
}

void DeviceManager::SetPhysicalFactory(PhysicalDeviceFactory factory) {
  std::lock_guard lock(mu_);
  physical_factory_ = std::move(factory);
}

absl::StatusOr<std::shared_ptr<Device>> DeviceManager::GetPhysical(const PhysicalDeviceSpec &spec) {
  if (spec.serial.empty()) {
    return absl::InvalidArgumentError("a physical device needs its probe's serial number");
  }
  const std::string fingerprint = absl::StrCat(spec.board.name, "|", spec.tty, "|", spec.usb_path);
  PhysicalDeviceFactory factory;
  std::shared_ptr<Device> replaced;
  std::string run_dir;
  {
    std::lock_guard lock(mu_);
    if (shut_down_) {
      return absl::FailedPreconditionError("the device manager is shutting down");
    }
    auto it = physical_.find(spec.serial);
    if (it != physical_.end()) {
      if (it->second.fingerprint == fingerprint) {
        return it->second.device;
      }
      replaced = it->second.device;
      physical_.erase(it);
    }
    if (!physical_factory_) {
      return absl::UnimplementedError("flashing physical boards needs the OpenOCD runner");
    }
    factory = physical_factory_;
    if (absl::Status status = LockRuntimeDirLocked(); !status.ok()) {
      return status;
    }
    // Serial numbers are the probe's own: keep only characters safe in a file name.
    std::string safe = spec.serial;
    for (char &c : safe) {
      if (!isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_') {
        c = '_';
      }
    }
    run_dir = absl::StrCat(options_.runtime_dir, "/phys-", safe);
  }
  if (replaced != nullptr) {
    replaced->SetChangeListener(nullptr);
    replaced->Shutdown();
  }
  std::error_code ec;
  std::filesystem::create_directories(run_dir, ec);
  if (ec || chmod(run_dir.c_str(), 0700) != 0) {
    return absl::PermissionDeniedError(absl::StrCat("cannot create the run folder ", run_dir, ": ",
                                                    ec ? ec.message() : strerror(errno)));
  }
  absl::StatusOr<std::shared_ptr<Device>> device = factory(spec, run_dir);
  if (!device.ok()) {
    return device.status();
  }
  std::lock_guard lock(mu_);
  if (shut_down_) {
    (*device)->Shutdown();
    return absl::FailedPreconditionError("the device manager is shutting down");
  }
  auto [it, inserted] = physical_.try_emplace(spec.serial, Physical{fingerprint, *device});
  if (!inserted) {
    // Another caller built it meanwhile: use theirs.
    (*device)->Shutdown();
    return it->second.device;
  }
  (*device)->SetChangeListener([this](const DeviceInfo &changed) {
    Dispatch({DeviceEvent::Kind::kChanged, changed});
  });
  return *device;
}

void DeviceManager::Shutdown() {
  std::vector<std::shared_ptr<Device>> devices;
  std::map<std::string, Physical> physical;
  {
    std::lock_guard lock(mu_);
    shut_down_ = true;
    devices.swap(devices_);
    physical.swap(physical_);
    names_.clear();
  }
  for (auto &[serial, entry] : physical) {
    entry.device->SetChangeListener(nullptr);
    entry.device->Shutdown();
  }
  for (const auto &device : devices) {
    device->SetChangeListener(nullptr);
  }
  // Kill every emulator first (each Shutdown waits for its own), newest first.
  for (auto it = devices.rbegin(); it != devices.rend(); ++it) {
    (*it)->Shutdown();
    Dispatch({DeviceEvent::Kind::kRemoved, (*it)->Info()});
  }
}

}  // namespace gale::devices
