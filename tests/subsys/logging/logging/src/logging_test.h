#ifndef LOGGING_TEST_H_
#define LOGGING_TEST_H_

#ifdef __cplusplus
extern "C" {
#endif

void beta_log_all(int n);
void cxx_log_all(int n);

#ifdef __cplusplus
}
#endif

#endif
