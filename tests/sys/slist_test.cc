// slist.h: the shared list behaviour (list_conformance.h) plus the iteration and container
// macros.
#include <gale/sys/slist.h>

#include <gtest/gtest.h>

#include <vector>

#include <zephyr/sys/slist.h>  // the forwarding header names the same API

#include "list_conformance.h"

namespace {

struct SlistTraits {
  using List = sys_slist_t;
  using Node = sys_snode_t;

  // A stale link in a fresh node: the operations must not trust what a node held before.
  static void NodeInit(Node *node, int) { node->next = node; }
  static List StaticInit() { return SYS_SLIST_STATIC_INIT(nullptr); }
  static int Flags(const Node *) { return 0; }
  static int ExpectedFlags(int) { return 0; }

  static void Init(List *l) { sys_slist_init(l); }
  static bool IsEmpty(const List *l) { return sys_slist_is_empty(l); }
  static Node *PeekHead(const List *l) { return sys_slist_peek_head(l); }
  static Node *PeekTail(const List *l) { return sys_slist_peek_tail(l); }
  static Node *PeekNext(const Node *n) { return sys_slist_peek_next(n); }
  static Node *PeekNextNoCheck(const Node *n) { return sys_slist_peek_next_no_check(n); }
  static void Prepend(List *l, Node *n) { sys_slist_prepend(l, n); }
  static void Append(List *l, Node *n) { sys_slist_append(l, n); }
  static void AppendList(List *l, void *h, void *t) { sys_slist_append_list(l, h, t); }
  static void Merge(List *l, List *o) { sys_slist_merge_slist(l, o); }
  static void Insert(List *l, Node *p, Node *n) { sys_slist_insert(l, p, n); }
  static Node *GetNotEmpty(List *l) { return sys_slist_get_not_empty(l); }
  static Node *Get(List *l) { return sys_slist_get(l); }
  static void Remove(List *l, Node *p, Node *n) { sys_slist_remove(l, p, n); }
  static bool Find(const List *l, const Node *n, Node **p) { return sys_slist_find(l, n, p); }
  static bool FindAndRemove(List *l, Node *n) { return sys_slist_find_and_remove(l, n); }
  static size_t Len(const List *l) { return sys_slist_len(l); }
};

}  // namespace

namespace gale::testing {
INSTANTIATE_TYPED_TEST_SUITE_P(Slist, ListConformance, SlistTraits);
}  // namespace gale::testing

namespace {

struct Item {
  int value;
  sys_snode_t node;
};

class SlistMacros : public ::testing::Test {
 protected:
  void SetUp() override {
    sys_slist_init(&list_);
    for (int i = 0; i < 5; ++i) {
      items_[i].value = i;
      sys_slist_append(&list_, &items_[i].node);
    }
  }

  std::vector<int> Values() {
    std::vector<int> values;
    Item *item;
    SYS_SLIST_FOR_EACH_CONTAINER(&list_, item, node) {
      values.push_back(item->value);
    }
    return values;
  }

  sys_slist_t list_;
  Item items_[5];
};

TEST_F(SlistMacros, ForEachNodeVisitsInOrder) {
  std::vector<sys_snode_t *> seen;
  sys_snode_t *n;
  SYS_SLIST_FOR_EACH_NODE(&list_, n) {
    seen.push_back(n);
  }
  ASSERT_EQ(seen.size(), 5U);
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(seen[i], &items_[i].node);
  }
  sys_slist_t empty = SYS_SLIST_STATIC_INIT(&empty);
  int visits = 0;
  SYS_SLIST_FOR_EACH_NODE(&empty, n) {
    ++visits;
  }
  EXPECT_EQ(visits, 0);
}

TEST_F(SlistMacros, IterateFromNodeResumesAfterIt) {
  sys_snode_t *n = nullptr;  // NULL: from the head
  std::vector<int> values;
  SYS_SLIST_ITERATE_FROM_NODE(&list_, n) {
    values.push_back(SYS_SLIST_CONTAINER(n, static_cast<Item *>(nullptr), node)->value);
    if (values.size() == 2) {
      break;
    }
  }
  EXPECT_EQ(values, (std::vector<int>{0, 1}));
  // Resume after the node where the first loop stopped.
  SYS_SLIST_ITERATE_FROM_NODE(&list_, n) {
    values.push_back(SYS_SLIST_CONTAINER(n, static_cast<Item *>(nullptr), node)->value);
  }
  EXPECT_EQ(values, (std::vector<int>{0, 1, 2, 3, 4}));
}

TEST_F(SlistMacros, SafeNodeIterationMayRemoveTheCurrentNode) {
  sys_slist_t removed;
  sys_slist_init(&removed);
  sys_snode_t *n;
  sys_snode_t *next;
  sys_snode_t *prev = nullptr;
  SYS_SLIST_FOR_EACH_NODE_SAFE(&list_, n, next) {
    Item *item = CONTAINER_OF(n, Item, node);
    if (item->value % 2 == 0) {
      sys_slist_remove(&list_, prev, n);
      sys_slist_append(&removed, n);  // relinking n must not derail the loop
    } else {
      prev = n;
    }
  }
  EXPECT_EQ(Values(), (std::vector<int>{1, 3}));
  EXPECT_EQ(sys_slist_peek_tail(&list_), &items_[3].node);
  EXPECT_EQ(sys_slist_len(&removed), 3U);

  // Removing every node, head first, empties the list.
  SYS_SLIST_FOR_EACH_NODE_SAFE(&list_, n, next) {
    EXPECT_EQ(sys_slist_get(&list_), n);
  }
  EXPECT_TRUE(sys_slist_is_empty(&list_));
}

TEST_F(SlistMacros, Containers) {
  Item *item = nullptr;
  EXPECT_EQ(SYS_SLIST_PEEK_HEAD_CONTAINER(&list_, item, node), &items_[0]);
  EXPECT_EQ(SYS_SLIST_PEEK_TAIL_CONTAINER(&list_, item, node), &items_[4]);
  EXPECT_EQ(SYS_SLIST_PEEK_NEXT_CONTAINER(&items_[1], node), &items_[2]);
  EXPECT_EQ(SYS_SLIST_PEEK_NEXT_CONTAINER(&items_[4], node), nullptr);
  item = nullptr;
  EXPECT_EQ(SYS_SLIST_PEEK_NEXT_CONTAINER(item, node), nullptr);
  EXPECT_EQ(SYS_SLIST_CONTAINER(static_cast<sys_snode_t *>(nullptr), item, node), nullptr);
  sys_slist_t empty;
  sys_slist_init(&empty);
  EXPECT_EQ(SYS_SLIST_PEEK_HEAD_CONTAINER(&empty, item, node), nullptr);
  EXPECT_EQ(SYS_SLIST_PEEK_TAIL_CONTAINER(&empty, item, node), nullptr);
}

TEST_F(SlistMacros, SafeContainerIterationMayRemoveTheCurrentContainer) {
  Item *item;
  Item *next;
  SYS_SLIST_FOR_EACH_CONTAINER_SAFE(&list_, item, next, node) {
    if (item->value != 2) {
      EXPECT_TRUE(sys_slist_find_and_remove(&list_, &item->node));
    }
  }
  EXPECT_EQ(Values(), (std::vector<int>{2}));
  EXPECT_EQ(sys_slist_peek_head(&list_), sys_slist_peek_tail(&list_));
}

}  // namespace
