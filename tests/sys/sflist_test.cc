// sflist.h: the shared list behaviour (list_conformance.h) plus the iteration and container
// macros.
#include <gale/sys/sflist.h>

#include <gtest/gtest.h>

#include <vector>

#include <zephyr/sys/sflist.h>  // the forwarding header names the same API

#include "list_conformance.h"

namespace {

struct SflistTraits {
  using List = sys_sflist_t;
  using Node = sys_sfnode_t;

  // Every node gets flags from its value; a stale link is left in it on purpose: the
  // operations must not trust what a node held before.
  static void NodeInit(Node *node, int value) {
    sys_sfnode_init(node, static_cast<uint8_t>(ExpectedFlags(value)));
    node->next_and_flags |= reinterpret_cast<uintptr_t>(node);
  }
  static List StaticInit() { return SYS_SFLIST_STATIC_INIT(nullptr); }
  static int Flags(const Node *n) { return sys_sfnode_flags_get(n); }
  static int ExpectedFlags(int value) { return value % 4; }

  static void Init(List *l) { sys_sflist_init(l); }
  static bool IsEmpty(const List *l) { return sys_sflist_is_empty(l); }
  static Node *PeekHead(const List *l) { return sys_sflist_peek_head(l); }
  static Node *PeekTail(const List *l) { return sys_sflist_peek_tail(l); }
  static Node *PeekNext(const Node *n) { return sys_sflist_peek_next(n); }
  static Node *PeekNextNoCheck(const Node *n) { return sys_sflist_peek_next_no_check(n); }
  static void Prepend(List *l, Node *n) { sys_sflist_prepend(l, n); }
  static void Append(List *l, Node *n) { sys_sflist_append(l, n); }
  static void AppendList(List *l, void *h, void *t) { sys_sflist_append_list(l, h, t); }
  static void Merge(List *l, List *o) { sys_sflist_merge_slist(l, o); }
  static void Insert(List *l, Node *p, Node *n) { sys_sflist_insert(l, p, n); }
  static Node *GetNotEmpty(List *l) { return sys_sflist_get_not_empty(l); }
  static Node *Get(List *l) { return sys_sflist_get(l); }
  static void Remove(List *l, Node *p, Node *n) { sys_sflist_remove(l, p, n); }
  static bool Find(const List *l, const Node *n, Node **p) { return sys_sflist_find(l, n, p); }
  static bool FindAndRemove(List *l, Node *n) { return sys_sflist_find_and_remove(l, n); }
  static size_t Len(const List *l) { return sys_sflist_len(l); }
};

}  // namespace

namespace gale::testing {
INSTANTIATE_TYPED_TEST_SUITE_P(Sflist, ListConformance, SflistTraits);
}  // namespace gale::testing

namespace {

struct Item {
  int value;
  sys_sfnode_t node;
};

class SflistMacros : public ::testing::Test {
 protected:
  void SetUp() override {
    sys_sflist_init(&list_);
    for (int i = 0; i < 5; ++i) {
      items_[i].value = i;
      sys_sfnode_init(&items_[i].node, static_cast<uint8_t>(i % 4));
      sys_sflist_append(&list_, &items_[i].node);
    }
  }

  std::vector<int> Values() {
    std::vector<int> values;
    Item *item;
    SYS_SFLIST_FOR_EACH_CONTAINER(&list_, item, node) {
      EXPECT_EQ(sys_sfnode_flags_get(&item->node), item->value % 4);
      values.push_back(item->value);
    }
    return values;
  }

  sys_sflist_t list_;
  Item items_[5];
};

TEST_F(SflistMacros, ForEachNodeVisitsInOrder) {
  std::vector<sys_sfnode_t *> seen;
  sys_sfnode_t *n;
  SYS_SFLIST_FOR_EACH_NODE(&list_, n) {
    seen.push_back(n);
  }
  ASSERT_EQ(seen.size(), 5U);
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(seen[i], &items_[i].node);
  }
  sys_sflist_t empty = SYS_SFLIST_STATIC_INIT(&empty);
  int visits = 0;
  SYS_SFLIST_FOR_EACH_NODE(&empty, n) {
    ++visits;
  }
  EXPECT_EQ(visits, 0);
}

TEST_F(SflistMacros, IterateFromNodeResumesAfterIt) {
  sys_sfnode_t *n = nullptr;  // NULL: from the head
  std::vector<int> values;
  SYS_SFLIST_ITERATE_FROM_NODE(&list_, n) {
    values.push_back(SYS_SFLIST_CONTAINER(n, static_cast<Item *>(nullptr), node)->value);
    if (values.size() == 2) {
      break;
    }
  }
  EXPECT_EQ(values, (std::vector<int>{0, 1}));
  // Resume after the node where the first loop stopped.
  SYS_SFLIST_ITERATE_FROM_NODE(&list_, n) {
    values.push_back(SYS_SFLIST_CONTAINER(n, static_cast<Item *>(nullptr), node)->value);
  }
  EXPECT_EQ(values, (std::vector<int>{0, 1, 2, 3, 4}));
}

TEST_F(SflistMacros, SafeNodeIterationMayRemoveTheCurrentNode) {
  sys_sflist_t removed;
  sys_sflist_init(&removed);
  sys_sfnode_t *n;
  sys_sfnode_t *next;
  sys_sfnode_t *prev = nullptr;
  SYS_SFLIST_FOR_EACH_NODE_SAFE(&list_, n, next) {
    Item *item = CONTAINER_OF(n, Item, node);
    if (item->value % 2 == 0) {
      sys_sflist_remove(&list_, prev, n);
      sys_sflist_append(&removed, n);  // relinking n must not derail the loop
    } else {
      prev = n;
    }
  }
  EXPECT_EQ(Values(), (std::vector<int>{1, 3}));
  EXPECT_EQ(sys_sflist_peek_tail(&list_), &items_[3].node);
  EXPECT_EQ(sys_sflist_len(&removed), 3U);

  // Removing every node, head first, empties the list.
  SYS_SFLIST_FOR_EACH_NODE_SAFE(&list_, n, next) {
    EXPECT_EQ(sys_sflist_get(&list_), n);
  }
  EXPECT_TRUE(sys_sflist_is_empty(&list_));
}

TEST_F(SflistMacros, Containers) {
  Item *item = nullptr;
  EXPECT_EQ(SYS_SFLIST_PEEK_HEAD_CONTAINER(&list_, item, node), &items_[0]);
  EXPECT_EQ(SYS_SFLIST_PEEK_TAIL_CONTAINER(&list_, item, node), &items_[4]);
  EXPECT_EQ(SYS_SFLIST_PEEK_NEXT_CONTAINER(&items_[1], node), &items_[2]);
  EXPECT_EQ(SYS_SFLIST_PEEK_NEXT_CONTAINER(&items_[4], node), nullptr);
  item = nullptr;
  EXPECT_EQ(SYS_SFLIST_PEEK_NEXT_CONTAINER(item, node), nullptr);
  EXPECT_EQ(SYS_SFLIST_CONTAINER(static_cast<sys_sfnode_t *>(nullptr), item, node), nullptr);
  sys_sflist_t empty;
  sys_sflist_init(&empty);
  EXPECT_EQ(SYS_SFLIST_PEEK_HEAD_CONTAINER(&empty, item, node), nullptr);
  EXPECT_EQ(SYS_SFLIST_PEEK_TAIL_CONTAINER(&empty, item, node), nullptr);
}

TEST_F(SflistMacros, SafeContainerIterationMayRemoveTheCurrentContainer) {
  Item *item;
  Item *next;
  SYS_SFLIST_FOR_EACH_CONTAINER_SAFE(&list_, item, next, node) {
    if (item->value != 2) {
      EXPECT_TRUE(sys_sflist_find_and_remove(&list_, &item->node));
    }
  }
  EXPECT_EQ(Values(), (std::vector<int>{2}));
  EXPECT_EQ(sys_sflist_peek_head(&list_), sys_sflist_peek_tail(&list_));
}

TEST(Sflist, NodeInitSetsFlagsAndClearsTheLink) {
  sys_sfnode_t node;
  node.next_and_flags = ~uintptr_t{0};
  sys_sfnode_init(&node, 2);
  EXPECT_EQ(sys_sfnode_flags_get(&node), 2);
  EXPECT_EQ(sys_sflist_peek_next(&node), nullptr);
  sys_sfnode_init(&node, 0);
  EXPECT_EQ(sys_sfnode_flags_get(&node), 0);
  EXPECT_EQ(SYS_SFLIST_FLAGS_MASK, 0x3UL);
}

TEST_F(SflistMacros, FlagsSetInTheListKeepTheLinks) {
  for (int i = 0; i < 5; ++i) {
    sys_sfnode_flags_set(&items_[i].node, static_cast<uint8_t>(3 - i % 4));
  }
  int i = 0;
  sys_sfnode_t *n;
  SYS_SFLIST_FOR_EACH_NODE(&list_, n) {
    EXPECT_EQ(n, &items_[i].node);
    EXPECT_EQ(sys_sfnode_flags_get(n), 3 - i % 4);
    ++i;
  }
  EXPECT_EQ(i, 5);
  EXPECT_EQ(sys_sflist_peek_tail(&list_), &items_[4].node);
}

TEST_F(SflistMacros, RemovedNodesKeepTheirFlags) {
  EXPECT_EQ(sys_sflist_get(&list_), &items_[0].node);
  EXPECT_TRUE(sys_sflist_find_and_remove(&list_, &items_[3].node));
  sys_sflist_remove(&list_, &items_[1].node, &items_[2].node);
  EXPECT_EQ(sys_sfnode_flags_get(&items_[0].node), 0);
  EXPECT_EQ(sys_sfnode_flags_get(&items_[2].node), 2);
  EXPECT_EQ(sys_sfnode_flags_get(&items_[3].node), 3);
  EXPECT_EQ(sys_sflist_peek_next(&items_[3].node), nullptr);
  EXPECT_EQ(Values(), (std::vector<int>{1, 4}));
  // A removed node goes back in with its flags.
  sys_sflist_insert(&list_, &items_[1].node, &items_[3].node);
  EXPECT_EQ(Values(), (std::vector<int>{1, 3, 4}));
  EXPECT_EQ(sys_sfnode_flags_get(&items_[3].node), 3);
}

}  // namespace
