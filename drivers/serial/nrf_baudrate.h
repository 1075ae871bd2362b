// Shared by the nRF UART and UARTE drivers. BAUDRATE register values of the nRF51 UART and the nRF52 UART/UARTE (nRF51 Series Reference
// Manual and nRF52840 Product Specification, BAUDRATE register tables). The register is not a
// divisor one could compute: it takes one of these values.
#ifndef GALE_DRIVERS_SERIAL_NRF_BAUDRATE_H_
#define GALE_DRIVERS_SERIAL_NRF_BAUDRATE_H_

#include <stdint.h>
#include <zephyr/drivers/uart.h>

namespace gale::drivers::nrf {

// The register value for @p baud, or 0 when the peripheral cannot run at that rate.
constexpr uint32_t BaudrateValue(uint32_t baud) {
  switch (baud) {
    case 1200:
      return 0x0004F000;
    case 2400:
      return 0x0009D000;
    case 4800:
      return 0x0013B000;
    case 9600:
      return 0x00275000;
    case 14400:
      return 0x003B0000;
    case 19200:
      return 0x004EA000;
    case 28800:
      return 0x0075F000;
    case 38400:
      return 0x009D5000;
    case 57600:
      return 0x00EBF000;
    case 76800:
      return 0x013A9000;
    case 115200:
      return 0x01D7E000;
    case 230400:
      return 0x03AFB000;
    case 250000:
      return 0x04000000;
    case 460800:
      return 0x075F7000;
    case 921600:
      return 0x0EBED000;
    case 1000000:
      return 0x10000000;
    default:
      return 0;
  }
}

// The uart_err_check() flags for an ERRORSRC value (the same bits on the nRF51 UART and the
// nRF52 UART/UARTE: OVERRUN, PARITY, FRAMING, BREAK).
constexpr int UartErrors(uint32_t errorsrc) {
  return ((errorsrc & (1U << 0)) != 0U ? UART_ERROR_OVERRUN : 0) |
         ((errorsrc & (1U << 1)) != 0U ? UART_ERROR_PARITY : 0) |
         ((errorsrc & (1U << 2)) != 0U ? UART_ERROR_FRAMING : 0) |
         ((errorsrc & (1U << 3)) != 0U ? UART_BREAK : 0);
}

}  // namespace gale::drivers::nrf

#endif  // GALE_DRIVERS_SERIAL_NRF_BAUDRATE_H_
