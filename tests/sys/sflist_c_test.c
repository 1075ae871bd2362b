/* sflist.h compiled as C11: the slist program with flags on every node, which must survive. */
#include <stddef.h>
#include <stdint.h>

#include <zephyr/sys/sflist.h>

#include "c_check.h"

struct item {
  int value;
  sys_sfnode_t node;
};

static sys_sflist_t static_list = SYS_SFLIST_STATIC_INIT(&static_list);

static int sum(sys_sflist_t *list) {
  struct item *it;
  int total = 0;

  SYS_SFLIST_FOR_EACH_CONTAINER(list, it, node) {
    CHECK(sys_sfnode_flags_get(&it->node) == (it->value - 1) % 4);
    total = total * 10 + it->value;
  }
  return total;
}

int main(void) {
  struct item items[5];
  sys_sflist_t list;
  sys_sflist_t other;
  sys_sfnode_t *n;
  sys_sfnode_t *next;
  sys_sfnode_t *prev = NULL;
  struct item *it;
  struct item *it_next;

  CHECK(sys_sflist_is_empty(&static_list));
  sys_sflist_init(&list);
  sys_sflist_init(&other);
  for (int i = 0; i < 5; i++) {
    items[i].value = i + 1;
    sys_sfnode_init(&items[i].node, (uint8_t)(i % 4));
  }
  sys_sflist_append(&list, &items[1].node);
  sys_sflist_prepend(&list, &items[0].node);
  sys_sflist_insert(&list, &items[1].node, &items[3].node);
  sys_sflist_insert(&list, &items[1].node, &items[2].node);
  sys_sflist_append(&other, &items[4].node);
  sys_sflist_merge_slist(&list, &other);
  CHECK(sum(&list) == 12345);
  CHECK(sys_sflist_len(&list) == 5 && sys_sflist_is_empty(&other));
  CHECK(SYS_SFLIST_PEEK_TAIL_CONTAINER(&list, it, node) == &items[4]);
  CHECK(SYS_SFLIST_PEEK_NEXT_CONTAINER(&items[0], node) == &items[1]);
  CHECK(sys_sflist_find(&list, &items[3].node, &prev) && prev == &items[2].node);

  /* Remove the middle, the head and the tail. */
  sys_sflist_remove(&list, &items[1].node, &items[2].node);
  CHECK(sys_sflist_get(&list) == &items[0].node);
  CHECK(sys_sflist_find_and_remove(&list, &items[4].node));
  CHECK(!sys_sflist_find_and_remove(&list, &items[4].node));
  CHECK(sum(&list) == 24);
  CHECK(sys_sflist_peek_tail(&list) == &items[3].node);

  /* Safe iteration: remove each node as it is visited. */
  SYS_SFLIST_FOR_EACH_NODE_SAFE(&list, n, next) {
    CHECK(sys_sflist_get_not_empty(&list) == n);
    sys_sflist_append(&other, n);
  }
  CHECK(sys_sflist_is_empty(&list) && sys_sflist_peek_tail(&list) == NULL);
  SYS_SFLIST_FOR_EACH_CONTAINER_SAFE(&other, it, it_next, node) {
    if (it->value == 2) {
      sys_sflist_find_and_remove(&other, &it->node);
    }
  }
  CHECK(sum(&other) == 4);
  n = NULL;
  SYS_SFLIST_ITERATE_FROM_NODE(&other, n) {
    CHECK(n == &items[3].node);
  }
  SYS_SFLIST_FOR_EACH_NODE(&other, n) {
    CHECK(SYS_SFLIST_CONTAINER(n, it, node) == &items[3]);
  }
  sys_sflist_append_list(&list, sys_sflist_peek_head(&other), sys_sflist_peek_tail(&other));
  CHECK(sys_sflist_peek_head(&list) == &items[3].node);
  sys_sfnode_flags_set(&items[3].node, 1);
  CHECK(sys_sfnode_flags_get(&items[3].node) == 1 && sys_sflist_peek_tail(&list) == &items[3].node);
  CHECK(sys_sfnode_flags_get(&items[0].node) == 0 && sys_sfnode_flags_get(&items[4].node) == 0);
  CHECK(sys_sfnode_flags_get(&items[2].node) == 2);
  return CHECK_DONE();
}
