// __assert.h, built twice: with CONFIG_ASSERT (a failed assertion prints its condition,
// location and message with printk, then calls assert_post_action) and without (nothing is
// evaluated). The test supplies printk and assert_post_action, which the kernel provides on
// target.
#include <gale/sys/__assert.h>

#include <gtest/gtest.h>

#include <cstdarg>
#include <cstdio>
#include <string>

#include <gale/sys/sflist.h>
#include <zephyr/sys/__assert.h>  // the forwarding header names the same API

namespace {

std::string printed;
int post_actions = 0;
std::string post_file;
unsigned int post_line = 0;

}  // namespace

extern "C" void printk(const char *fmt, ...) {
  char buf[256];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(buf, sizeof(buf), fmt, ap);
  va_end(ap);
  printed += buf;
}

extern "C" void assert_post_action(const char *file, unsigned int line) {
  ++post_actions;
  post_file = file;
  post_line = line;
}

namespace {

class Assert : public ::testing::Test {
 protected:
  void SetUp() override {
    printed.clear();
    post_actions = 0;
    post_file.clear();
    post_line = 0;
  }
};

struct Flags {
  unsigned int ready : 1;
};

#ifdef CONFIG_ASSERT

TEST_F(Assert, IsOn) {
  static_assert(__ASSERT_ON == 1);
}

TEST_F(Assert, PassingAssertionsAreSilent) {
  int x = 2;
  Flags f = {1};
  __ASSERT(x == 2, "x is %d", x);
  __ASSERT_NO_MSG(x > 0);
  __ASSERT_NO_MSG(f.ready);  // a bit-field condition
  EXPECT_EQ(printed, "");
  EXPECT_EQ(post_actions, 0);
}

TEST_F(Assert, FailureReportsConditionLocationAndMessage) {
  int x = 3;
  const unsigned int line = __LINE__ + 1;
  __ASSERT(x == 2, "x is %d, not %s", x, "two");
  EXPECT_EQ(printed, "ASSERTION FAIL [x == 2] @ " __FILE__ ":" + std::to_string(line) +
                         "\n\tx is 3, not two\n");
  EXPECT_EQ(post_actions, 1);
  EXPECT_EQ(post_file, __FILE__);
  EXPECT_EQ(post_line, line);
}

TEST_F(Assert, MessageWithoutArguments) {
  __ASSERT(1 + 1 == 3, "arithmetic");
  EXPECT_NE(printed.find("ASSERTION FAIL [1 + 1 == 3] @ "), std::string::npos);
  EXPECT_NE(printed.find("\n\tarithmetic\n"), std::string::npos);
}

TEST_F(Assert, NoMessage) {
  const unsigned int line = __LINE__ + 1;
  __ASSERT_NO_MSG(post_actions < 0);
  EXPECT_EQ(printed,
            "ASSERTION FAIL [post_actions < 0] @ " __FILE__ ":" + std::to_string(line) + "\n");
  EXPECT_EQ(post_actions, 1);
}

TEST_F(Assert, ConditionEvaluatedOnce) {
  int calls = 0;
  __ASSERT(++calls == 1, "");
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(post_actions, 0);
}

TEST_F(Assert, IsAStatement) {
  // Usable as the body of an unbraced if/else.
  int x = 0;
  if (x == 0)
    __ASSERT(x == 1, "in if");
  else
    __ASSERT_NO_MSG(false);
  EXPECT_EQ(post_actions, 1);
}

TEST_F(Assert, EvalRunsTheCheckedExpression) {
  int runs = 0;
  __ASSERT_EVAL(runs += 100, int r = ++runs, r == 1, "r is %d", r);
  EXPECT_EQ(runs, 1);
  EXPECT_EQ(post_actions, 0);
  __ASSERT_EVAL(runs += 100, int r = ++runs, r == 1, "r is %d", r);
  EXPECT_EQ(post_actions, 1);
  EXPECT_NE(printed.find("\tr is 2\n"), std::string::npos);
}

TEST_F(Assert, SflistRejectsFlagsOutsideTheMask) {
  sys_sfnode_t node;
  sys_sfnode_init(&node, 3);
  EXPECT_EQ(post_actions, 0);
  sys_sfnode_init(&node, 4);
  EXPECT_EQ(post_actions, 1);
  sys_sfnode_flags_set(&node, 8);
  EXPECT_EQ(post_actions, 2);
}

#else  // !CONFIG_ASSERT

TEST_F(Assert, IsOff) {
  static_assert(__ASSERT_ON == 0);
}

TEST_F(Assert, NothingIsEvaluated) {
  int calls = 0;
  Flags f = {0};
  __ASSERT(++calls == 5, "never %d", calls);
  __ASSERT_NO_MSG(++calls == 5);
  __ASSERT_NO_MSG(f.ready);  // a bit-field condition still compiles
  EXPECT_EQ(calls, 0);
  EXPECT_EQ(printed, "");
  EXPECT_EQ(post_actions, 0);
}

TEST_F(Assert, EvalRunsOnlyTheFirstExpression) {
  int first = 0;
  __ASSERT_EVAL(first += 1, int unused = 7, unused == 8, "");
  EXPECT_EQ(first, 1);
  EXPECT_EQ(post_actions, 0);
}

TEST_F(Assert, IsAStatement) {
  int x = 0;
  if (x == 0)
    __ASSERT(x == 1, "in if");
  else
    __ASSERT_NO_MSG(false);
  EXPECT_EQ(post_actions, 0);
}

#endif  // CONFIG_ASSERT

}  // namespace
