/*
 * picolibc's stdin/stdout/stderr on the Gale console, so printf() and puts() print where
 * printk() does. (On native_sim the host C library has its own standard streams.)
 */
#include <stdio.h>

#include <gale/sys/printk.h>

int z_printk_char_out(int c);

static int console_putc(char c, FILE *file) {
  (void)file;
  z_printk_char_out((unsigned char)c);
  return (unsigned char)c;
}

static int console_getc(FILE *file) {
  (void)file;
  return _FDEV_EOF;
}

static FILE console_stdout = FDEV_SETUP_STREAM(console_putc, NULL, NULL, _FDEV_SETUP_WRITE);
static FILE console_stdin = FDEV_SETUP_STREAM(NULL, console_getc, NULL, _FDEV_SETUP_READ);

FILE *const stdout = &console_stdout;
FILE *const stderr = &console_stdout;
FILE *const stdin = &console_stdin;
