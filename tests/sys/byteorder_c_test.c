/* byteorder.h compiled as C11: constant swaps in static initializers, stores and loads. */
#include <stdint.h>
#include <string.h>

#include <zephyr/sys/byteorder.h>

#include "c_check.h"

static const uint16_t be_port = sys_cpu_to_be16(0x1F90);
static const uint32_t swapped = BSWAP_32(0x01020304);

int main(void) {
  uint8_t buf[9] = {0};
  uint8_t rev[4];

  CHECK(swapped == 0x04030201);
  memcpy(buf, &be_port, sizeof(be_port));
  CHECK(buf[0] == 0x1F && buf[1] == 0x90);
  sys_put_be32(0xCAFEF00D, &buf[1]);
  CHECK(buf[0] == 0x1F && buf[1] == 0xCA && buf[4] == 0x0D && buf[5] == 0);
  CHECK(sys_get_be32(&buf[1]) == 0xCAFEF00D && sys_get_le32(&buf[1]) == 0x0DF0FECA);
  sys_put_le64(0x0807060504030201ULL, &buf[1]);
  CHECK(buf[1] == 1 && buf[8] == 8 && sys_get_le64(&buf[1]) == 0x0807060504030201ULL);
  CHECK(sys_get_be16(&buf[1]) == 0x0102 && sys_get_le24(&buf[1]) == 0x030201);
  sys_memcpy_swap(rev, &buf[1], 4);
  CHECK(rev[0] == 4 && rev[3] == 1);
  sys_mem_swap(rev, 4);
  CHECK(rev[0] == 1 && rev[3] == 4);
  CHECK(sys_le16_to_cpu(sys_cpu_to_le16(0xBEEF)) == 0xBEEF);
  return CHECK_DONE();
}
