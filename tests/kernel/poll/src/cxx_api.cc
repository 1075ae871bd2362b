// The kernel objects' static definitions and initialisers compile as C++ too.
#include <zephyr/kernel.h>
#include <zephyr/ztest.h>

namespace {

void ExpiryFn(k_timer *timer) {
  ARG_UNUSED(timer);
}

void WorkFn(k_work *work) {
  ARG_UNUSED(work);
}

K_TIMER_DEFINE(cxx_timer, ExpiryFn, nullptr);
K_EVENT_DEFINE(cxx_event);
K_CONDVAR_DEFINE(cxx_condvar);
K_WORK_DEFINE(cxx_work, WorkFn);
K_WORK_DELAYABLE_DEFINE(cxx_dwork, WorkFn);
K_PIPE_DEFINE(cxx_pipe, 8, 4);
K_MBOX_DEFINE(cxx_mbox);
K_SEM_DEFINE(cxx_sem, 1, 1);
k_poll_signal cxx_signal = K_POLL_SIGNAL_INITIALIZER(cxx_signal);
k_poll_event cxx_events[] = {
    K_POLL_EVENT_INITIALIZER(K_POLL_TYPE_SEM_AVAILABLE, K_POLL_MODE_NOTIFY_ONLY, &cxx_sem),
    K_POLL_EVENT_STATIC_INITIALIZER(K_POLL_TYPE_SIGNAL, K_POLL_MODE_NOTIFY_ONLY, &cxx_signal, 5),
};

}  // namespace

ZTEST(poll, test_cxx_definitions) {
  zassert_equal(k_poll(cxx_events, 2, K_NO_WAIT), 0);
  zassert_equal(cxx_events[0].state, K_POLL_STATE_SEM_AVAILABLE);
  zassert_equal(cxx_events[1].tag, 5U);
  zassert_equal(k_event_post(&cxx_event, 1), 0U);
  zassert_equal(k_condvar_signal(&cxx_condvar), 0);
  zassert_equal(k_work_busy_get(&cxx_work), 0);
  zassert_equal(k_work_delayable_busy_get(&cxx_dwork), 0);
  zassert_equal(k_pipe_write_avail(&cxx_pipe), 8U);
  k_timer_start(&cxx_timer, K_MSEC(1), K_NO_WAIT);
  zassert_equal(k_timer_status_sync(&cxx_timer), 1U);
  k_mbox_msg msg = {};
  msg.rx_source_thread = K_ANY;
  zassert_equal(k_mbox_get(&cxx_mbox, &msg, nullptr, K_NO_WAIT), -ENOMSG);
}
