/*
 * Devicetree access from C and C++: the Zephyr 3.7 DT_* macro API (documented subset), over
 * the macros gale-dts writes to devicetree_generated.h.
 *
 * A node identifier is an opaque token (today GDT_N__soc__uart_4000c000: "GDT_N" then
 * "__<name>" per path component, lower case, other characters as '_'). Get one with DT_PATH,
 * DT_NODELABEL, DT_ALIAS, DT_CHOSEN, DT_INST, DT_PARENT, DT_CHILD, DT_PHANDLE...; pass it to
 * the other macros. Property, compatible, label, alias and chosen names are written as
 * tokens with every non-alphanumeric character replaced by '_' and letters in lower case:
 * DT_PROP(DT_NODELABEL(uart0), current_speed).
 *
 * Everything that yields 0/1 (DT_NODE_EXISTS, DT_NODE_HAS_STATUS, DT_NODE_HAS_PROP,
 * DT_HAS_COMPAT_STATUS_OKAY, DT_HAS_CHOSEN, DT_HAS_ALIAS, ...) and every integer value
 * (DT_REG_ADDR, DT_IRQN, DT_PROP of int properties, DT_NUM_INST_STATUS_OKAY, DT_DEP_ORD)
 * expands to a plain literal usable in #if and in linker scripts (no U/UL suffixes).
 *
 * Generated macro scheme (what the DT_* macros paste together), for node identifier N:
 *   N_EXISTS, N_ORD, N_PATH, N_FULL_NAME, N_PARENT, N_CHILD_NUM[_STATUS_OKAY],
 *   N_FOREACH_CHILD[_STATUS_OKAY][_SEP][_VARGS], N_STATUS_<status>, N_COMPAT_MATCHES_<compat>,
 *   N_REG_NUM, N_REG_IDX_<i>_{EXISTS,VAL_ADDRESS,VAL_SIZE}, N_REG_NAME_<name>_...,
 *   N_IRQ_NUM, N_IRQ_IDX_<i>_{EXISTS,CONTROLLER,VAL_<cell>[_EXISTS]}, N_IRQ_NAME_<name>_...,
 *   N_P_<prop>[_EXISTS|_LEN|_ENUM_IDX|_STRING_TOKEN|_STRING_UPPER_TOKEN|_FOREACH_PROP_ELEM],
 *   N_P_<prop>_IDX_<i>[_EXISTS|_PH|_VAL_<cell>[_EXISTS]|_STRING_TOKEN|...],
 *   N_P_<prop>_NAME_<name>_{EXISTS,PH,VAL_<cell>};
 *   GDT_L_<label>, GDT_ALIAS_<alias>, GDT_CHOSEN_<name> -> node identifiers;
 *   GDT_COMPAT_<compat>_{INST_<i>,HAS_OKAY,NUM_OKAY,FOREACH_OKAY[_VARGS],FOREACH_OKAY_INST[_VARGS]}.
 */
#ifndef GALE_DEVICETREE_H_
#define GALE_DEVICETREE_H_

#include <devicetree_generated.h>
#include <gale/sys/util_macro.h>

/* Used by the generated *_SEP macros. */
#define GALE_DT_UNPAREN(...) __VA_ARGS__

/* ---- Node identifiers --------------------------------------------------------------------- */

/** The root node. */
#define DT_ROOT GDT_N
/** An identifier that names no node (DT_NODE_EXISTS gives 0). */
#define DT_INVALID_NODE GDT_INVALID_NODE

/** Node by path components: DT_PATH(soc, uart_4000c000) is /soc/uart@4000c000. */
#define DT_PATH(...) UTIL_CAT(GDT_N, UTIL_CAT(GALE_DT_PATH_, NUM_VA_ARGS(__VA_ARGS__))(__VA_ARGS__))
#define GALE_DT_PATH_1(a) __##a
#define GALE_DT_PATH_2(a, b) __##a##__##b
#define GALE_DT_PATH_3(a, b, c) __##a##__##b##__##c
#define GALE_DT_PATH_4(a, b, c, d) __##a##__##b##__##c##__##d
#define GALE_DT_PATH_5(a, b, c, d, e) __##a##__##b##__##c##__##d##__##e
#define GALE_DT_PATH_6(a, b, c, d, e, f) __##a##__##b##__##c##__##d##__##e##__##f
#define GALE_DT_PATH_7(a, b, c, d, e, f, g) __##a##__##b##__##c##__##d##__##e##__##f##__##g
#define GALE_DT_PATH_8(a, b, c, d, e, f, g, h) \
  __##a##__##b##__##c##__##d##__##e##__##f##__##g##__##h

/** Node by label: `uart0: uart@4000c000 {...}` -> DT_NODELABEL(uart0). */
#define DT_NODELABEL(label) GDT_L_##label
/** Node a /aliases property points at: DT_ALIAS(led0). */
#define DT_ALIAS(alias) GDT_ALIAS_##alias
/** Node a /chosen property points at: DT_CHOSEN(zephyr_console). */
#define DT_CHOSEN(prop) GDT_CHOSEN_##prop
/** Instance `inst` of a compatible; okay instances are numbered first, from 0. */
#define DT_INST(inst, compat) GALE_UTIL_CAT4(GDT_COMPAT_, compat, _INST_, inst)
/** Parent node. */
#define DT_PARENT(node_id) UTIL_CAT(node_id, _PARENT)
/** Grandparent node. */
#define DT_GPARENT(node_id) DT_PARENT(DT_PARENT(node_id))
/** Child by name token: DT_CHILD(DT_PATH(soc), uart_4000c000). */
#define DT_CHILD(node_id, child) GALE_UTIL_CAT3(node_id, __, child)

/* ---- Existence and status ----------------------------------------------------------------- */

/** 1 if the node exists, else 0. */
#define DT_NODE_EXISTS(node_id) GALE_UTIL_IS_ONE(UTIL_CAT(node_id, _EXISTS))
/** 1 if the node's status is `status` (okay, disabled, ...); "ok" and no status are okay. */
#define DT_NODE_HAS_STATUS(node_id, status) \
  GALE_UTIL_IS_ONE(GALE_UTIL_CAT3(node_id, _STATUS_, status))
/** DT_NODE_HAS_STATUS(node_id, okay). */
#define DT_NODE_HAS_STATUS_OKAY(node_id) DT_NODE_HAS_STATUS(node_id, okay)
/** 1 if the node's compatible list holds `compat` (as a token: ti_stellaris_uart). */
#define DT_NODE_HAS_COMPAT(node_id, compat) \
  GALE_UTIL_IS_ONE(GALE_UTIL_CAT3(node_id, _COMPAT_MATCHES_, compat))
/** 1 if both DT_NODE_HAS_COMPAT and DT_NODE_HAS_STATUS hold. */
#define DT_NODE_HAS_COMPAT_STATUS(node_id, compat, status) \
  GALE_UTIL_AND(DT_NODE_HAS_COMPAT(node_id, compat), DT_NODE_HAS_STATUS(node_id, status))
/** 1 if the two identifiers name the same node (an integer expression). */
#define DT_SAME_NODE(node_id1, node_id2) (DT_DEP_ORD(node_id1) == DT_DEP_ORD(node_id2))
/** 1 if /chosen has `prop` naming a node. */
#define DT_HAS_CHOSEN(prop) DT_NODE_EXISTS(DT_CHOSEN(prop))
/** 1 if /aliases has `alias` naming a node. */
#define DT_HAS_ALIAS(alias) DT_NODE_EXISTS(DT_ALIAS(alias))
/** 1 if the node has label `label`. */
#define DT_NODE_HAS_LABEL(node_id, label) \
  GALE_UTIL_IS_ONE(GALE_UTIL_CAT3(node_id, _NODELABEL_, label))

/** Dependency ordinal: parents and phandle targets have smaller ordinals than their users. */
#define DT_DEP_ORD(node_id) UTIL_CAT(node_id, _ORD)
/** Node name with unit address, as a string literal ("uart@4000c000"). */
#define DT_NODE_FULL_NAME(node_id) UTIL_CAT(node_id, _FULL_NAME)
/** Node path as a string literal ("/soc/uart@4000c000"). */
#define DT_NODE_PATH(node_id) UTIL_CAT(node_id, _PATH)

/* ---- Properties --------------------------------------------------------------------------- */

/**
 * A property's value, by its binding type: int -> integer literal; boolean -> 0/1; string ->
 * string literal; array/uint8-array/string-array -> braced initializer; phandle/path -> node
 * identifier. Defaults from the binding apply when the property is absent.
 */
#define DT_PROP(node_id, prop) GALE_UTIL_CAT3(node_id, _P_, prop)
/** 1 if the binding-declared property has a value (booleans: always 1). */
#define DT_NODE_HAS_PROP(node_id, prop) \
  GALE_UTIL_IS_ONE(GALE_UTIL_CAT4(node_id, _P_, prop, _EXISTS))
/** DT_PROP, or `default_value` when the node has no such property. */
#define DT_PROP_OR(node_id, prop, default_value) \
  COND_CODE_1(DT_NODE_HAS_PROP(node_id, prop), (DT_PROP(node_id, prop)), (default_value))
/** Element count: arrays, string-arrays, phandles, phandle-array entries; 1 for int/string. */
#define DT_PROP_LEN(node_id, prop) GALE_UTIL_CAT4(node_id, _P_, prop, _LEN)
/** DT_PROP_LEN, or `default_value` when the property is absent. */
#define DT_PROP_LEN_OR(node_id, prop, default_value) \
  COND_CODE_1(DT_NODE_HAS_PROP(node_id, prop), (DT_PROP_LEN(node_id, prop)), (default_value))
/** 1 if `idx` is a valid element index of the property. */
#define DT_PROP_HAS_IDX(node_id, prop, idx) \
  GALE_UTIL_IS_ONE(GALE_UTIL_CAT6(node_id, _P_, prop, _IDX_, idx, _EXISTS))
/** 1 if a phandle-array property has an entry named `name` (via its *-names property). */
#define DT_PROP_HAS_NAME(node_id, prop, name) \
  GALE_UTIL_IS_ONE(GALE_UTIL_CAT6(node_id, _P_, prop, _NAME_, name, _EXISTS))
/** Element `idx` of an array, uint8-array, string-array or phandles property. */
#define DT_PROP_BY_IDX(node_id, prop, idx) GALE_UTIL_CAT5(node_id, _P_, prop, _IDX_, idx)
/** Property `prop` of the node that phandle element `idx` of `ph` points at. */
#define DT_PROP_BY_PHANDLE_IDX(node_id, ph, idx, prop) \
  DT_PROP(DT_PHANDLE_BY_IDX(node_id, ph, idx), prop)
#define DT_PROP_BY_PHANDLE(node_id, ph, prop) DT_PROP_BY_PHANDLE_IDX(node_id, ph, 0, prop)
/** fn(node_id, prop, idx) for every element of the property. */
#define DT_FOREACH_PROP_ELEM(node_id, prop, fn) \
  GALE_UTIL_CAT4(node_id, _P_, prop, _FOREACH_PROP_ELEM)(fn)

/** A string property's value as a token, non-alphanumerics as '_' ("fast-mode" -> fast_mode). */
#define DT_STRING_TOKEN(node_id, prop) GALE_UTIL_CAT4(node_id, _P_, prop, _STRING_TOKEN)
/** DT_STRING_TOKEN in upper case ("fast-mode" -> FAST_MODE). */
#define DT_STRING_UPPER_TOKEN(node_id, prop) \
  GALE_UTIL_CAT4(node_id, _P_, prop, _STRING_UPPER_TOKEN)
#define DT_STRING_TOKEN_OR(node_id, prop, default_value) \
  COND_CODE_1(DT_NODE_HAS_PROP(node_id, prop), (DT_STRING_TOKEN(node_id, prop)), (default_value))
#define DT_STRING_UPPER_TOKEN_OR(node_id, prop, default_value)                           \
  COND_CODE_1(DT_NODE_HAS_PROP(node_id, prop), (DT_STRING_UPPER_TOKEN(node_id, prop)), \
              (default_value))
/** Element `idx` of a string-array property as a token. */
#define DT_STRING_TOKEN_BY_IDX(node_id, prop, idx) \
  GALE_UTIL_CAT6(node_id, _P_, prop, _IDX_, idx, _STRING_TOKEN)
#define DT_STRING_UPPER_TOKEN_BY_IDX(node_id, prop, idx) \
  GALE_UTIL_CAT6(node_id, _P_, prop, _IDX_, idx, _STRING_UPPER_TOKEN)

/** Index of the property's value in its binding's `enum:` list. */
#define DT_ENUM_IDX(node_id, prop) GALE_UTIL_CAT4(node_id, _P_, prop, _ENUM_IDX)
/** DT_ENUM_IDX, or `default_idx_value` when the property is absent. */
#define DT_ENUM_IDX_OR(node_id, prop, default_idx_value) \
  COND_CODE_1(DT_NODE_HAS_PROP(node_id, prop), (DT_ENUM_IDX(node_id, prop)), (default_idx_value))

/* ---- Phandles and specifiers -------------------------------------------------------------- */

/** Node that element `idx` of a phandle, phandles or phandle-array property points at. */
#define DT_PHANDLE_BY_IDX(node_id, prop, idx) GALE_UTIL_CAT6(node_id, _P_, prop, _IDX_, idx, _PH)
#define DT_PHANDLE(node_id, prop) DT_PHANDLE_BY_IDX(node_id, prop, 0)
/** Node of the phandle-array entry named `name`. */
#define DT_PHANDLE_BY_NAME(node_id, pha, name) \
  GALE_UTIL_CAT6(node_id, _P_, pha, _NAME_, name, _PH)
/** Specifier cell `cell` (by its name in the controller binding) of entry `idx`. */
#define DT_PHA_BY_IDX(node_id, pha, idx, cell) \
  GALE_UTIL_CAT7(node_id, _P_, pha, _IDX_, idx, _VAL_, cell)
#define DT_PHA(node_id, pha, cell) DT_PHA_BY_IDX(node_id, pha, 0, cell)
/** 1 if entry `idx` of `pha` has a specifier cell named `cell`. */
#define DT_PHA_HAS_CELL_AT_IDX(node_id, pha, idx, cell) \
  GALE_UTIL_IS_ONE(GALE_UTIL_CAT8(node_id, _P_, pha, _IDX_, idx, _VAL_, cell, _EXISTS))
#define DT_PHA_HAS_CELL(node_id, pha, cell) DT_PHA_HAS_CELL_AT_IDX(node_id, pha, 0, cell)
#define DT_PHA_BY_IDX_OR(node_id, pha, idx, cell, default_value)                       \
  COND_CODE_1(DT_PHA_HAS_CELL_AT_IDX(node_id, pha, idx, cell),                         \
              (DT_PHA_BY_IDX(node_id, pha, idx, cell)), (default_value))
#define DT_PHA_OR(node_id, pha, cell, default_value) \
  DT_PHA_BY_IDX_OR(node_id, pha, 0, cell, default_value)
/** Specifier cell of the entry named `name`. */
#define DT_PHA_BY_NAME(node_id, pha, name, cell) \
  GALE_UTIL_CAT7(node_id, _P_, pha, _NAME_, name, _VAL_, cell)

/** GPIO controller node of entry `idx` of a *-gpios property. */
#define DT_GPIO_CTLR_BY_IDX(node_id, gpio_pha, idx) DT_PHANDLE_BY_IDX(node_id, gpio_pha, idx)
#define DT_GPIO_CTLR(node_id, gpio_pha) DT_GPIO_CTLR_BY_IDX(node_id, gpio_pha, 0)
/** The `pin` cell of entry `idx`. */
#define DT_GPIO_PIN_BY_IDX(node_id, gpio_pha, idx) DT_PHA_BY_IDX(node_id, gpio_pha, idx, pin)
#define DT_GPIO_PIN(node_id, gpio_pha) DT_GPIO_PIN_BY_IDX(node_id, gpio_pha, 0)
/** The `flags` cell of entry `idx`, or 0 when the controller has no flags cell. */
#define DT_GPIO_FLAGS_BY_IDX(node_id, gpio_pha, idx) \
  DT_PHA_BY_IDX_OR(node_id, gpio_pha, idx, flags, 0)
#define DT_GPIO_FLAGS(node_id, gpio_pha) DT_GPIO_FLAGS_BY_IDX(node_id, gpio_pha, 0)

/* ---- Registers ---------------------------------------------------------------------------- */

/** Number of reg entries. */
#define DT_NUM_REGS(node_id) UTIL_CAT(node_id, _REG_NUM)
/** 1 if reg entry `idx` exists. */
#define DT_REG_HAS_IDX(node_id, idx) GALE_UTIL_IS_ONE(GALE_UTIL_CAT4(node_id, _REG_IDX_, idx, _EXISTS))
/** 1 if a reg entry is named `name` by reg-names. */
#define DT_REG_HAS_NAME(node_id, name) \
  GALE_UTIL_IS_ONE(GALE_UTIL_CAT4(node_id, _REG_NAME_, name, _EXISTS))
/** Address of reg entry `idx` in the CPU address space (plain hex literal). */
#define DT_REG_ADDR_BY_IDX(node_id, idx) GALE_UTIL_CAT4(node_id, _REG_IDX_, idx, _VAL_ADDRESS)
/** Size of reg entry `idx` (plain hex literal). */
#define DT_REG_SIZE_BY_IDX(node_id, idx) GALE_UTIL_CAT4(node_id, _REG_IDX_, idx, _VAL_SIZE)
#define DT_REG_ADDR(node_id) DT_REG_ADDR_BY_IDX(node_id, 0)
#define DT_REG_SIZE(node_id) DT_REG_SIZE_BY_IDX(node_id, 0)
#define DT_REG_ADDR_BY_NAME(node_id, name) GALE_UTIL_CAT4(node_id, _REG_NAME_, name, _VAL_ADDRESS)
#define DT_REG_SIZE_BY_NAME(node_id, name) GALE_UTIL_CAT4(node_id, _REG_NAME_, name, _VAL_SIZE)

/* ---- Interrupts --------------------------------------------------------------------------- */

/** Number of interrupt specifiers. */
#define DT_NUM_IRQS(node_id) UTIL_CAT(node_id, _IRQ_NUM)
/** 1 if interrupt specifier `idx` exists. */
#define DT_IRQ_HAS_IDX(node_id, idx) GALE_UTIL_IS_ONE(GALE_UTIL_CAT4(node_id, _IRQ_IDX_, idx, _EXISTS))
/** 1 if specifier `idx` has a cell named `cell`. */
#define DT_IRQ_HAS_CELL_AT_IDX(node_id, idx, cell) \
  GALE_UTIL_IS_ONE(GALE_UTIL_CAT6(node_id, _IRQ_IDX_, idx, _VAL_, cell, _EXISTS))
#define DT_IRQ_HAS_CELL(node_id, cell) DT_IRQ_HAS_CELL_AT_IDX(node_id, 0, cell)
/** 1 if an interrupt is named `name` by interrupt-names. */
#define DT_IRQ_HAS_NAME(node_id, name) \
  GALE_UTIL_IS_ONE(GALE_UTIL_CAT4(node_id, _IRQ_NAME_, name, _EXISTS))
/** Cell `cell` (named by the controller binding: irq, priority) of interrupt `idx`. */
#define DT_IRQ_BY_IDX(node_id, idx, cell) GALE_UTIL_CAT5(node_id, _IRQ_IDX_, idx, _VAL_, cell)
/** Cell `cell` of the interrupt named `name`. */
#define DT_IRQ_BY_NAME(node_id, name, cell) GALE_UTIL_CAT5(node_id, _IRQ_NAME_, name, _VAL_, cell)
#define DT_IRQ(node_id, cell) DT_IRQ_BY_IDX(node_id, 0, cell)
/** Interrupt number (the `irq` cell) of interrupt `idx`. */
#define DT_IRQN_BY_IDX(node_id, idx) DT_IRQ_BY_IDX(node_id, idx, irq)
#define DT_IRQN(node_id) DT_IRQN_BY_IDX(node_id, 0)
/** Interrupt controller node of interrupt `idx`. */
#define DT_IRQ_INTC_BY_IDX(node_id, idx) GALE_UTIL_CAT4(node_id, _IRQ_IDX_, idx, _CONTROLLER)
#define DT_IRQ_INTC(node_id) DT_IRQ_INTC_BY_IDX(node_id, 0)

/* ---- Children ----------------------------------------------------------------------------- */

#define DT_CHILD_NUM(node_id) UTIL_CAT(node_id, _CHILD_NUM)
#define DT_CHILD_NUM_STATUS_OKAY(node_id) UTIL_CAT(node_id, _CHILD_NUM_STATUS_OKAY)
/** fn(child_id) for each child, in tree order. */
#define DT_FOREACH_CHILD(node_id, fn) UTIL_CAT(node_id, _FOREACH_CHILD)(fn)
/** Like DT_FOREACH_CHILD with the contents of parenthesized `sep` between calls. */
#define DT_FOREACH_CHILD_SEP(node_id, fn, sep) UTIL_CAT(node_id, _FOREACH_CHILD_SEP)(fn, sep)
/** fn(child_id, ...) for each child. */
#define DT_FOREACH_CHILD_VARGS(node_id, fn, ...) \
  UTIL_CAT(node_id, _FOREACH_CHILD_VARGS)(fn, __VA_ARGS__)
#define DT_FOREACH_CHILD_SEP_VARGS(node_id, fn, sep, ...) \
  UTIL_CAT(node_id, _FOREACH_CHILD_SEP_VARGS)(fn, sep, __VA_ARGS__)
/** fn(child_id) for each child with status okay. */
#define DT_FOREACH_CHILD_STATUS_OKAY(node_id, fn) \
  UTIL_CAT(node_id, _FOREACH_CHILD_STATUS_OKAY)(fn)
#define DT_FOREACH_CHILD_STATUS_OKAY_SEP(node_id, fn, sep) \
  UTIL_CAT(node_id, _FOREACH_CHILD_STATUS_OKAY_SEP)(fn, sep)
#define DT_FOREACH_CHILD_STATUS_OKAY_VARGS(node_id, fn, ...) \
  UTIL_CAT(node_id, _FOREACH_CHILD_STATUS_OKAY_VARGS)(fn, __VA_ARGS__)
#define DT_FOREACH_CHILD_STATUS_OKAY_SEP_VARGS(node_id, fn, sep, ...) \
  UTIL_CAT(node_id, _FOREACH_CHILD_STATUS_OKAY_SEP_VARGS)(fn, sep, __VA_ARGS__)

/* ---- Compatibles -------------------------------------------------------------------------- */

/** 1 if any node with status okay has compatible `compat` (a token). */
#define DT_HAS_COMPAT_STATUS_OKAY(compat) \
  GALE_UTIL_IS_ONE(GALE_UTIL_CAT3(GDT_COMPAT_, compat, _HAS_OKAY))
/** Number of okay nodes with compatible `compat`. */
#define DT_NUM_INST_STATUS_OKAY(compat)                   \
  COND_CODE_1(DT_HAS_COMPAT_STATUS_OKAY(compat),          \
              (GALE_UTIL_CAT3(GDT_COMPAT_, compat, _NUM_OKAY)), (0))
/** fn(node_id) for each okay node with compatible `compat`. */
#define DT_FOREACH_STATUS_OKAY(compat, fn)                 \
  COND_CODE_1(DT_HAS_COMPAT_STATUS_OKAY(compat),           \
              (GALE_UTIL_CAT3(GDT_COMPAT_, compat, _FOREACH_OKAY)(fn)), ())
/** fn(node_id, ...) for each okay node with compatible `compat`. */
#define DT_FOREACH_STATUS_OKAY_VARGS(compat, fn, ...)      \
  COND_CODE_1(DT_HAS_COMPAT_STATUS_OKAY(compat),           \
              (GALE_UTIL_CAT3(GDT_COMPAT_, compat, _FOREACH_OKAY_VARGS)(fn, __VA_ARGS__)), ())
/** fn(node_id) for every node with status okay, parents before children. */
#define DT_FOREACH_STATUS_OKAY_NODE(fn) GDT_FOREACH_OKAY_NODE(fn)
/** fn(node_id, ...) for every node with status okay. */
#define DT_FOREACH_STATUS_OKAY_NODE_VARGS(fn, ...) GDT_FOREACH_OKAY_NODE_VARGS(fn, __VA_ARGS__)
/** Some okay node with compatible `compat`, or DT_INVALID_NODE. */
#define DT_COMPAT_GET_ANY_STATUS_OKAY(compat) \
  COND_CODE_1(DT_HAS_COMPAT_STATUS_OKAY(compat), (DT_INST(0, compat)), (DT_INVALID_NODE))

/* ---- Instance forms: the driver defines DT_DRV_COMPAT (e.g. ti_stellaris_uart) ------------ */

#define DT_DRV_INST(inst) DT_INST(inst, DT_DRV_COMPAT)
/** fn(inst) for each okay instance of DT_DRV_COMPAT. */
#define DT_INST_FOREACH_STATUS_OKAY(fn)                                 \
  COND_CODE_1(DT_HAS_COMPAT_STATUS_OKAY(DT_DRV_COMPAT),                 \
              (GALE_UTIL_CAT3(GDT_COMPAT_, DT_DRV_COMPAT, _FOREACH_OKAY_INST)(fn)), ())
/** fn(inst, ...) for each okay instance of DT_DRV_COMPAT. */
#define DT_INST_FOREACH_STATUS_OKAY_VARGS(fn, ...)                                            \
  COND_CODE_1(DT_HAS_COMPAT_STATUS_OKAY(DT_DRV_COMPAT),                                       \
              (GALE_UTIL_CAT3(GDT_COMPAT_, DT_DRV_COMPAT, _FOREACH_OKAY_INST_VARGS)(fn,         \
                                                                                   __VA_ARGS__)), \
              ())
#define DT_INST_PARENT(inst) DT_PARENT(DT_DRV_INST(inst))
#define DT_INST_DEP_ORD(inst) DT_DEP_ORD(DT_DRV_INST(inst))
#define DT_INST_NODE_HAS_PROP(inst, prop) DT_NODE_HAS_PROP(DT_DRV_INST(inst), prop)
#define DT_INST_PROP(inst, prop) DT_PROP(DT_DRV_INST(inst), prop)
#define DT_INST_PROP_OR(inst, prop, default_value) \
  DT_PROP_OR(DT_DRV_INST(inst), prop, default_value)
#define DT_INST_PROP_LEN(inst, prop) DT_PROP_LEN(DT_DRV_INST(inst), prop)
#define DT_INST_PROP_LEN_OR(inst, prop, default_value) \
  DT_PROP_LEN_OR(DT_DRV_INST(inst), prop, default_value)
#define DT_INST_PROP_BY_IDX(inst, prop, idx) DT_PROP_BY_IDX(DT_DRV_INST(inst), prop, idx)
#define DT_INST_PROP_HAS_IDX(inst, prop, idx) DT_PROP_HAS_IDX(DT_DRV_INST(inst), prop, idx)
#define DT_INST_STRING_TOKEN(inst, prop) DT_STRING_TOKEN(DT_DRV_INST(inst), prop)
#define DT_INST_STRING_UPPER_TOKEN(inst, prop) DT_STRING_UPPER_TOKEN(DT_DRV_INST(inst), prop)
#define DT_INST_ENUM_IDX(inst, prop) DT_ENUM_IDX(DT_DRV_INST(inst), prop)
#define DT_INST_ENUM_IDX_OR(inst, prop, default_idx_value) \
  DT_ENUM_IDX_OR(DT_DRV_INST(inst), prop, default_idx_value)
#define DT_INST_PHANDLE(inst, prop) DT_PHANDLE(DT_DRV_INST(inst), prop)
#define DT_INST_PHANDLE_BY_IDX(inst, prop, idx) DT_PHANDLE_BY_IDX(DT_DRV_INST(inst), prop, idx)
#define DT_INST_PHA(inst, pha, cell) DT_PHA(DT_DRV_INST(inst), pha, cell)
#define DT_INST_PHA_BY_IDX(inst, pha, idx, cell) DT_PHA_BY_IDX(DT_DRV_INST(inst), pha, idx, cell)
#define DT_INST_NUM_REGS(inst) DT_NUM_REGS(DT_DRV_INST(inst))
#define DT_INST_REG_HAS_IDX(inst, idx) DT_REG_HAS_IDX(DT_DRV_INST(inst), idx)
#define DT_INST_REG_ADDR_BY_IDX(inst, idx) DT_REG_ADDR_BY_IDX(DT_DRV_INST(inst), idx)
#define DT_INST_REG_SIZE_BY_IDX(inst, idx) DT_REG_SIZE_BY_IDX(DT_DRV_INST(inst), idx)
#define DT_INST_REG_ADDR_BY_NAME(inst, name) DT_REG_ADDR_BY_NAME(DT_DRV_INST(inst), name)
#define DT_INST_REG_SIZE_BY_NAME(inst, name) DT_REG_SIZE_BY_NAME(DT_DRV_INST(inst), name)
#define DT_INST_REG_ADDR(inst) DT_REG_ADDR(DT_DRV_INST(inst))
#define DT_INST_REG_SIZE(inst) DT_REG_SIZE(DT_DRV_INST(inst))
#define DT_INST_NUM_IRQS(inst) DT_NUM_IRQS(DT_DRV_INST(inst))
#define DT_INST_IRQ_HAS_IDX(inst, idx) DT_IRQ_HAS_IDX(DT_DRV_INST(inst), idx)
#define DT_INST_IRQ_BY_IDX(inst, idx, cell) DT_IRQ_BY_IDX(DT_DRV_INST(inst), idx, cell)
#define DT_INST_IRQ_BY_NAME(inst, name, cell) DT_IRQ_BY_NAME(DT_DRV_INST(inst), name, cell)
#define DT_INST_IRQ(inst, cell) DT_IRQ(DT_DRV_INST(inst), cell)
#define DT_INST_IRQN(inst) DT_IRQN(DT_DRV_INST(inst))
#define DT_INST_IRQN_BY_IDX(inst, idx) DT_IRQN_BY_IDX(DT_DRV_INST(inst), idx)
#define DT_INST_GPIO_PIN_BY_IDX(inst, gpio_pha, idx) \
  DT_GPIO_PIN_BY_IDX(DT_DRV_INST(inst), gpio_pha, idx)
#define DT_INST_GPIO_PIN(inst, gpio_pha) DT_GPIO_PIN(DT_DRV_INST(inst), gpio_pha)
#define DT_INST_GPIO_FLAGS_BY_IDX(inst, gpio_pha, idx) \
  DT_GPIO_FLAGS_BY_IDX(DT_DRV_INST(inst), gpio_pha, idx)
#define DT_INST_GPIO_FLAGS(inst, gpio_pha) DT_GPIO_FLAGS(DT_DRV_INST(inst), gpio_pha)
#define DT_INST_FOREACH_CHILD(inst, fn) DT_FOREACH_CHILD(DT_DRV_INST(inst), fn)
#define DT_INST_FOREACH_CHILD_STATUS_OKAY(inst, fn) \
  DT_FOREACH_CHILD_STATUS_OKAY(DT_DRV_INST(inst), fn)
#define DT_INST_CHILD_NUM(inst) DT_CHILD_NUM(DT_DRV_INST(inst))
#define DT_INST_NODE_HAS_COMPAT(inst, compat) DT_NODE_HAS_COMPAT(DT_DRV_INST(inst), compat)

#endif /* GALE_DEVICETREE_H_ */
