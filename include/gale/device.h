/*
 * The device model (Zephyr's device API).
 *
 * A device is a driver instance: a constant `struct device` in ROM naming its configuration,
 * its driver API (a struct of function pointers per driver class) and its RAM state. Devices
 * are defined from devicetree nodes with DEVICE_DT_DEFINE and found with DEVICE_DT_GET, which
 * resolves at link time; nothing is looked up at run time unless asked for by name.
 */
#ifndef GALE_DEVICE_H_
#define GALE_DEVICE_H_

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <gale/devicetree.h>
#include <gale/init.h>
#include <gale/sys/iterable_sections.h>
#include <gale/toolchain.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Run-time state of a device, kept in RAM. */
struct device_state {
  /** The init function's result, as a positive errno (0: success). */
  uint8_t init_res;
  /** The init function has run. */
  bool initialized;
};

/** A device instance. */
struct device {
  /** Name, for device_get_binding() and the shell: the node's `label` or full name. */
  const char *name;
  /** Driver configuration (ROM). */
  const void *config;
  /** Driver API: a struct of function pointers of the device's class. */
  const void *api;
  /** Run-time state. */
  struct device_state *state;
  /** Driver data (RAM). */
  void *data;
};

/** Identifier of the device object defined for devicetree node @p node_id. */
#define DEVICE_DT_NAME_GET(node_id) _CONCAT(__device_dts_ord_, DT_DEP_ORD(node_id))

/** Name of the device of @p node_id: its `label` property, else the node's full name. */
#define DEVICE_DT_NAME(node_id) DT_PROP_OR(node_id, label, DT_NODE_FULL_NAME(node_id))

/** Pointer to the device of devicetree node @p node_id (a link error if none is defined). */
#define DEVICE_DT_GET(node_id) (&DEVICE_DT_NAME_GET(node_id))

/** DEVICE_DT_GET for instance @p inst of the driver's DT_DRV_COMPAT. */
#define DEVICE_DT_INST_GET(inst) DEVICE_DT_GET(DT_DRV_INST(inst))

/** Pointer to the device of @p node_id, or NULL when the node has no okay status. */
#define DEVICE_DT_GET_OR_NULL(node_id) \
  COND_CODE_1(DT_NODE_HAS_STATUS(node_id, okay), (DEVICE_DT_GET(node_id)), (NULL))

/** The device of the chosen node @p prop (e.g. zephyr_console). */
#define DEVICE_DT_GET_ANY_CHOSEN(prop) DEVICE_DT_GET(DT_CHOSEN(prop))

/** Declare the device object of @p node_id (for use before its definition). */
#define DEVICE_DT_DECLARE(node_id) extern const struct device DEVICE_DT_NAME_GET(node_id)

/* Devices sort like init entries, so that iterating them follows initialization order. */
#define Z_DEVICE_SECTION(level, prio) \
  __attribute__((__section__(".gale_device_" #level "." STRINGIFY(prio))))

#define Z_DEVICE_DEFINE(node_id, dev_id, name_, init_fn_, data_, config_, level, prio, api_) \
  static struct device_state _CONCAT(__devstate_, dev_id);                                   \
  extern const struct device dev_id;                                                         \
  Z_DECL_ALIGN_INIT(const struct device)                                                     \
  dev_id Z_DEVICE_SECTION(level, prio) __used = {                                            \
      .name = (name_),                                                                       \
      .config = (config_),                                                                   \
      .api = (api_),                                                                         \
      .state = &_CONCAT(__devstate_, dev_id),                                                \
      .data = (data_),                                                                       \
  };                                                                                         \
  static const Z_DECL_ALIGN_INIT(struct init_entry) _CONCAT(__init_, dev_id)                 \
      Z_INIT_ENTRY_SECTION(level, prio) __used = {.init_fn = {.dev = (init_fn_)}, .dev = &dev_id}

/**
 * Define the device of devicetree node @p node_id.
 *
 * @param node_id  the node
 * @param init_fn  `int fn(const struct device *)` run at @p level / @p prio, or NULL
 * @param pm       power management hooks (not supported yet: pass NULL)
 * @param data     driver data, or NULL
 * @param config   driver configuration, or NULL
 * @param level    init level (PRE_KERNEL_1, PRE_KERNEL_2, POST_KERNEL, APPLICATION)
 * @param prio     priority within the level (an integer literal or a Kconfig int symbol)
 * @param api      the driver API struct
 */
#define DEVICE_DT_DEFINE(node_id, init_fn, pm, data, config, level, prio, api, ...)             \
  Z_DEVICE_DEFINE(node_id, DEVICE_DT_NAME_GET(node_id), DEVICE_DT_NAME(node_id), init_fn, data, \
                  config, level, prio, api)

/** DEVICE_DT_DEFINE for instance @p inst of the driver's DT_DRV_COMPAT. */
#define DEVICE_DT_INST_DEFINE(inst, ...) DEVICE_DT_DEFINE(DT_DRV_INST(inst), __VA_ARGS__)

/** Define a device that has no devicetree node; find it with DEVICE_GET(dev_id). */
#define DEVICE_DEFINE(dev_id, name, init_fn, pm, data, config, level, prio, api)                   \
  Z_DEVICE_DEFINE(DT_INVALID_NODE, _CONCAT(__device_, dev_id), name, init_fn, data, config, level, \
                  prio, api)

#define DEVICE_GET(dev_id) (&_CONCAT(__device_, dev_id))
#define DEVICE_DECLARE(dev_id) extern const struct device _CONCAT(__device_, dev_id)

/* Every okay node may have a device: declare them all so DEVICE_DT_GET works anywhere, even in
 * static initializers. A declaration without a definition costs nothing. */
#define Z_DEVICE_DT_DECLARE_NODE(node_id) DEVICE_DT_DECLARE(node_id);
DT_FOREACH_STATUS_OKAY_NODE(Z_DEVICE_DT_DECLARE_NODE)

/**
 * Find a device by name (its `label`, or its node's full name such as "uart@4000c000").
 *
 * @pre any thread
 * @returns the device, or NULL when no device has that name or it failed to initialize.
 */
const struct device *device_get_binding(const char *name);

/**
 * Whether @p dev was initialized successfully and can be used.
 *
 * @pre any context
 * @retval true the device is ready
 * @retval false @p dev is NULL, not initialized yet, or its init function failed
 */
bool device_is_ready(const struct device *dev);

/** Store the first of all devices in @p devices and return how many there are. */
size_t z_device_get_all_static(const struct device **devices);


#ifdef __cplusplus
}
#endif

#endif /* GALE_DEVICE_H_ */
