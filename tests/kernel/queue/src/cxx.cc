// The object definition macros and APIs of the queue, stack, message queue, slab and heap
// headers, used from C++.
#include <zephyr/kernel.h>
#include <zephyr/ztest.h>

namespace {

struct Item {
  void *reserved;
  int value;
};

K_QUEUE_DEFINE(cxx_queue);
K_FIFO_DEFINE(cxx_fifo);
K_LIFO_DEFINE(cxx_lifo);
K_STACK_DEFINE(cxx_stack, 2);
K_MSGQ_DEFINE(cxx_msgq, sizeof(int), 2, 4);
K_MEM_SLAB_DEFINE(cxx_slab, 16, 2, 8);
K_MEM_SLAB_DEFINE_STATIC(cxx_static_slab, 16, 2, 8);
K_HEAP_DEFINE(cxx_heap, 256);

}  // namespace

ZTEST(cxx, test_objects_from_cxx) {
  Item a{nullptr, 1};
  Item b{nullptr, 2};

  k_queue_append(&cxx_queue, &a);
  zassert_equal(static_cast<Item *>(k_queue_get(&cxx_queue, K_NO_WAIT))->value, 1);
  k_fifo_put(&cxx_fifo, &a);
  k_fifo_put(&cxx_fifo, &b);
  zassert_equal(static_cast<Item *>(k_fifo_get(&cxx_fifo, K_NO_WAIT))->value, 1);
  zassert_equal(static_cast<Item *>(k_fifo_get(&cxx_fifo, K_NO_WAIT))->value, 2);
  k_lifo_put(&cxx_lifo, &a);
  k_lifo_put(&cxx_lifo, &b);
  zassert_equal(static_cast<Item *>(k_lifo_get(&cxx_lifo, K_NO_WAIT))->value, 2);
  zassert_equal(static_cast<Item *>(k_lifo_get(&cxx_lifo, K_NO_WAIT))->value, 1);

  stack_data_t value;
  zassert_ok(k_stack_push(&cxx_stack, 5));
  zassert_ok(k_stack_pop(&cxx_stack, &value, K_NO_WAIT));
  zassert_equal(value, 5U);

  int msg = 9;
  int out = 0;
  zassert_ok(k_msgq_put(&cxx_msgq, &msg, K_NO_WAIT));
  zassert_ok(k_msgq_get(&cxx_msgq, &out, K_NO_WAIT));
  zassert_equal(out, 9);

  void *block;
  zassert_ok(k_mem_slab_alloc(&cxx_slab, &block, K_NO_WAIT));
  k_mem_slab_free(&cxx_slab, block);
  zassert_ok(k_mem_slab_alloc(&cxx_static_slab, &block, K_NO_WAIT));
  k_mem_slab_free(&cxx_static_slab, block);

  void *mem = k_heap_alloc(&cxx_heap, 32, K_NO_WAIT);
  zassert_not_null(mem);
  k_heap_free(&cxx_heap, mem);
}

ZTEST_SUITE(cxx, nullptr, nullptr, nullptr, nullptr, nullptr);
