/*
 * Singly-linked list (Zephyr's <zephyr/sys/slist.h> API): intrusive nodes embedded in the
 * caller's structures, O(1) access to head and tail, O(1) prepend, append and removal of the
 * head; removing any other node needs its predecessor, found by a linear walk.
 *
 * Not thread safe: callers serialize access to a list shared between threads or with ISRs.
 * Names and contracts follow Zephyr 3.7's documented API; the implementation is Gale's own.
 */
#ifndef GALE_SYS_SLIST_H_
#define GALE_SYS_SLIST_H_

#include <stdbool.h>
#include <stddef.h>

#include <gale/toolchain.h>

#ifdef __cplusplus
extern "C" {
#endif

/** A list node, embedded in the structure that is listed. */
struct _snode {
  struct _snode *next;
};
typedef struct _snode sys_snode_t;

/** A list: its first and last node, both NULL when empty. */
struct _slist {
  sys_snode_t *head;
  sys_snode_t *tail;
};
typedef struct _slist sys_slist_t;

/** Static initializer of an empty list: `sys_slist_t l = SYS_SLIST_STATIC_INIT(&l);`. */
#define SYS_SLIST_STATIC_INIT(ptr_to_list) \
  { NULL, NULL }

/**
 * Iterates over the nodes of @p __sl, setting `sys_snode_t *` @p __sn to each in turn.
 * The loop body must not remove @p __sn: use SYS_SLIST_FOR_EACH_NODE_SAFE for that.
 */
#define SYS_SLIST_FOR_EACH_NODE(__sl, __sn) \
  for ((__sn) = sys_slist_peek_head(__sl); (__sn) != NULL; (__sn) = sys_slist_peek_next(__sn))

/**
 * Iterates from the node after @p __sn to the tail; from the head when @p __sn is NULL. Lets a
 * search resume where it stopped. The body must not remove @p __sn.
 */
#define SYS_SLIST_ITERATE_FROM_NODE(__sl, __sn)                                                    \
  for ((__sn) = ((__sn) != NULL) ? sys_slist_peek_next_no_check(__sn) : sys_slist_peek_head(__sl); \
       (__sn) != NULL; (__sn) = sys_slist_peek_next(__sn))

/**
 * Iterates like SYS_SLIST_FOR_EACH_NODE, keeping the next node in @p __sns beforehand so that
 * the body may remove (or reuse) @p __sn.
 */
#define SYS_SLIST_FOR_EACH_NODE_SAFE(__sl, __sn, __sns)                                         \
  for ((__sn) = sys_slist_peek_head(__sl), (__sns) = sys_slist_peek_next(__sn); (__sn) != NULL; \
       (__sn) = (__sns), (__sns) = sys_slist_peek_next(__sn))

/**
 * The structure of the type @p __cn points to that holds node @p __ln in its member @p __n, or
 * NULL when @p __ln is NULL. @p __cn is only used for its type.
 */
#define SYS_SLIST_CONTAINER(__ln, __cn, __n) \
  (((__ln) != NULL) ? CONTAINER_OF((__ln), __typeof__(*(__cn)), __n) : NULL)

/** The container of the head of @p __sl, or NULL when the list is empty. */
#define SYS_SLIST_PEEK_HEAD_CONTAINER(__sl, __cn, __n) \
  SYS_SLIST_CONTAINER(sys_slist_peek_head(__sl), __cn, __n)

/** The container of the tail of @p __sl, or NULL when the list is empty. */
#define SYS_SLIST_PEEK_TAIL_CONTAINER(__sl, __cn, __n) \
  SYS_SLIST_CONTAINER(sys_slist_peek_tail(__sl), __cn, __n)

/** The container after container @p __cn, or NULL at the tail or when @p __cn is NULL. */
#define SYS_SLIST_PEEK_NEXT_CONTAINER(__cn, __n) \
  (((__cn) != NULL) ? SYS_SLIST_CONTAINER(sys_slist_peek_next(&((__cn)->__n)), __cn, __n) : NULL)

/**
 * Iterates over the containers of the nodes of @p __sl; @p __n names the node member. The body
 * must not remove @p __cn: use SYS_SLIST_FOR_EACH_CONTAINER_SAFE for that.
 */
#define SYS_SLIST_FOR_EACH_CONTAINER(__sl, __cn, __n)                           \
  for ((__cn) = SYS_SLIST_PEEK_HEAD_CONTAINER(__sl, __cn, __n); (__cn) != NULL; \
       (__cn) = SYS_SLIST_PEEK_NEXT_CONTAINER(__cn, __n))

/** Iterates over containers, keeping the next one in @p __cns so the body may remove @p __cn. */
#define SYS_SLIST_FOR_EACH_CONTAINER_SAFE(__sl, __cn, __cns, __n) \
  for ((__cn) = SYS_SLIST_PEEK_HEAD_CONTAINER(__sl, __cn, __n),   \
      (__cns) = SYS_SLIST_PEEK_NEXT_CONTAINER(__cn, __n);         \
       (__cn) != NULL; (__cn) = (__cns), (__cns) = SYS_SLIST_PEEK_NEXT_CONTAINER(__cn, __n))

/** Makes @p list empty (without touching nodes it held). @pre any context. */
static inline void sys_slist_init(sys_slist_t *list) {
  list->head = NULL;
  list->tail = NULL;
}

/** @returns true when @p list holds no node. */
static inline bool sys_slist_is_empty(const sys_slist_t *list) {
  return list->head == NULL;
}

/** @returns the first node of @p list, or NULL when it is empty. */
static inline sys_snode_t *sys_slist_peek_head(const sys_slist_t *list) {
  return list->head;
}

/** @returns the last node of @p list, or NULL when it is empty. */
static inline sys_snode_t *sys_slist_peek_tail(const sys_slist_t *list) {
  return list->tail;
}

/** @returns the node after @p node, or NULL at the tail. @pre @p node is not NULL. */
static inline sys_snode_t *sys_slist_peek_next_no_check(const sys_snode_t *node) {
  return node->next;
}

/** @returns the node after @p node, or NULL at the tail or when @p node is NULL. */
static inline sys_snode_t *sys_slist_peek_next(const sys_snode_t *node) {
  return (node != NULL) ? node->next : NULL;
}

/** Inserts @p node before the head of @p list. @pre @p node is in no list. */
static inline void sys_slist_prepend(sys_slist_t *list, sys_snode_t *node) {
  node->next = list->head;
  list->head = node;
  if (list->tail == NULL) {
    list->tail = node;
  }
}

/** Inserts @p node after the tail of @p list. @pre @p node is in no list. */
static inline void sys_slist_append(sys_slist_t *list, sys_snode_t *node) {
  node->next = NULL;
  if (list->tail == NULL) {
    list->head = node;
  } else {
    list->tail->next = node;
  }
  list->tail = node;
}

/**
 * Appends the chain of nodes from @p head to @p tail (each node's first member the pointer to
 * the next, the tail's NULL) to @p list. Nothing happens when @p head or @p tail is NULL.
 */
static inline void sys_slist_append_list(sys_slist_t *list, void *head, void *tail) {
  if (head == NULL || tail == NULL) {
    return;
  }
  if (list->tail == NULL) {
    list->head = (sys_snode_t *)head;
  } else {
    list->tail->next = (sys_snode_t *)head;
  }
  list->tail = (sys_snode_t *)tail;
}

/** Moves every node of @p list_to_append to the end of @p list, leaving @p list_to_append empty. */
static inline void sys_slist_merge_slist(sys_slist_t *list, sys_slist_t *list_to_append) {
  sys_slist_append_list(list, list_to_append->head, list_to_append->tail);
  sys_slist_init(list_to_append);
}

/**
 * Inserts @p node after @p prev, or at the head when @p prev is NULL.
 * @pre @p prev is NULL or in @p list; @p node is in no list.
 */
static inline void sys_slist_insert(sys_slist_t *list, sys_snode_t *prev, sys_snode_t *node) {
  if (prev == NULL) {
    sys_slist_prepend(list, node);
    return;
  }
  node->next = prev->next;
  prev->next = node;
  if (list->tail == prev) {
    list->tail = node;
  }
}

/** Removes and returns the head of @p list. @pre @p list is not empty. */
static inline sys_snode_t *sys_slist_get_not_empty(sys_slist_t *list) {
  sys_snode_t *node = list->head;

  list->head = node->next;
  if (list->tail == node) {
    list->tail = NULL;
  }
  node->next = NULL;
  return node;
}

/** Removes and returns the head of @p list, or returns NULL when it is empty. */
static inline sys_snode_t *sys_slist_get(sys_slist_t *list) {
  return sys_slist_is_empty(list) ? NULL : sys_slist_get_not_empty(list);
}

/**
 * Removes @p node, whose predecessor is @p prev_node (NULL when @p node is the head).
 * @pre @p node is in @p list, right after @p prev_node.
 */
static inline void sys_slist_remove(sys_slist_t *list, sys_snode_t *prev_node, sys_snode_t *node) {
  if (prev_node == NULL) {
    list->head = node->next;
  } else {
    prev_node->next = node->next;
  }
  if (list->tail == node) {
    list->tail = prev_node;
  }
  node->next = NULL;
}

/**
 * Looks for @p node in @p list.
 *
 * @param prev if not NULL, receives the node before @p node (NULL when @p node is the head or
 *             is not in the list).
 * @retval true @p node is in @p list.
 * @retval false it is not.
 */
static inline bool sys_slist_find(const sys_slist_t *list, const sys_snode_t *node,
                                  sys_snode_t **prev) {
  sys_snode_t *before = NULL;

  for (sys_snode_t *n = list->head; n != NULL; n = n->next) {
    if (n == node) {
      if (prev != NULL) {
        *prev = before;
      }
      return true;
    }
    before = n;
  }
  if (prev != NULL) {
    *prev = NULL;
  }
  return false;
}

/**
 * Removes @p node from @p list if it is there (a linear walk).
 *
 * @retval true @p node was in @p list and has been removed.
 * @retval false it was not in @p list; nothing changed.
 */
static inline bool sys_slist_find_and_remove(sys_slist_t *list, sys_snode_t *node) {
  sys_snode_t *prev = NULL;

  if (!sys_slist_find(list, node, &prev)) {
    return false;
  }
  sys_slist_remove(list, prev, node);
  return true;
}

/** @returns the number of nodes in @p list (a linear walk). */
static inline size_t sys_slist_len(const sys_slist_t *list) {
  size_t len = 0;

  for (const sys_snode_t *n = list->head; n != NULL; n = n->next) {
    len++;
  }
  return len;
}

#ifdef __cplusplus
}
#endif

#endif /* GALE_SYS_SLIST_H_ */
