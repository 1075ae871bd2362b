/*
 * Flagged singly-linked list (Zephyr's <zephyr/sys/sflist.h> API): the slist of slist.h, where
 * each node also carries two bits of user flags in the low bits of its next pointer (nodes are
 * at least 4-byte aligned, so those bits of a node address are always zero). List operations
 * never change a node's flags.
 *
 * Not thread safe: callers serialize access to a list shared between threads or with ISRs.
 * Names and contracts follow Zephyr 3.7's documented API; the implementation is Gale's own.
 */
#ifndef GALE_SYS_SFLIST_H_
#define GALE_SYS_SFLIST_H_

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <gale/sys/__assert.h>
#include <gale/toolchain.h>

#ifdef __cplusplus
extern "C" {
#endif

/** A list node: the next node's address with the node's flags in the two low bits. */
struct _sfnode {
  uintptr_t next_and_flags;
};
typedef struct _sfnode sys_sfnode_t;

/** A list: its first and last node, both NULL when empty. */
struct _sflist {
  sys_sfnode_t *head;
  sys_sfnode_t *tail;
};
typedef struct _sflist sys_sflist_t;

/** The bits of a node that hold its flags. */
#define SYS_SFLIST_FLAGS_MASK 0x3UL

BUILD_ASSERT(__alignof__(sys_sfnode_t) > SYS_SFLIST_FLAGS_MASK,
             "sflist nodes must be aligned enough to keep flags in the low address bits");

/** Static initializer of an empty list: `sys_sflist_t l = SYS_SFLIST_STATIC_INIT(&l);`. */
#define SYS_SFLIST_STATIC_INIT(ptr_to_list) \
  { NULL, NULL }

/** Iterates over the nodes of @p __sl; the body must not remove @p __sn. */
#define SYS_SFLIST_FOR_EACH_NODE(__sl, __sn) \
  for ((__sn) = sys_sflist_peek_head(__sl); (__sn) != NULL; (__sn) = sys_sflist_peek_next(__sn))

/** Iterates from the node after @p __sn (from the head when @p __sn is NULL) to the tail. */
#define SYS_SFLIST_ITERATE_FROM_NODE(__sl, __sn)                       \
  for ((__sn) = ((__sn) != NULL) ? sys_sflist_peek_next_no_check(__sn) \
                                 : sys_sflist_peek_head(__sl);         \
       (__sn) != NULL; (__sn) = sys_sflist_peek_next(__sn))

/** Iterates over the nodes, keeping the next in @p __sns so that the body may remove @p __sn. */
#define SYS_SFLIST_FOR_EACH_NODE_SAFE(__sl, __sn, __sns)                                          \
  for ((__sn) = sys_sflist_peek_head(__sl), (__sns) = sys_sflist_peek_next(__sn); (__sn) != NULL; \
       (__sn) = (__sns), (__sns) = sys_sflist_peek_next(__sn))

/** The structure of @p __cn's type holding node @p __ln in member @p __n; NULL for NULL. */
#define SYS_SFLIST_CONTAINER(__ln, __cn, __n) \
  (((__ln) != NULL) ? CONTAINER_OF((__ln), __typeof__(*(__cn)), __n) : NULL)

/** The container of the head of @p __sl, or NULL when the list is empty. */
#define SYS_SFLIST_PEEK_HEAD_CONTAINER(__sl, __cn, __n) \
  SYS_SFLIST_CONTAINER(sys_sflist_peek_head(__sl), __cn, __n)

/** The container of the tail of @p __sl, or NULL when the list is empty. */
#define SYS_SFLIST_PEEK_TAIL_CONTAINER(__sl, __cn, __n) \
  SYS_SFLIST_CONTAINER(sys_sflist_peek_tail(__sl), __cn, __n)

/** The container after @p __cn, or NULL at the tail or when @p __cn is NULL. */
#define SYS_SFLIST_PEEK_NEXT_CONTAINER(__cn, __n) \
  (((__cn) != NULL) ? SYS_SFLIST_CONTAINER(sys_sflist_peek_next(&((__cn)->__n)), __cn, __n) : NULL)

/** Iterates over the containers of the nodes; the body must not remove @p __cn. */
#define SYS_SFLIST_FOR_EACH_CONTAINER(__sl, __cn, __n)                           \
  for ((__cn) = SYS_SFLIST_PEEK_HEAD_CONTAINER(__sl, __cn, __n); (__cn) != NULL; \
       (__cn) = SYS_SFLIST_PEEK_NEXT_CONTAINER(__cn, __n))

/** Iterates over containers, keeping the next in @p __cns so the body may remove @p __cn. */
#define SYS_SFLIST_FOR_EACH_CONTAINER_SAFE(__sl, __cn, __cns, __n) \
  for ((__cn) = SYS_SFLIST_PEEK_HEAD_CONTAINER(__sl, __cn, __n),   \
      (__cns) = SYS_SFLIST_PEEK_NEXT_CONTAINER(__cn, __n);         \
       (__cn) != NULL; (__cn) = (__cns), (__cns) = SYS_SFLIST_PEEK_NEXT_CONTAINER(__cn, __n))

/* The next pointer without the flags, and setting it while keeping the flags. */
static inline sys_sfnode_t *gale_sfnode_next(const sys_sfnode_t *node) {
  return (sys_sfnode_t *)(node->next_and_flags & ~(uintptr_t)SYS_SFLIST_FLAGS_MASK);
}

static inline void gale_sfnode_next_set(sys_sfnode_t *node, sys_sfnode_t *next) {
  node->next_and_flags = (uintptr_t)next | (node->next_and_flags & SYS_SFLIST_FLAGS_MASK);
}

/** Makes @p list empty (without touching nodes it held). */
static inline void sys_sflist_init(sys_sflist_t *list) {
  list->head = NULL;
  list->tail = NULL;
}

/** @returns true when @p list holds no node. */
static inline bool sys_sflist_is_empty(const sys_sflist_t *list) {
  return list->head == NULL;
}

/** @returns the first node of @p list, or NULL when it is empty. */
static inline sys_sfnode_t *sys_sflist_peek_head(const sys_sflist_t *list) {
  return list->head;
}

/** @returns the last node of @p list, or NULL when it is empty. */
static inline sys_sfnode_t *sys_sflist_peek_tail(const sys_sflist_t *list) {
  return list->tail;
}

/**
 * Prepares @p node for use: no successor, flags @p flags. Call before a node's first use.
 * @pre @p flags fits SYS_SFLIST_FLAGS_MASK (asserted; without CONFIG_ASSERT other bits are
 * dropped).
 */
static inline void sys_sfnode_init(sys_sfnode_t *node, uint8_t flags) {
  __ASSERT((flags & ~SYS_SFLIST_FLAGS_MASK) == 0UL, "sflist flags 0x%x do not fit 0x3", flags);
  node->next_and_flags = (uintptr_t)flags & SYS_SFLIST_FLAGS_MASK;
}

/** @returns the flags of @p node. */
static inline uint8_t sys_sfnode_flags_get(const sys_sfnode_t *node) {
  return (uint8_t)(node->next_and_flags & SYS_SFLIST_FLAGS_MASK);
}

/**
 * Replaces the flags of @p node, which may be in a list.
 * @pre @p flags fits SYS_SFLIST_FLAGS_MASK (asserted; without CONFIG_ASSERT other bits are
 * dropped).
 */
static inline void sys_sfnode_flags_set(sys_sfnode_t *node, uint8_t flags) {
  __ASSERT((flags & ~SYS_SFLIST_FLAGS_MASK) == 0UL, "sflist flags 0x%x do not fit 0x3", flags);
  node->next_and_flags =
      (uintptr_t)gale_sfnode_next(node) | ((uintptr_t)flags & SYS_SFLIST_FLAGS_MASK);
}

/** @returns the node after @p node, or NULL at the tail. @pre @p node is not NULL. */
static inline sys_sfnode_t *sys_sflist_peek_next_no_check(const sys_sfnode_t *node) {
  return gale_sfnode_next(node);
}

/** @returns the node after @p node, or NULL at the tail or when @p node is NULL. */
static inline sys_sfnode_t *sys_sflist_peek_next(const sys_sfnode_t *node) {
  return (node != NULL) ? gale_sfnode_next(node) : NULL;
}

/** Inserts @p node before the head of @p list. @pre @p node is in no list. */
static inline void sys_sflist_prepend(sys_sflist_t *list, sys_sfnode_t *node) {
  gale_sfnode_next_set(node, list->head);
  list->head = node;
  if (list->tail == NULL) {
    list->tail = node;
  }
}

/** Inserts @p node after the tail of @p list. @pre @p node is in no list. */
static inline void sys_sflist_append(sys_sflist_t *list, sys_sfnode_t *node) {
  gale_sfnode_next_set(node, NULL);
  if (list->tail == NULL) {
    list->head = node;
  } else {
    gale_sfnode_next_set(list->tail, node);
  }
  list->tail = node;
}

/**
 * Appends the chain of sys_sfnode_t from @p head to @p tail (the tail's successor NULL) to
 * @p list. Nothing happens when @p head or @p tail is NULL.
 */
static inline void sys_sflist_append_list(sys_sflist_t *list, void *head, void *tail) {
  if (head == NULL || tail == NULL) {
    return;
  }
  if (list->tail == NULL) {
    list->head = (sys_sfnode_t *)head;
  } else {
    gale_sfnode_next_set(list->tail, (sys_sfnode_t *)head);
  }
  list->tail = (sys_sfnode_t *)tail;
}

/** Moves every node of @p list_to_append to the end of @p list, leaving @p list_to_append empty. */
static inline void sys_sflist_merge_slist(sys_sflist_t *list, sys_sflist_t *list_to_append) {
  sys_sflist_append_list(list, list_to_append->head, list_to_append->tail);
  sys_sflist_init(list_to_append);
}

/**
 * Inserts @p node after @p prev, or at the head when @p prev is NULL.
 * @pre @p prev is NULL or in @p list; @p node is in no list.
 */
static inline void sys_sflist_insert(sys_sflist_t *list, sys_sfnode_t *prev, sys_sfnode_t *node) {
  if (prev == NULL) {
    sys_sflist_prepend(list, node);
    return;
  }
  gale_sfnode_next_set(node, gale_sfnode_next(prev));
  gale_sfnode_next_set(prev, node);
  if (list->tail == prev) {
    list->tail = node;
  }
}

/** Removes and returns the head of @p list; its flags are kept. @pre @p list is not empty. */
static inline sys_sfnode_t *sys_sflist_get_not_empty(sys_sflist_t *list) {
  sys_sfnode_t *node = list->head;

  list->head = gale_sfnode_next(node);
  if (list->tail == node) {
    list->tail = NULL;
  }
  gale_sfnode_next_set(node, NULL);
  return node;
}

/** Removes and returns the head of @p list, or returns NULL when it is empty. */
static inline sys_sfnode_t *sys_sflist_get(sys_sflist_t *list) {
  return sys_sflist_is_empty(list) ? NULL : sys_sflist_get_not_empty(list);
}

/**
 * Removes @p node, whose predecessor is @p prev_node (NULL when @p node is the head); the
 * flags of both are kept.
 * @pre @p node is in @p list, right after @p prev_node.
 */
static inline void sys_sflist_remove(sys_sflist_t *list, sys_sfnode_t *prev_node,
                                     sys_sfnode_t *node) {
  if (prev_node == NULL) {
    list->head = gale_sfnode_next(node);
  } else {
    gale_sfnode_next_set(prev_node, gale_sfnode_next(node));
  }
  if (list->tail == node) {
    list->tail = prev_node;
  }
  gale_sfnode_next_set(node, NULL);
}

/**
 * Looks for @p node in @p list.
 *
 * @param prev if not NULL, receives the node before @p node (NULL when @p node is the head or
 *             is not in the list).
 * @retval true @p node is in @p list.
 * @retval false it is not.
 */
static inline bool sys_sflist_find(const sys_sflist_t *list, const sys_sfnode_t *node,
                                   sys_sfnode_t **prev) {
  sys_sfnode_t *before = NULL;

  for (sys_sfnode_t *n = list->head; n != NULL; n = gale_sfnode_next(n)) {
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
static inline bool sys_sflist_find_and_remove(sys_sflist_t *list, sys_sfnode_t *node) {
  sys_sfnode_t *prev = NULL;

  if (!sys_sflist_find(list, node, &prev)) {
    return false;
  }
  sys_sflist_remove(list, prev, node);
  return true;
}

/** @returns the number of nodes in @p list (a linear walk). */
static inline size_t sys_sflist_len(const sys_sflist_t *list) {
  size_t len = 0;

  for (const sys_sfnode_t *n = list->head; n != NULL; n = gale_sfnode_next(n)) {
    len++;
  }
  return len;
}

#ifdef __cplusplus
}
#endif

#endif /* GALE_SYS_SFLIST_H_ */
