// dlist.h: every operation, checked after each step by walking the list both ways (next links
// from the head must mirror prev links from the tail), plus the macros and a randomized run
// against a std::vector model.
#include <gale/sys/dlist.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <vector>

#include <zephyr/sys/dlist.h>  // the forwarding header names the same API

namespace {

struct Item {
  int value;
  sys_dnode_t node;
};

class Dlist : public ::testing::Test {
 protected:
  static constexpr int kItems = 8;

  void SetUp() override {
    sys_dlist_init(&list_);
    for (int i = 0; i < kItems; ++i) {
      items_[i].value = i;
      sys_dnode_init(&items_[i].node);
    }
  }

  sys_dnode_t *N(int i) { return &items_[i].node; }

  static int ValueOf(sys_dnode_t *node) { return CONTAINER_OF(node, Item, node)->value; }

  // Head-to-tail values, after checking that the tail-to-head walk is its mirror image and
  // that the predicates agree with the contents.
  std::vector<int> Values() {
    std::vector<int> forward;
    for (sys_dnode_t *n = sys_dlist_peek_head(&list_); n != nullptr;
         n = sys_dlist_peek_next(&list_, n)) {
      forward.push_back(ValueOf(n));
      EXPECT_TRUE(sys_dnode_is_linked(n));
      if (forward.size() > kItems) {
        ADD_FAILURE() << "cycle";
        break;
      }
    }
    std::vector<int> backward;
    for (sys_dnode_t *n = sys_dlist_peek_tail(&list_); n != nullptr;
         n = sys_dlist_peek_prev(&list_, n)) {
      backward.insert(backward.begin(), ValueOf(n));
      if (backward.size() > kItems) {
        ADD_FAILURE() << "cycle";
        break;
      }
    }
    EXPECT_EQ(forward, backward) << "prev links disagree with next links";
    EXPECT_EQ(sys_dlist_is_empty(&list_), forward.empty());
    EXPECT_EQ(sys_dlist_len(&list_), forward.size());
    EXPECT_EQ(sys_dlist_has_multiple_nodes(&list_), forward.size() > 1);
    if (!forward.empty()) {
      EXPECT_TRUE(sys_dlist_is_head(&list_, N(forward.front())));
      EXPECT_TRUE(sys_dlist_is_tail(&list_, N(forward.back())));
      EXPECT_EQ(sys_dlist_peek_head_not_empty(&list_), N(forward.front()));
    }
    return forward;
  }

  sys_dlist_t list_;
  Item items_[kItems];
};

TEST_F(Dlist, EmptyList) {
  sys_dlist_t fresh = SYS_DLIST_STATIC_INIT(&fresh);
  EXPECT_TRUE(sys_dlist_is_empty(&fresh));
  EXPECT_EQ(sys_dlist_peek_head(&fresh), nullptr);
  EXPECT_EQ(sys_dlist_peek_tail(&fresh), nullptr);
  EXPECT_EQ(sys_dlist_get(&fresh), nullptr);
  EXPECT_EQ(sys_dlist_len(&fresh), 0U);
  EXPECT_FALSE(sys_dlist_has_multiple_nodes(&fresh));
  EXPECT_EQ(Values(), (std::vector<int>{}));
  EXPECT_EQ(sys_dlist_peek_next(&list_, nullptr), nullptr);
  EXPECT_EQ(sys_dlist_peek_prev(&list_, nullptr), nullptr);
  sys_dnode_t node = SYS_DNODE_INIT;
  EXPECT_FALSE(sys_dnode_is_linked(&node));
}

TEST_F(Dlist, AppendPrependAndPeek) {
  sys_dlist_append(&list_, N(1));
  EXPECT_EQ(Values(), (std::vector<int>{1}));
  EXPECT_TRUE(sys_dlist_is_head(&list_, N(1)));
  EXPECT_TRUE(sys_dlist_is_tail(&list_, N(1)));
  sys_dlist_append(&list_, N(2));
  sys_dlist_prepend(&list_, N(0));
  sys_dlist_append(&list_, N(3));
  EXPECT_EQ(Values(), (std::vector<int>{0, 1, 2, 3}));
  EXPECT_EQ(sys_dlist_peek_next(&list_, N(3)), nullptr);
  EXPECT_EQ(sys_dlist_peek_prev(&list_, N(0)), nullptr);
  EXPECT_EQ(sys_dlist_peek_next_no_check(&list_, N(1)), N(2));
  EXPECT_EQ(sys_dlist_peek_prev_no_check(&list_, N(1)), N(0));
  EXPECT_FALSE(sys_dlist_is_head(&list_, N(1)));
  EXPECT_FALSE(sys_dlist_is_tail(&list_, N(1)));

  sys_dlist_t l2;
  sys_dlist_init(&l2);
  sys_dlist_prepend(&l2, N(5));  // into an empty list: head and tail
  EXPECT_EQ(sys_dlist_peek_tail(&l2), N(5));
  EXPECT_EQ(sys_dlist_peek_head(&l2), N(5));
}

TEST_F(Dlist, InsertBeforeHeadMiddleAndTail) {
  sys_dlist_append(&list_, N(2));
  sys_dlist_append(&list_, N(5));
  sys_dlist_insert(N(2), N(0));  // before the head: becomes the head
  sys_dlist_insert(N(2), N(1));  // middle
  sys_dlist_insert(N(5), N(4));  // before the tail
  EXPECT_EQ(Values(), (std::vector<int>{0, 1, 2, 4, 5}));
  EXPECT_TRUE(sys_dlist_is_head(&list_, N(0)));
}

int InsertBeforeGreater(sys_dnode_t *node, void *data) {
  return CONTAINER_OF(node, Item, node)->value > *static_cast<int *>(data) ? 1 : 0;
}

TEST_F(Dlist, InsertAtKeepsOrder) {
  for (int v : {4, 1, 6, 0, 3, 7, 2, 5}) {
    sys_dlist_insert_at(&list_, N(v), InsertBeforeGreater, &items_[v].value);
    const std::vector<int> values = Values();
    ASSERT_TRUE(std::is_sorted(values.begin(), values.end()));
  }
  EXPECT_EQ(Values(), (std::vector<int>{0, 1, 2, 3, 4, 5, 6, 7}));
}

TEST_F(Dlist, InsertAtWithNoMatchAppends) {
  sys_dlist_append(&list_, N(0));
  int never = 100;
  sys_dlist_insert_at(&list_, N(1), InsertBeforeGreater, &never);
  EXPECT_EQ(Values(), (std::vector<int>{0, 1}));
  int always = -1;
  sys_dlist_insert_at(&list_, N(2), InsertBeforeGreater, &always);
  EXPECT_EQ(Values(), (std::vector<int>{2, 0, 1}));
}

TEST_F(Dlist, RemoveHeadMiddleTailAndOnly) {
  for (int i = 0; i < 5; ++i) {
    sys_dlist_append(&list_, N(i));
  }
  sys_dlist_remove(N(2));
  EXPECT_FALSE(sys_dnode_is_linked(N(2)));
  EXPECT_EQ(Values(), (std::vector<int>{0, 1, 3, 4}));
  sys_dlist_remove(N(0));
  EXPECT_EQ(Values(), (std::vector<int>{1, 3, 4}));
  sys_dlist_remove(N(4));
  EXPECT_EQ(Values(), (std::vector<int>{1, 3}));
  sys_dlist_append(&list_, N(4));  // appending after a tail removal links correctly
  EXPECT_EQ(Values(), (std::vector<int>{1, 3, 4}));
  sys_dlist_remove(N(1));
  sys_dlist_remove(N(3));
  sys_dlist_remove(N(4));  // the only node
  EXPECT_EQ(Values(), (std::vector<int>{}));
  sys_dlist_append(&list_, N(2));  // a removed node can be reused
  EXPECT_EQ(Values(), (std::vector<int>{2}));
}

TEST_F(Dlist, GetRemovesFromTheHead) {
  for (int i = 0; i < 3; ++i) {
    sys_dlist_append(&list_, N(i));
  }
  EXPECT_EQ(sys_dlist_get(&list_), N(0));
  EXPECT_FALSE(sys_dnode_is_linked(N(0)));
  EXPECT_EQ(sys_dlist_get(&list_), N(1));
  EXPECT_EQ(sys_dlist_get(&list_), N(2));
  EXPECT_EQ(sys_dlist_get(&list_), nullptr);
  EXPECT_EQ(Values(), (std::vector<int>{}));
}

TEST_F(Dlist, IterationMacros) {
  for (int i = 0; i < 5; ++i) {
    sys_dlist_append(&list_, N(i));
  }
  std::vector<int> seen;
  sys_dnode_t *n;
  SYS_DLIST_FOR_EACH_NODE(&list_, n) {
    seen.push_back(ValueOf(n));
  }
  EXPECT_EQ(seen, (std::vector<int>{0, 1, 2, 3, 4}));

  seen.clear();
  n = nullptr;
  SYS_DLIST_ITERATE_FROM_NODE(&list_, n) {
    seen.push_back(ValueOf(n));
    if (ValueOf(n) == 1) {
      break;
    }
  }
  SYS_DLIST_ITERATE_FROM_NODE(&list_, n) {  // resumes after node 1
    seen.push_back(ValueOf(n));
  }
  EXPECT_EQ(seen, (std::vector<int>{0, 1, 2, 3, 4}));

  Item *item = nullptr;
  EXPECT_EQ(SYS_DLIST_PEEK_HEAD_CONTAINER(&list_, item, node), &items_[0]);
  EXPECT_EQ(SYS_DLIST_PEEK_NEXT_CONTAINER(&list_, &items_[3], node), &items_[4]);
  EXPECT_EQ(SYS_DLIST_PEEK_NEXT_CONTAINER(&list_, &items_[4], node), nullptr);
  EXPECT_EQ(SYS_DLIST_CONTAINER(static_cast<sys_dnode_t *>(nullptr), item, node), nullptr);
  seen.clear();
  SYS_DLIST_FOR_EACH_CONTAINER(&list_, item, node) {
    seen.push_back(item->value);
  }
  EXPECT_EQ(seen, (std::vector<int>{0, 1, 2, 3, 4}));
}

TEST_F(Dlist, SafeIterationMayRemoveTheCurrentNode) {
  for (int i = 0; i < 6; ++i) {
    sys_dlist_append(&list_, N(i));
  }
  sys_dlist_t removed;
  sys_dlist_init(&removed);
  sys_dnode_t *n;
  sys_dnode_t *next;
  SYS_DLIST_FOR_EACH_NODE_SAFE(&list_, n, next) {
    if (ValueOf(n) % 2 == 0) {
      sys_dlist_remove(n);
      sys_dlist_append(&removed, n);  // relinking n elsewhere must not derail the loop
    }
  }
  EXPECT_EQ(Values(), (std::vector<int>{1, 3, 5}));
  EXPECT_EQ(sys_dlist_len(&removed), 3U);

  Item *item;
  Item *item_next;
  SYS_DLIST_FOR_EACH_CONTAINER_SAFE(&list_, item, item_next, node) {
    sys_dlist_remove(&item->node);  // every node, the tail included
  }
  EXPECT_EQ(Values(), (std::vector<int>{}));
}

TEST_F(Dlist, RandomOperationsMatchAModel) {
  std::vector<int> model;
  uint32_t x = 12345;
  auto next_random = [&x] {
    x = x * 1103515245U + 12345U;
    return (x >> 16) & 0x7FFF;
  };
  for (int step = 0; step < 5000; ++step) {
    const int v = static_cast<int>(next_random() % kItems);
    const bool present = std::find(model.begin(), model.end(), v) != model.end();
    switch (next_random() % 5) {
      case 0:
        if (!present) {
          sys_dlist_append(&list_, N(v));
          model.push_back(v);
        }
        break;
      case 1:
        if (!present) {
          sys_dlist_prepend(&list_, N(v));
          model.insert(model.begin(), v);
        }
        break;
      case 2:
        if (!present && !model.empty()) {
          const size_t at = next_random() % model.size();
          sys_dlist_insert(N(model[at]), N(v));
          model.insert(model.begin() + static_cast<long>(at), v);
        }
        break;
      case 3:
        if (present) {
          sys_dlist_remove(N(v));
          model.erase(std::find(model.begin(), model.end(), v));
        }
        break;
      default: {
        sys_dnode_t *got = sys_dlist_get(&list_);
        if (model.empty()) {
          ASSERT_EQ(got, nullptr);
        } else {
          ASSERT_EQ(got, N(model.front()));
          model.erase(model.begin());
        }
        break;
      }
    }
    ASSERT_EQ(Values(), model) << "after step " << step;
  }
}

}  // namespace
