/*
 * The event loop: the only module that calls event_base_*.  Signals
 * (SIGHUP reload, SIGTERM/SIGINT graceful stop), systemd notification
 * (READY, RELOADING, STOPPING, WATCHDOG) and timers live here.
 */
#ifndef MANDATE_LOOP_H
#define MANDATE_LOOP_H

struct loop;
struct http;
struct event_base;

/* Makes libevent allocate with wiping frees; call before anything else of
 * libevent. */
void loop_init_memory(void);

/* A new loop; fatal on failure.  reload is called on SIGHUP with arg. */
struct loop *loop_new(void (*reload)(void *), void *arg);

/* The event base, for modules that register events (http). */
struct event_base *loop_base(struct loop *loop);

/* The server to drain at shutdown. */
void loop_set_http(struct loop *loop, struct http *http);

/*
 * Runs until SIGTERM or SIGINT, then stops accepting and waits (up to a
 * grace period) for open connections to finish.  Tells systemd READY=1
 * first.  Returns 0, or the status given to loop_fail().
 */
int loop_run(struct loop *loop);

/*
 * Stops the loop soon (after replies already sent have gone out) without
 * draining: loop_run() then returns status.  For failures after which the
 * daemon must not go on.
 */
void loop_fail(struct loop *loop, int status);

/*
 * Runs the callbacks of the events that are ready, first waiting for one
 * when wait is nonzero: for tests that drive a server a step at a time
 * (tests/fuzz/fuzz_http.c).  Returns 0, or -1 when no event is pending.
 */
int loop_step(struct loop *loop, int wait);

/* Frees the loop; accepts NULL. */
void loop_free(struct loop *loop);

/*
 * Calls cb(arg) first seconds from now, then every interval seconds, until
 * the loop is freed.  Fatal when the timer cannot be set.
 */
void loop_every(struct loop *loop, unsigned first, unsigned interval,
    void (*cb)(void *), void *arg);

/* Sends state to systemd's notification socket, if there is one. */
void loop_notify(const char *state);

/* Versions of libevent, for logs and --version. */
const char *loop_library_version(void);

#endif
