/* dlist.h compiled as C11: a sorted insertion, removal while iterating, the macros. */
#include <stddef.h>

#include <zephyr/sys/dlist.h>

#include "c_check.h"

struct item {
  int value;
  sys_dnode_t node;
};

static sys_dlist_t static_list = SYS_DLIST_STATIC_INIT(&static_list);

static int before_greater(sys_dnode_t *node, void *data) {
  return CONTAINER_OF(node, struct item, node)->value > *(int *)data;
}

static int digits(sys_dlist_t *list) {
  struct item *it;
  int total = 0;

  SYS_DLIST_FOR_EACH_CONTAINER(list, it, node) {
    total = total * 10 + it->value;
  }
  return total;
}

int main(void) {
  struct item items[5];
  sys_dnode_t *n;
  sys_dnode_t *next;
  struct item *it;
  struct item *it_next;
  const int order[5] = {3, 1, 4, 5, 2};

  CHECK(sys_dlist_is_empty(&static_list) && sys_dlist_peek_head(&static_list) == NULL);
  for (int i = 0; i < 5; i++) {
    struct item *x = &items[order[i] - 1];

    x->value = order[i];
    sys_dnode_init(&x->node);
    sys_dlist_insert_at(&static_list, &x->node, before_greater, &x->value);
  }
  CHECK(digits(&static_list) == 12345 && sys_dlist_len(&static_list) == 5);
  CHECK(sys_dlist_peek_prev(&static_list, &items[0].node) == NULL);
  CHECK(sys_dlist_peek_prev(&static_list, &items[4].node) == &items[3].node);
  CHECK(SYS_DLIST_PEEK_HEAD_CONTAINER(&static_list, it, node) == &items[0]);

  SYS_DLIST_FOR_EACH_NODE_SAFE(&static_list, n, next) {
    if (CONTAINER_OF(n, struct item, node)->value % 2 == 1) {
      sys_dlist_remove(n);
    }
  }
  CHECK(digits(&static_list) == 24 && !sys_dnode_is_linked(&items[0].node));
  sys_dlist_prepend(&static_list, &items[0].node);
  sys_dlist_insert(&items[3].node, &items[2].node);
  CHECK(digits(&static_list) == 1234 && sys_dlist_is_tail(&static_list, &items[3].node));
  n = NULL;
  SYS_DLIST_ITERATE_FROM_NODE(&static_list, n) {
    if (n == &items[1].node) {
      break;
    }
  }
  CHECK(sys_dlist_peek_next(&static_list, n) == &items[2].node);
  SYS_DLIST_FOR_EACH_CONTAINER_SAFE(&static_list, it, it_next, node) {
    CHECK(sys_dlist_get(&static_list) == &it->node);
  }
  CHECK(sys_dlist_is_empty(&static_list) && !sys_dlist_has_multiple_nodes(&static_list));
  return CHECK_DONE();
}
