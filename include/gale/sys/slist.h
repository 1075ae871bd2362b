/*
 * Singly-linked lists (Zephyr's sys_slist API): O(1) prepend, append and get; removal walks.
 * Nodes are embedded in the objects they link. None of these functions lock.
 */
#ifndef GALE_SYS_SLIST_H_
#define GALE_SYS_SLIST_H_

#include <stdbool.h>
#include <stddef.h>

#include <gale/toolchain.h>

#ifdef __cplusplus
extern "C" {
#endif

struct _snode {
  struct _snode *next;
};
typedef struct _snode sys_snode_t;

struct _slist {
  sys_snode_t *head;
  sys_snode_t *tail;
};
typedef struct _slist sys_slist_t;

#define SYS_SLIST_STATIC_INIT(ptr_to_list) {NULL, NULL}

#define SYS_SLIST_FOR_EACH_NODE(__sl, __sn) \
  for (__sn = sys_slist_peek_head(__sl); __sn != NULL; __sn = sys_slist_peek_next(__sn))

#define SYS_SLIST_ITERATE_FROM_NODE(__sl, __sn)                                      \
  for (__sn = __sn ? sys_slist_peek_next_no_check(__sn) : sys_slist_peek_head(__sl); \
       __sn != NULL; __sn = sys_slist_peek_next(__sn))

#define SYS_SLIST_FOR_EACH_NODE_SAFE(__sl, __sn, __sns)                                 \
  for (__sn = sys_slist_peek_head(__sl), __sns = sys_slist_peek_next(__sn); __sn != NULL; \
       __sn = __sns, __sns = sys_slist_peek_next(__sn))

#define SYS_SLIST_CONTAINER(__ln, __cn, __n) \
  ((__ln) != NULL ? CONTAINER_OF(__ln, __typeof__(*(__cn)), __n) : NULL)
#define SYS_SLIST_PEEK_HEAD_CONTAINER(__sl, __cn, __n) \
  SYS_SLIST_CONTAINER(sys_slist_peek_head(__sl), __cn, __n)
#define SYS_SLIST_PEEK_TAIL_CONTAINER(__sl, __cn, __n) \
  SYS_SLIST_CONTAINER(sys_slist_peek_tail(__sl), __cn, __n)
#define SYS_SLIST_PEEK_NEXT_CONTAINER(__cn, __n) \
  ((__cn) != NULL ? SYS_SLIST_CONTAINER(sys_slist_peek_next(&((__cn)->__n)), __cn, __n) : NULL)

#define SYS_SLIST_FOR_EACH_CONTAINER(__sl, __cn, __n)                        \
  for (__cn = SYS_SLIST_PEEK_HEAD_CONTAINER(__sl, __cn, __n); __cn != NULL; \
       __cn = SYS_SLIST_PEEK_NEXT_CONTAINER(__cn, __n))

#define SYS_SLIST_FOR_EACH_CONTAINER_SAFE(__sl, __cn, __cns, __n)                              \
  for (__cn = SYS_SLIST_PEEK_HEAD_CONTAINER(__sl, __cn, __n),                                   \
      __cns = SYS_SLIST_PEEK_NEXT_CONTAINER(__cn, __n);                                         \
       __cn != NULL; __cn = __cns, __cns = SYS_SLIST_PEEK_NEXT_CONTAINER(__cn, __n))

static inline void sys_slist_init(sys_slist_t *list) {
  list->head = NULL;
  list->tail = NULL;
}

static inline bool sys_slist_is_empty(const sys_slist_t *list) {
  return list->head == NULL;
}

static inline sys_snode_t *sys_slist_peek_head(const sys_slist_t *list) {
  return list->head;
}

static inline sys_snode_t *sys_slist_peek_tail(const sys_slist_t *list) {
  return list->tail;
}

static inline sys_snode_t *sys_slist_peek_next_no_check(const sys_snode_t *node) {
  return node->next;
}

static inline sys_snode_t *sys_slist_peek_next(const sys_snode_t *node) {
  return node != NULL ? node->next : NULL;
}

static inline void sys_slist_prepend(sys_slist_t *list, sys_snode_t *node) {
  node->next = list->head;
  list->head = node;
  if (list->tail == NULL) {
    list->tail = node;
  }
}

static inline void sys_slist_append(sys_slist_t *list, sys_snode_t *node) {
  node->next = NULL;
  if (list->tail == NULL) {
    list->head = node;
  } else {
    list->tail->next = node;
  }
  list->tail = node;
}

/** Append the chain @p head .. @p tail (already linked, tail's next ignored). */
static inline void sys_slist_append_list(sys_slist_t *list, void *head, void *tail) {
  if (head == NULL || tail == NULL) {
    return;
  }
  ((sys_snode_t *)tail)->next = NULL;
  if (list->tail == NULL) {
    list->head = (sys_snode_t *)head;
  } else {
    list->tail->next = (sys_snode_t *)head;
  }
  list->tail = (sys_snode_t *)tail;
}

/** Move every node of @p list_to_append to the end of @p list. */
static inline void sys_slist_merge_slist(sys_slist_t *list, sys_slist_t *list_to_append) {
  if (sys_slist_is_empty(list_to_append)) {
    return;
  }
  sys_slist_append_list(list, list_to_append->head, list_to_append->tail);
  sys_slist_init(list_to_append);
}

/** Insert @p node after @p prev (at the head when @p prev is NULL). */
static inline void sys_slist_insert(sys_slist_t *list, sys_snode_t *prev, sys_snode_t *node) {
  if (prev == NULL) {
    sys_slist_prepend(list, node);
  } else if (prev->next == NULL) {
    sys_slist_append(list, node);
  } else {
    node->next = prev->next;
    prev->next = node;
  }
}

/** Remove and return the head. @pre the list is not empty */
static inline sys_snode_t *sys_slist_get_not_empty(sys_slist_t *list) {
  sys_snode_t *node = list->head;

  list->head = node->next;
  if (list->tail == node) {
    list->tail = list->head;
  }
  return node;
}

/** Remove and return the head, or NULL. */
static inline sys_snode_t *sys_slist_get(sys_slist_t *list) {
  return sys_slist_is_empty(list) ? NULL : sys_slist_get_not_empty(list);
}

/** Remove @p node, whose predecessor is @p prev_node (NULL: @p node is the head). */
static inline void sys_slist_remove(sys_slist_t *list, sys_snode_t *prev_node,
                                    sys_snode_t *node) {
  if (prev_node == NULL) {
    list->head = node->next;
    if (list->tail == node) {
      list->tail = list->head;
    }
  } else {
    prev_node->next = node->next;
    if (list->tail == node) {
      list->tail = prev_node;
    }
  }
  node->next = NULL;
}

/** Find and remove @p node. @returns whether it was in the list. */
static inline bool sys_slist_find_and_remove(sys_slist_t *list, sys_snode_t *node) {
  sys_snode_t *prev = NULL;
  sys_snode_t *test;

  SYS_SLIST_FOR_EACH_NODE(list, test) {
    if (test == node) {
      sys_slist_remove(list, prev, node);
      return true;
    }
    prev = test;
  }
  return false;
}

/** Whether @p node is in @p list; its predecessor is stored in *@p prev when given. */
static inline bool sys_slist_find(const sys_slist_t *list, const sys_snode_t *node,
                                  sys_snode_t **prev) {
  sys_snode_t *p = NULL;
  sys_snode_t *test;

  SYS_SLIST_FOR_EACH_NODE(list, test) {
    if (test == node) {
      if (prev != NULL) {
        *prev = p;
      }
      return true;
    }
    p = test;
  }
  if (prev != NULL) {
    *prev = NULL;
  }
  return false;
}

static inline size_t sys_slist_len(const sys_slist_t *list) {
  size_t len = 0;
  const sys_snode_t *node;

  for (node = list->head; node != NULL; node = node->next) {
    len++;
  }
  return len;
}

#ifdef __cplusplus
}
#endif

#endif /* GALE_SYS_SLIST_H_ */
