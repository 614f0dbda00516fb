/*
 * loop.h - the daemon's one event loop, in the manner of redis's ae.c.
 *
 * Everything the daemon waits for goes through one poll() here: signals
 * (a signalfd), the inotify descriptor, the workers' sockets and timers.
 * One round (loop_run_once) runs the before-sleep hook, polls with the
 * timeout of the earliest armed timer, then calls the handler of every
 * ready descriptor and of every timer that came due.  Nothing else in the
 * daemon blocks or polls: a long job (a scan of a large folder) is done in
 * bounded steps from the before-sleep hook, so signals, events and results
 * are always handled within one step.
 *
 * Descriptors: at most LOOP_MAX_FDS; registering a registered one replaces
 * its handler.  Timers are the caller's structs, registered once and armed
 * as often as needed; the loop only keeps pointers to them.
 *
 * Cost: O(descriptors + timers) a round, both a handful.  The loop owns
 * nothing it is given; loop_free() frees only the loop.
 */
#ifndef CLEANER_DAEMON_LOOP_H
#define CLEANER_DAEMON_LOOP_H

#include <stddef.h>
#include <stdint.h>

/* Signals, inotify, and one socket per worker: 256 workers at most. */
#define LOOP_MAX_FDS    260
#define LOOP_MAX_TIMERS 16

typedef struct loop loop;

typedef void (*loop_fd_fn)(void *ctx, int fd, short revents);
typedef void (*loop_fn)(void *ctx);

typedef struct loop_timer {
    uint64_t due_ms;       /* on loop_now_ms()'s clock */
    int      armed;
    loop_fn  fn;
    void    *ctx;
} loop_timer;

loop *loop_new(void);
void  loop_free(loop *l);

/* Calls fn when fd is readable (or hung up).  0, or -1 when full. */
int   loop_add_fd(loop *l, int fd, loop_fd_fn fn, void *ctx);
void  loop_del_fd(loop *l, int fd);

/* Registers t (disarmed); it must outlive the loop or be removed. */
int   loop_add_timer(loop *l, loop_timer *t, loop_fn fn, void *ctx);
void  loop_del_timer(loop *l, loop_timer *t);
/* Arms t to fire once, delay_ms from now (re-arming moves it). */
void  loop_timer_arm(loop_timer *t, uint64_t delay_ms);
/* Arms t for due_ms unless it is armed for earlier already. */
void  loop_timer_arm_by(loop_timer *t, uint64_t due_ms);
void  loop_timer_disarm(loop_timer *t);

void  loop_set_before_sleep(loop *l, loop_fn fn, void *ctx);

/* Makes loop_run() return after the current round. */
void  loop_stop(loop *l);
int   loop_stopped(const loop *l);

/* One round.  0, or -1 when poll() failed (errno set). */
int   loop_run_once(loop *l);
/* Rounds until loop_stop().  0, or -1 as above. */
int   loop_run(loop *l);

uint64_t loop_now_ms(void);

#endif
