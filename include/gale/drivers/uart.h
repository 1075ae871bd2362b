/*
 * UART driver class (Zephyr's UART API, polling part).
 *
 * Every UART driver fills a `struct uart_driver_api`; the inline wrappers below call it and
 * return -ENOSYS for an operation the driver does not implement.
 */
#ifndef GALE_DRIVERS_UART_H_
#define GALE_DRIVERS_UART_H_

#include <errno.h>
#include <stddef.h>
#include <stdint.h>

#include <gale/device.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Receive errors, as returned by uart_err_check(). */
enum uart_rx_stop_reason {
  UART_ERROR_OVERRUN = (1 << 0),
  UART_ERROR_PARITY = (1 << 1),
  UART_ERROR_FRAMING = (1 << 2),
  UART_BREAK = (1 << 3),
  UART_ERROR_COLLISION = (1 << 4),
  UART_ERROR_NOISE = (1 << 5),
};

enum uart_config_parity {
  UART_CFG_PARITY_NONE,
  UART_CFG_PARITY_ODD,
  UART_CFG_PARITY_EVEN,
  UART_CFG_PARITY_MARK,
  UART_CFG_PARITY_SPACE,
};

enum uart_config_stop_bits {
  UART_CFG_STOP_BITS_0_5,
  UART_CFG_STOP_BITS_1,
  UART_CFG_STOP_BITS_1_5,
  UART_CFG_STOP_BITS_2,
};

enum uart_config_data_bits {
  UART_CFG_DATA_BITS_5,
  UART_CFG_DATA_BITS_6,
  UART_CFG_DATA_BITS_7,
  UART_CFG_DATA_BITS_8,
  UART_CFG_DATA_BITS_9,
};

enum uart_config_flow_control {
  UART_CFG_FLOW_CTRL_NONE,
  UART_CFG_FLOW_CTRL_RTS_CTS,
  UART_CFG_FLOW_CTRL_DTR_DSR,
  UART_CFG_FLOW_CTRL_RS485,
};

/** Line settings. */
struct uart_config {
  uint32_t baudrate;
  uint8_t parity;    /**< enum uart_config_parity */
  uint8_t stop_bits; /**< enum uart_config_stop_bits */
  uint8_t data_bits; /**< enum uart_config_data_bits */
  uint8_t flow_ctrl; /**< enum uart_config_flow_control */
};

/** The UART driver class: what a driver implements (NULL for an unsupported operation). */
struct uart_driver_api {
  int (*poll_in)(const struct device *dev, unsigned char *p_char);
  void (*poll_out)(const struct device *dev, unsigned char out_char);
  int (*err_check)(const struct device *dev);
  int (*configure)(const struct device *dev, const struct uart_config *cfg);
  int (*config_get)(const struct device *dev, struct uart_config *cfg);
};

static inline const struct uart_driver_api *z_uart_api(const struct device *dev) {
  return (const struct uart_driver_api *)dev->api;
}

/**
 * Read one received character without waiting.
 *
 * @pre any context
 * @retval 0 a character was stored in @p p_char
 * @retval -1 nothing has been received
 * @retval -ENOSYS the driver does not support polling input
 */
static inline int uart_poll_in(const struct device *dev, unsigned char *p_char) {
  const struct uart_driver_api *api = z_uart_api(dev);
  return api->poll_in != NULL ? api->poll_in(dev, p_char) : -ENOSYS;
}

/**
 * Send one character, waiting while the transmitter is full.
 *
 * @pre any context
 */
static inline void uart_poll_out(const struct device *dev, unsigned char out_char) {
  z_uart_api(dev)->poll_out(dev, out_char);
}

/**
 * Receive errors since the last call.
 *
 * @retval >=0 a mask of enum uart_rx_stop_reason bits (0: no error)
 * @retval -ENOSYS the driver does not report errors
 */
static inline int uart_err_check(const struct device *dev) {
  const struct uart_driver_api *api = z_uart_api(dev);
  return api->err_check != NULL ? api->err_check(dev) : -ENOSYS;
}

/**
 * Change the line settings.
 *
 * @retval 0 applied
 * @retval -ENOTSUP a setting is not supported by the hardware
 * @retval -ENOSYS the driver cannot be reconfigured at run time
 */
static inline int uart_configure(const struct device *dev, const struct uart_config *cfg) {
  const struct uart_driver_api *api = z_uart_api(dev);
  return api->configure != NULL ? api->configure(dev, cfg) : -ENOSYS;
}

/**
 * Read the current line settings.
 *
 * @retval 0 stored in @p cfg
 * @retval -ENOSYS the driver does not report its settings
 */
static inline int uart_config_get(const struct device *dev, struct uart_config *cfg) {
  const struct uart_driver_api *api = z_uart_api(dev);
  return api->config_get != NULL ? api->config_get(dev, cfg) : -ENOSYS;
}

#ifdef __cplusplus
}
#endif

#endif /* GALE_DRIVERS_UART_H_ */
