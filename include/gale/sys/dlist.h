/*
 * Doubly-linked circular lists (Zephyr's sys_dlist API). A list is a node whose next and prev
 * point at the first and last elements, or at itself when empty, so insertion and removal
 * never branch on the list's ends. Nodes are embedded in the objects they link.
 *
 * None of these functions lock: callers serialise access (the kernel does so with interrupts
 * locked). The constant-time ones are always inlined: they are a few instructions, fewer than
 * a call, and at -Os GCC would otherwise sometimes call them out of line from the scheduler.
 */
#ifndef GALE_SYS_DLIST_H_
#define GALE_SYS_DLIST_H_

#include <stdbool.h>
#include <stddef.h>

#include <gale/toolchain.h>

#ifdef __cplusplus
extern "C" {
#endif

struct _dnode {
  union {
    struct _dnode *head; /* when the node is a list: its first element */
    struct _dnode *next; /* when the node is an element: the one after it */
  };
  union {
    struct _dnode *tail; /* list: last element */
    struct _dnode *prev; /* element: the one before it */
  };
};

typedef struct _dnode sys_dlist_t;
typedef struct _dnode sys_dnode_t;

/** Static initialiser of the list @p ptr_to_list (an empty list points at itself). */
#define SYS_DLIST_STATIC_INIT(ptr_to_list) {{(ptr_to_list)}, {(ptr_to_list)}}

/** Iterate with @p __dn over the nodes of @p __dl. The list must not change meanwhile. */
#define SYS_DLIST_FOR_EACH_NODE(__dl, __dn)                                   \
  for (__dn = sys_dlist_peek_head(__dl); __dn != NULL;                        \
       __dn = sys_dlist_peek_next(__dl, __dn))

/** Iterate from the node after @p __dn (or the head when @p __dn is NULL). */
#define SYS_DLIST_ITERATE_FROM_NODE(__dl, __dn)                                         \
  for (__dn = __dn ? sys_dlist_peek_next_no_check(__dl, __dn) : sys_dlist_peek_head(__dl); \
       __dn != NULL; __dn = sys_dlist_peek_next(__dl, __dn))

/** Iterate with @p __dn over the nodes of @p __dl; @p __dn may be removed in the body. */
#define SYS_DLIST_FOR_EACH_NODE_SAFE(__dl, __dn, __dns)                         \
  for (__dn = sys_dlist_peek_head(__dl),                                        \
      __dns = __dn != NULL ? sys_dlist_peek_next(__dl, __dn) : NULL;            \
       __dn != NULL;                                                            \
       __dn = __dns, __dns = __dn != NULL ? sys_dlist_peek_next(__dl, __dn) : NULL)

/** The structure containing node @p __dn (NULL for a NULL node). */
#define SYS_DLIST_CONTAINER(__dn, __cn, __n) \
  ((__dn) != NULL ? CONTAINER_OF(__dn, __typeof__(*(__cn)), __n) : NULL)
#define SYS_DLIST_PEEK_HEAD_CONTAINER(__dl, __cn, __n) \
  SYS_DLIST_CONTAINER(sys_dlist_peek_head(__dl), __cn, __n)
#define SYS_DLIST_PEEK_NEXT_CONTAINER(__dl, __cn, __n) \
  ((__cn) != NULL ? SYS_DLIST_CONTAINER(sys_dlist_peek_next(__dl, &(__cn)->__n), __cn, __n) : NULL)

/** Iterate with container pointer @p __cn over the elements of @p __dl. */
#define SYS_DLIST_FOR_EACH_CONTAINER(__dl, __cn, __n)                          \
  for (__cn = SYS_DLIST_PEEK_HEAD_CONTAINER(__dl, __cn, __n); __cn != NULL; \
       __cn = SYS_DLIST_PEEK_NEXT_CONTAINER(__dl, __cn, __n))

/** As SYS_DLIST_FOR_EACH_CONTAINER; @p __cn may be removed in the body. */
#define SYS_DLIST_FOR_EACH_CONTAINER_SAFE(__dl, __cn, __cns, __n)              \
  for (__cn = SYS_DLIST_PEEK_HEAD_CONTAINER(__dl, __cn, __n),                  \
      __cns = SYS_DLIST_PEEK_NEXT_CONTAINER(__dl, __cn, __n);                  \
       __cn != NULL;                                                           \
       __cn = __cns, __cns = SYS_DLIST_PEEK_NEXT_CONTAINER(__dl, __cn, __n))

static ALWAYS_INLINE void sys_dlist_init(sys_dlist_t *list) {
  list->head = list;
  list->tail = list;
}

#define SYS_DNODE_INIT {{NULL}, {NULL}}

/** Mark @p node as not in any list. */
static ALWAYS_INLINE void sys_dnode_init(sys_dnode_t *node) {
  node->next = NULL;
  node->prev = NULL;
}

/** Whether @p node is in a list (it must have been initialised or removed before). */
static ALWAYS_INLINE bool sys_dnode_is_linked(const sys_dnode_t *node) {
  return node->next != NULL;
}

static ALWAYS_INLINE bool sys_dlist_is_head(const sys_dlist_t *list, const sys_dnode_t *node) {
  return list->head == node;
}

static ALWAYS_INLINE bool sys_dlist_is_tail(const sys_dlist_t *list, const sys_dnode_t *node) {
  return list->tail == node;
}

static ALWAYS_INLINE bool sys_dlist_is_empty(const sys_dlist_t *list) {
  return list->head == list;
}

/** Whether @p list has more than one element. */
static ALWAYS_INLINE bool sys_dlist_has_multiple_nodes(const sys_dlist_t *list) {
  return list->head != list->tail;
}

/** First element, or NULL when empty. */
static ALWAYS_INLINE sys_dnode_t *sys_dlist_peek_head(sys_dlist_t *list) {
  return sys_dlist_is_empty(list) ? NULL : list->head;
}

/** First element. @pre the list is not empty */
static ALWAYS_INLINE sys_dnode_t *sys_dlist_peek_head_not_empty(sys_dlist_t *list) {
  return list->head;
}

/** Element after @p node, or NULL at the end. @pre @p node is in @p list */
static ALWAYS_INLINE sys_dnode_t *sys_dlist_peek_next_no_check(sys_dlist_t *list, sys_dnode_t *node) {
  return node == list->tail ? NULL : node->next;
}

/** Element after @p node, or NULL at the end or when @p node is NULL. */
static ALWAYS_INLINE sys_dnode_t *sys_dlist_peek_next(sys_dlist_t *list, sys_dnode_t *node) {
  return node != NULL ? sys_dlist_peek_next_no_check(list, node) : NULL;
}

/** Element before @p node, or NULL at the start. @pre @p node is in @p list */
static ALWAYS_INLINE sys_dnode_t *sys_dlist_peek_prev_no_check(sys_dlist_t *list, sys_dnode_t *node) {
  return node == list->head ? NULL : node->prev;
}

/** Element before @p node, or NULL at the start or when @p node is NULL. */
static ALWAYS_INLINE sys_dnode_t *sys_dlist_peek_prev(sys_dlist_t *list, sys_dnode_t *node) {
  return node != NULL ? sys_dlist_peek_prev_no_check(list, node) : NULL;
}

/** Last element, or NULL when empty. */
static ALWAYS_INLINE sys_dnode_t *sys_dlist_peek_tail(sys_dlist_t *list) {
  return sys_dlist_is_empty(list) ? NULL : list->tail;
}

/** Add @p node at the end of @p list. */
static ALWAYS_INLINE void sys_dlist_append(sys_dlist_t *list, sys_dnode_t *node) {
  sys_dnode_t *const tail = list->tail;

  node->next = list;
  node->prev = tail;
  tail->next = node;
  list->tail = node;
}

/** Add @p node at the start of @p list. */
static ALWAYS_INLINE void sys_dlist_prepend(sys_dlist_t *list, sys_dnode_t *node) {
  sys_dnode_t *const head = list->head;

  node->next = head;
  node->prev = list;
  head->prev = node;
  list->head = node;
}

/** Insert @p node before @p successor, which is in a list. */
static ALWAYS_INLINE void sys_dlist_insert(sys_dnode_t *successor, sys_dnode_t *node) {
  sys_dnode_t *const prev = successor->prev;

  node->prev = prev;
  node->next = successor;
  prev->next = node;
  successor->prev = node;
}

/**
 * Insert @p node before the first element for which @p cond(element, data) is true, or at
 * the end when there is none.
 */
static inline void sys_dlist_insert_at(sys_dlist_t *list, sys_dnode_t *node,
                                       int (*cond)(sys_dnode_t *node, void *data), void *data) {
  sys_dnode_t *pos;

  SYS_DLIST_FOR_EACH_NODE(list, pos) {
    if (cond(pos, data) != 0) {
      sys_dlist_insert(pos, node);
      return;
    }
  }
  sys_dlist_append(list, node);
}

/** Remove @p node from the list it is in; it becomes unlinked. */
static ALWAYS_INLINE void sys_dlist_remove(sys_dnode_t *node) {
  sys_dnode_t *const prev = node->prev;
  sys_dnode_t *const next = node->next;

  prev->next = next;
  next->prev = prev;
  sys_dnode_init(node);
}

/** Remove and return the first element, or NULL when empty. */
static ALWAYS_INLINE sys_dnode_t *sys_dlist_get(sys_dlist_t *list) {
  sys_dnode_t *node = NULL;

  if (!sys_dlist_is_empty(list)) {
    node = list->head;
    sys_dlist_remove(node);
  }
  return node;
}

/** Number of elements (walks the list). */
static inline size_t sys_dlist_len(sys_dlist_t *list) {
  size_t len = 0;
  sys_dnode_t *node;

  SYS_DLIST_FOR_EACH_NODE(list, node) {
    len++;
  }
  return len;
}

#ifdef __cplusplus
}
#endif

#endif /* GALE_SYS_DLIST_H_ */
