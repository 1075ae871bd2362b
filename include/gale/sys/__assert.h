#ifndef TMP_ASSERT_H
#define TMP_ASSERT_H
#define __ASSERT(test, fmt, ...) ((void)sizeof(test))
#define __ASSERT_NO_MSG(test) ((void)sizeof(test))
#endif
