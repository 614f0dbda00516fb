/* Unit tests for daemon/loop.c: descriptors, timers, the before-sleep
 * step and stopping, as the daemon relies on them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <poll.h>
#include <string.h>
#include <unistd.h>

#include "loop.h"

typedef struct counts {
    int reads, fired, slept;
    loop *l;
    int fd_to_drop;
    char order[16];
    size_t norder;
} counts;

static void on_read(void *ctx, int fd, short revents)
{
    counts *c = ctx;
    char buf[16];
    assert_true(revents & POLLIN);
    assert_true(read(fd, buf, sizeof buf) > 0);
    c->reads++;
    if (c->fd_to_drop >= 0)
        loop_del_fd(c->l, c->fd_to_drop);   /* a handler removing another */
}

static void on_timer_a(void *ctx)
{
    counts *c = ctx;
    c->fired++;
    c->order[c->norder++] = 'a';
}

static void on_timer_b(void *ctx)
{
    counts *c = ctx;
    c->fired++;
    c->order[c->norder++] = 'b';
    loop_stop(c->l);
}

static void before(void *ctx)
{
    ((counts *)ctx)->slept++;
}

static void descriptors_wake_their_handler(void **state)
{
    (void)state;
    loop *l = loop_new();
    counts c = { .l = l, .fd_to_drop = -1 };
    int p[2], q[2];
    assert_int_equal(pipe(p), 0);
    assert_int_equal(pipe(q), 0);
    assert_int_equal(loop_add_fd(l, p[0], on_read, &c), 0);
    assert_int_equal(loop_add_fd(l, q[0], on_read, &c), 0);
    loop_set_before_sleep(l, before, &c);
    c.fd_to_drop = q[0];
    assert_int_equal(write(p[1], "x", 1), 1);
    assert_int_equal(write(q[1], "y", 1), 1);
    assert_int_equal(loop_run_once(l), 0);
    assert_int_equal(c.slept, 1);
    /* Both were ready; the first handler dropped the second: not called. */
    assert_int_equal(c.reads, 1);
    assert_int_equal(write(q[1], "z", 1), 1);
    loop_timer t;
    loop_add_timer(l, &t, on_timer_b, &c);
    loop_timer_arm(&t, 20);
    assert_int_equal(loop_run(l), 0);      /* q no longer watched */
    assert_int_equal(c.reads, 1);
    close(p[0]); close(p[1]); close(q[0]); close(q[1]);
    loop_free(l);
}

static void timers_fire_in_order_and_rearm(void **state)
{
    (void)state;
    loop *l = loop_new();
    counts c = { .l = l, .fd_to_drop = -1 };
    loop_timer a, b;
    assert_int_equal(loop_add_timer(l, &a, on_timer_a, &c), 0);
    assert_int_equal(loop_add_timer(l, &b, on_timer_b, &c), 0);
    uint64_t start = loop_now_ms();
    loop_timer_arm(&b, 60);
    loop_timer_arm(&a, 10);
    loop_timer_arm_by(&a, loop_now_ms() + 500);   /* later: keeps 10 ms */
    assert_int_equal(loop_run(l), 0);
    assert_true(loop_now_ms() - start >= 60);
    assert_int_equal(c.fired, 2);
    assert_memory_equal(c.order, "ab", 2);
    assert_false(a.armed);
    loop_timer_disarm(&b);
    loop_del_timer(l, &a);
    loop_del_timer(l, &b);
    loop_free(l);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(descriptors_wake_their_handler),
        cmocka_unit_test(timers_fire_in_order_and_rearm),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
