// Device look-up and readiness (the definitions themselves are static, see gale/device.h).
#include <gale/device.h>

#include <string.h>

// Linker-script symbols bracketing all device objects, sorted in initialization order.
extern "C" {
extern const struct device __device_start[];
extern const struct device __device_end[];
}

extern "C" bool device_is_ready(const struct device *dev) {
  return dev != nullptr && dev->state->initialized && dev->state->init_res == 0U;
}

extern "C" const struct device *device_get_binding(const char *name) {
  if (name == nullptr || name[0] == '\0') {
    return nullptr;
  }
  // Pointer equality first: callers usually pass the very string the device was defined with.
  for (const device *dev = __device_start; dev < __device_end; dev++) {
    if (dev->name == name && device_is_ready(dev)) {
      return dev;
    }
  }
  for (const device *dev = __device_start; dev < __device_end; dev++) {
    if (strcmp(dev->name, name) == 0 && device_is_ready(dev)) {
      return dev;
    }
  }
  return nullptr;
}

extern "C" size_t z_device_get_all_static(const struct device **devices) {
  *devices = __device_start;
  return static_cast<size_t>(__device_end - __device_start);
}
