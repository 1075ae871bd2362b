/* slist.h compiled as C11: a queue of containers, every macro, removal while iterating. */
#include <stddef.h>

#include <zephyr/sys/slist.h>

#include "c_check.h"

struct item {
  int value;
  sys_snode_t node;
};

static sys_slist_t static_list = SYS_SLIST_STATIC_INIT(&static_list);

static int sum(sys_slist_t *list) {
  struct item *it;
  int total = 0;

  SYS_SLIST_FOR_EACH_CONTAINER(list, it, node) {
    total = total * 10 + it->value;
  }
  return total;
}

int main(void) {
  struct item items[5];
  sys_slist_t list;
  sys_slist_t other;
  sys_snode_t *n;
  sys_snode_t *next;
  sys_snode_t *prev = NULL;
  struct item *it;
  struct item *it_next;

  CHECK(sys_slist_is_empty(&static_list));
  sys_slist_init(&list);
  sys_slist_init(&other);
  for (int i = 0; i < 5; i++) {
    items[i].value = i + 1;
  }
  sys_slist_append(&list, &items[1].node);
  sys_slist_prepend(&list, &items[0].node);
  sys_slist_insert(&list, &items[1].node, &items[3].node);
  sys_slist_insert(&list, &items[1].node, &items[2].node);
  sys_slist_append(&other, &items[4].node);
  sys_slist_merge_slist(&list, &other);
  CHECK(sum(&list) == 12345);
  CHECK(sys_slist_len(&list) == 5 && sys_slist_is_empty(&other));
  CHECK(SYS_SLIST_PEEK_TAIL_CONTAINER(&list, it, node) == &items[4]);
  CHECK(SYS_SLIST_PEEK_NEXT_CONTAINER(&items[0], node) == &items[1]);
  CHECK(sys_slist_find(&list, &items[3].node, &prev) && prev == &items[2].node);

  /* Remove the middle, the head and the tail. */
  sys_slist_remove(&list, &items[1].node, &items[2].node);
  CHECK(sys_slist_get(&list) == &items[0].node);
  CHECK(sys_slist_find_and_remove(&list, &items[4].node));
  CHECK(!sys_slist_find_and_remove(&list, &items[4].node));
  CHECK(sum(&list) == 24);
  CHECK(sys_slist_peek_tail(&list) == &items[3].node);

  /* Safe iteration: remove each node as it is visited. */
  SYS_SLIST_FOR_EACH_NODE_SAFE(&list, n, next) {
    CHECK(sys_slist_get_not_empty(&list) == n);
    sys_slist_append(&other, n);
  }
  CHECK(sys_slist_is_empty(&list) && sys_slist_peek_tail(&list) == NULL);
  SYS_SLIST_FOR_EACH_CONTAINER_SAFE(&other, it, it_next, node) {
    if (it->value == 2) {
      sys_slist_find_and_remove(&other, &it->node);
    }
  }
  CHECK(sum(&other) == 4);
  n = NULL;
  SYS_SLIST_ITERATE_FROM_NODE(&other, n) {
    CHECK(n == &items[3].node);
  }
  SYS_SLIST_FOR_EACH_NODE(&other, n) {
    CHECK(SYS_SLIST_CONTAINER(n, it, node) == &items[3]);
  }
  sys_slist_append_list(&list, sys_slist_peek_head(&other), sys_slist_peek_tail(&other));
  CHECK(sys_slist_peek_head(&list) == &items[3].node);
  return CHECK_DONE();
}
