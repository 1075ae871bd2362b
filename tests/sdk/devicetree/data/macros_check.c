/* Checks the DT_* macros against macros.dts (test bindings in data/bindings). */
#include <zephyr/devicetree.h>
#include <zephyr/dt-bindings/gpio/gpio.h>

#include "check.h"

#define W DT_NODELABEL(widget0)

/* ---- usable in #if -------------------------------------------------------------------- */
#if !DT_NODE_EXISTS(W) || DT_NODE_EXISTS(DT_NODELABEL(no_such_label))
#error DT_NODE_EXISTS
#endif
#if !DT_NODE_HAS_STATUS(W, okay) || DT_NODE_HAS_STATUS(W, disabled)
#error DT_NODE_HAS_STATUS okay
#endif
#if !DT_NODE_HAS_STATUS(DT_NODELABEL(widget1), disabled)
#error DT_NODE_HAS_STATUS disabled
#endif
#if DT_NUM_INST_STATUS_OKAY(test_widget) != 2 || DT_NUM_INST_STATUS_OKAY(no_such_compat) != 0
#error DT_NUM_INST_STATUS_OKAY
#endif
#if !DT_HAS_COMPAT_STATUS_OKAY(test_widget) || DT_HAS_COMPAT_STATUS_OKAY(acme_nothing)
#error DT_HAS_COMPAT_STATUS_OKAY
#endif
#if !DT_NODE_HAS_PROP(W, int_prop) || DT_NODE_HAS_PROP(W, no_such_prop)
#error DT_NODE_HAS_PROP
#endif
#if DT_PROP(W, int_prop) != 42 || DT_REG_ADDR(W) != 0x40003000
#error DT_PROP / DT_REG_ADDR in #if
#endif
#if !DT_HAS_CHOSEN(zephyr_console) || DT_HAS_CHOSEN(zephyr_flash)
#error DT_HAS_CHOSEN
#endif
#if !DT_HAS_ALIAS(my_widget) || DT_HAS_ALIAS(led0)
#error DT_HAS_ALIAS
#endif
#if !DT_NODE_HAS_COMPAT(W, test_widget) || DT_NODE_HAS_COMPAT(W, test_gpio)
#error DT_NODE_HAS_COMPAT
#endif
#if !DT_NODE_HAS_COMPAT_STATUS(W, test_widget, okay)
#error DT_NODE_HAS_COMPAT_STATUS
#endif
#if !DT_PROP_HAS_IDX(W, array_prop, 2) || DT_PROP_HAS_IDX(W, array_prop, 3)
#error DT_PROP_HAS_IDX
#endif
#if !DT_REG_HAS_IDX(W, 1) || DT_REG_HAS_IDX(W, 2) || !DT_IRQ_HAS_IDX(W, 1) || DT_IRQ_HAS_IDX(W, 2)
#error DT_REG_HAS_IDX / DT_IRQ_HAS_IDX
#endif
#if DT_NODE_EXISTS(DT_PATH(soc, widget_9999)) || !DT_NODE_EXISTS(DT_PATH(soc, widget_3000, channel_1))
#error DT_PATH existence
#endif

/* ---- identifiers compose ------------------------------------------------------------- */
CHECK_STATIC(DT_SAME_NODE(DT_PATH(soc, widget_3000), W));
CHECK_STATIC(DT_SAME_NODE(DT_ALIAS(my_widget), W));
CHECK_STATIC(DT_SAME_NODE(DT_CHOSEN(zephyr_console), W));
CHECK_STATIC(DT_SAME_NODE(DT_PARENT(W), DT_PATH(soc)));
CHECK_STATIC(DT_SAME_NODE(DT_GPARENT(W), DT_ROOT));
CHECK_STATIC(DT_SAME_NODE(DT_CHILD(DT_PATH(soc), widget_3000), W));
CHECK_STATIC(DT_SAME_NODE(DT_INST(0, test_widget), W));
CHECK_STATIC(DT_SAME_NODE(DT_INST(1, test_widget), DT_NODELABEL(widget2)));
CHECK_STATIC(DT_SAME_NODE(DT_INST(2, test_widget), DT_NODELABEL(widget1)));
CHECK_STATIC(DT_SAME_NODE(DT_COMPAT_GET_ANY_STATUS_OKAY(test_widget), W));
CHECK_STATIC(!DT_SAME_NODE(DT_NODELABEL(widget1), W));
CHECK_STATIC(DT_NODE_HAS_LABEL(W, widget0));

/* ---- dependency ordinals ------------------------------------------------------------- */
CHECK_STATIC(DT_DEP_ORD(DT_ROOT) == 0);
CHECK_STATIC(DT_DEP_ORD(DT_PATH(soc)) < DT_DEP_ORD(W));
CHECK_STATIC(DT_DEP_ORD(DT_NODELABEL(gpioa)) < DT_DEP_ORD(W));
CHECK_STATIC(DT_DEP_ORD(DT_NODELABEL(intc)) < DT_DEP_ORD(W));
CHECK_STATIC(DT_DEP_ORD(W) < DT_DEP_ORD(DT_CHILD(W, channel_0)));

/* ---- properties ---------------------------------------------------------------------- */
CHECK_STATIC(DT_PROP(W, int_prop) == 42);
CHECK_STATIC(DT_PROP_OR(W, int_prop, 5) == 42);
CHECK_STATIC(DT_PROP_OR(W, no_such_prop, 5) == 5);
CHECK_STATIC(DT_PROP(W, default_prop) == 7); /* binding default */
CHECK_STATIC(DT_PROP(W, enabled_flag) == 1);
CHECK_STATIC(DT_PROP(W, other_flag) == 0);
CHECK_STATIC(DT_NODE_HAS_PROP(W, other_flag) == 1);
CHECK_STATIC(DT_PROP_LEN(W, array_prop) == 3);
CHECK_STATIC(DT_PROP_BY_IDX(W, array_prop, 2) == 3);
CHECK_STATIC(DT_PROP_LEN(W, bytes_prop) == 4);
CHECK_STATIC(DT_PROP_BY_IDX(W, bytes_prop, 0) == 0xde);
CHECK_STATIC(DT_PROP_LEN(W, strings_prop) == 2);
CHECK_STATIC(DT_PROP_LEN(W, string_prop) == 1);
CHECK_STATIC(DT_PROP_LEN_OR(W, no_such_prop, 9) == 9);
CHECK_STATIC(DT_PROP_LEN_OR(W, array_prop, 9) == 3);
CHECK_STATIC(DT_ENUM_IDX(W, mode) == 1);
CHECK_STATIC(DT_ENUM_IDX(W, speed_class) == 2);
CHECK_STATIC(DT_ENUM_IDX_OR(DT_NODELABEL(widget2), mode, 7) == 7);
static const int array_prop[] = DT_PROP(W, array_prop);
CHECK_STATIC(sizeof(array_prop) / sizeof(array_prop[0]) == 3);
static const unsigned char bytes_prop[] = DT_PROP(W, bytes_prop);
CHECK_STATIC(sizeof(bytes_prop) == 4);
static const char *const strings_prop[] = DT_PROP(W, strings_prop);

/* String tokens: paste them to prove they are single tokens. */
#define TOKEN_hello_world 11
#define TOKEN_HELLO_WORLD 12
#define TOKEN_fast_mode 13
#define TOKEN_a_b 14
CHECK_STATIC(UTIL_CAT(TOKEN_, DT_STRING_TOKEN(W, string_prop)) == 11);
CHECK_STATIC(UTIL_CAT(TOKEN_, DT_STRING_UPPER_TOKEN(W, string_prop)) == 12);
CHECK_STATIC(UTIL_CAT(TOKEN_, DT_STRING_TOKEN(W, mode)) == 13);
CHECK_STATIC(UTIL_CAT(TOKEN_, DT_STRING_TOKEN_BY_IDX(W, strings_prop, 0)) == 14);

/* ---- phandles ------------------------------------------------------------------------ */
CHECK_STATIC(DT_SAME_NODE(DT_PHANDLE(W, ph), DT_NODELABEL(gpioa)));
CHECK_STATIC(DT_SAME_NODE(DT_PROP(W, ph), DT_NODELABEL(gpioa)));
CHECK_STATIC(DT_SAME_NODE(DT_PHANDLE_BY_IDX(W, phs, 1), DT_NODELABEL(intc)));
CHECK_STATIC(DT_PROP_LEN(W, phs) == 2);
CHECK_STATIC(DT_SAME_NODE(DT_PROP(W, target), DT_NODELABEL(gpioa)));
CHECK_STATIC(DT_PROP_BY_PHANDLE(W, ph, ngpios) == 32);
CHECK_STATIC(DT_PROP_LEN(W, reset_gpios) == 2);
CHECK_STATIC(DT_SAME_NODE(DT_GPIO_CTLR(W, reset_gpios), DT_NODELABEL(gpioa)));
CHECK_STATIC(DT_GPIO_PIN(W, reset_gpios) == 3);
CHECK_STATIC(DT_GPIO_FLAGS(W, reset_gpios) == GPIO_ACTIVE_LOW);
CHECK_STATIC(DT_GPIO_PIN_BY_IDX(W, reset_gpios, 1) == 4);
CHECK_STATIC(DT_GPIO_FLAGS_BY_IDX(W, reset_gpios, 1) == 0);
CHECK_STATIC(DT_SAME_NODE(DT_GPIO_CTLR_BY_IDX(W, reset_gpios, 1), DT_NODELABEL(gpioa)));
CHECK_STATIC(DT_PHA_BY_IDX(W, reset_gpios, 1, pin) == 4);
CHECK_STATIC(DT_PHA(W, reset_gpios, flags) == 1);
CHECK_STATIC(DT_PHA_HAS_CELL(W, reset_gpios, pin) && !DT_PHA_HAS_CELL(W, reset_gpios, speed));
CHECK_STATIC(DT_PHA_OR(W, reset_gpios, speed, 99) == 99);

/* ---- registers and interrupts (translated through soc's ranges) ---------------------- */
CHECK_STATIC(DT_NUM_REGS(W) == 2);
CHECK_STATIC(DT_REG_ADDR(W) == 0x40003000);
CHECK_STATIC(DT_REG_SIZE(W) == 0x10);
CHECK_STATIC(DT_REG_ADDR_BY_IDX(W, 1) == 0x40003100);
CHECK_STATIC(DT_REG_SIZE_BY_IDX(W, 1) == 0x20);
CHECK_STATIC(DT_REG_ADDR_BY_NAME(W, data) == 0x40003100);
CHECK_STATIC(DT_REG_HAS_NAME(W, ctrl) && !DT_REG_HAS_NAME(W, nope));
CHECK_STATIC(DT_NUM_IRQS(W) == 2);
CHECK_STATIC(DT_IRQN(W) == 7);
CHECK_STATIC(DT_IRQ(W, priority) == 2);
CHECK_STATIC(DT_IRQ_BY_IDX(W, 1, irq) == 8);
CHECK_STATIC(DT_IRQN_BY_IDX(W, 1) == 8);
CHECK_STATIC(DT_IRQ_BY_IDX(W, 1, priority) == 1);
CHECK_STATIC(DT_IRQ_BY_NAME(W, tx, irq) == 8);
CHECK_STATIC(DT_IRQ_HAS_CELL(W, priority) && !DT_IRQ_HAS_CELL(W, flags));
CHECK_STATIC(DT_IRQ_HAS_NAME(W, rx));
CHECK_STATIC(DT_SAME_NODE(DT_IRQ_INTC(W), DT_NODELABEL(intc)));
CHECK_STATIC(DT_REG_ADDR(DT_CHILD(W, channel_2)) == 2);

/* ---- iteration ----------------------------------------------------------------------- */
#define PLUS_ONE(node_id) +1
#define PLUS_INT(node_id) +DT_PROP(node_id, int_prop)
#define PLUS_GAIN(node_id) +DT_PROP(node_id, gain)
#define PLUS_ARG(node_id, n) +(n)
#define PLUS_INST(inst) +DT_INST_PROP(inst, int_prop)
#define PLUS_REG(node_id, prop, idx) +DT_PROP_BY_IDX(node_id, prop, idx)
CHECK_STATIC((0 DT_FOREACH_STATUS_OKAY(test_widget, PLUS_INT)) == 47);
CHECK_STATIC((0 DT_FOREACH_STATUS_OKAY(no_such_compat, PLUS_ONE)) == 0);
CHECK_STATIC((0 DT_FOREACH_STATUS_OKAY_VARGS(test_widget, PLUS_ARG, 10)) == 20);
CHECK_STATIC((0 DT_FOREACH_CHILD(W, PLUS_ONE)) == 3);
CHECK_STATIC((0 DT_FOREACH_CHILD_STATUS_OKAY(W, PLUS_GAIN)) == 6); /* 5 + default 1 */
CHECK_STATIC((0 DT_FOREACH_CHILD_VARGS(W, PLUS_ARG, 2)) == 6);
CHECK_STATIC(DT_CHILD_NUM(W) == 3 && DT_CHILD_NUM_STATUS_OKAY(W) == 2);
CHECK_STATIC((0 DT_FOREACH_PROP_ELEM(W, array_prop, PLUS_REG)) == 6);
#define CHILD_REG(node_id) DT_REG_ADDR(node_id)
static const int child_regs[] = {DT_FOREACH_CHILD_SEP(W, CHILD_REG, (, ))};
CHECK_STATIC(sizeof(child_regs) / sizeof(child_regs[0]) == 3);

/* ---- DT_DRV_COMPAT instance forms ----------------------------------------------------- */
#define DT_DRV_COMPAT test_widget
CHECK_STATIC((0 DT_INST_FOREACH_STATUS_OKAY(PLUS_INST)) == 47);
CHECK_STATIC(DT_INST_PROP(0, int_prop) == 42);
CHECK_STATIC(DT_INST_PROP(1, int_prop) == 5);
CHECK_STATIC(DT_INST_PROP_OR(1, array_prop, 0) == 0);
CHECK_STATIC(DT_INST_PROP_LEN(0, array_prop) == 3);
CHECK_STATIC(DT_INST_REG_ADDR(0) == 0x40003000);
CHECK_STATIC(DT_INST_REG_SIZE(1) == 0x10);
CHECK_STATIC(DT_INST_IRQN(0) == 7);
CHECK_STATIC(DT_INST_IRQ(0, priority) == 2);
CHECK_STATIC(DT_INST_NODE_HAS_PROP(0, ph) && !DT_INST_NODE_HAS_PROP(1, ph));
CHECK_STATIC(DT_INST_GPIO_PIN(0, reset_gpios) == 3);
CHECK_STATIC(DT_INST_GPIO_FLAGS(0, reset_gpios) == GPIO_ACTIVE_LOW);
CHECK_STATIC(DT_SAME_NODE(DT_INST_PARENT(1), DT_PATH(soc)));
CHECK_STATIC(DT_INST_DEP_ORD(0) == DT_DEP_ORD(W));
CHECK_STATIC(DT_SAME_NODE(DT_DRV_INST(1), DT_NODELABEL(widget2)));
#define INST_CONFIG(inst) {DT_INST_REG_ADDR(inst), DT_INST_PROP(inst, int_prop)},
struct widget_config {
  unsigned long base;
  int value;
};
static const struct widget_config configs[] = {DT_INST_FOREACH_STATUS_OKAY(INST_CONFIG)};
CHECK_STATIC(sizeof(configs) / sizeof(configs[0]) == 2);

/* ---- util_macro.h ---------------------------------------------------------------------- */
#define CONFIG_ON 1
CHECK_STATIC(IS_ENABLED(CONFIG_ON) && !IS_ENABLED(CONFIG_OFF));
CHECK_STATIC(COND_CODE_1(DT_NODE_EXISTS(W), (1), (2)) == 1);
CHECK_STATIC(COND_CODE_0(DT_NODE_EXISTS(W), (1), (2)) == 2);
#define SQUARE(i, _) ((i) * (i))
static const int squares[] = {LISTIFY(4, SQUARE, (, ))};
CHECK_STATIC(sizeof(squares) / sizeof(squares[0]) == 4);
CHECK_STATIC((0 FOR_EACH(PLUS_ONE, (), a, b, c)) == 3);
CHECK_STATIC(NUM_VA_ARGS(a, b, c, d) == 4);
CHECK_STATIC(GET_ARG_N(3, 10, 20, 30) == 30);

int main(void) {
  CHECK_STR(DT_PROP(W, string_prop), "hello-world");
  CHECK_STR(DT_PROP(W, mode), "fast-mode");
  CHECK_STR(strings_prop[1], "c");
  CHECK_STR(DT_PROP_BY_IDX(W, strings_prop, 0), "a-b");
  CHECK_STR(DT_NODE_PATH(W), "/soc/widget@3000");
  CHECK_STR(DT_NODE_FULL_NAME(W), "widget@3000");
  CHECK_STR(DT_NODE_FULL_NAME(DT_ROOT), "/");
  CHECK_STR(DT_NODE_PATH(DT_CHILD(W, channel_1)), "/soc/widget@3000/channel@1");
  CHECK_STR(DT_PROP(DT_NODELABEL(widget1), status), "disabled");
  CHECK_STR(STRINGIFY(DT_STRING_UPPER_TOKEN(W, mode)), "FAST_MODE");
  CHECK_TRUE(array_prop[0] == 1 && bytes_prop[3] == 0xef);
  CHECK_TRUE(configs[1].base == 0x40005000UL && configs[1].value == 5);
  CHECK_TRUE(child_regs[2] == 2 && squares[3] == 9);
  if (check_failures != 0) {
    printf("%d check(s) failed\n", check_failures);
    return 1;
  }
  printf("all checks passed\n");
  return 0;
}
