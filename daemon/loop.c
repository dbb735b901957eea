/*
 * The libevent loop, its signals and timers, and sd_notify written by hand
 * (a datagram to $NOTIFY_SOCKET), so that no systemd library is needed.
 */
#include "loop.h"

#include <errno.h>
#include <event2/event.h>
#include <malloc.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "http.h"
#include "log.h"

#define LOOP_GRACE_SEC 10
#define LOOP_MAX_TIMERS 4

/* A periodic timer: a one-shot first run, then a persistent event. */
struct loop_timer {
	struct event *ev;
	struct timeval every;
	int armed; /* the persistent period is set */
	void (*cb)(void *);
	void *arg;
};

struct loop {
	struct event_base *base;
	struct event *sighup, *sigterm, *sigint, *watchdog, *drain;
	void (*reload)(void *);
	void *arg;
	struct http *http;
	int drain_ticks;
	struct loop_timer timers[LOOP_MAX_TIMERS];
	size_t ntimers;
	int status; /* loop_run()'s: nonzero after loop_fail() */
};

static void *
loop_malloc(size_t n)
{
	return malloc(n);
}

static void *
loop_realloc(void *p, size_t n)
{
	return realloc(p, n);
}

/* Frees with the block wiped first: buffers may have held case content. */
static void
loop_free_wiped(void *p)
{
	if (p != NULL)
		explicit_bzero(p, malloc_usable_size(p));
	free(p);
}

void
loop_init_memory(void)
{
	event_set_mem_functions(loop_malloc, loop_realloc, loop_free_wiped);
}

void
loop_notify(const char *state)
{
	const char *path = getenv("NOTIFY_SOCKET");
	struct sockaddr_un sun;
	socklen_t len;
	int fd;

	if (path == NULL || path[0] == '\0' ||
	    strlen(path) >= sizeof sun.sun_path)
		return;
	memset(&sun, 0, sizeof sun);
	sun.sun_family = AF_UNIX;
	memcpy(sun.sun_path, path, strlen(path));
	if (sun.sun_path[0] == '@')
		sun.sun_path[0] = '\0';
	len =
	    (socklen_t)(offsetof(struct sockaddr_un, sun_path) + strlen(path));
	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return;
	if (sendto(fd, state, strlen(state), MSG_NOSIGNAL,
	        (struct sockaddr *)&sun, len) < 0)
		log_warn("loop: sd_notify");
	close(fd);
}

static void
loop_on_hup(evutil_socket_t sig, short ev, void *arg)
{
	struct loop *loop = arg;

	loop_notify("RELOADING=1");
	loop->reload(loop->arg);
	loop_notify("READY=1");
}

static void
loop_on_drain(evutil_socket_t fd, short ev, void *arg)
{
	struct loop *loop = arg;
	struct timeval tv = {0, 50000};

	if (loop->http == NULL || http_connections(loop->http) == 0 ||
	    ++loop->drain_ticks > LOOP_GRACE_SEC * 20) {
		event_base_loopexit(loop->base, NULL);
		return;
	}
	evtimer_add(loop->drain, &tv);
}

static void
loop_on_term(evutil_socket_t sig, short ev, void *arg)
{
	struct loop *loop = arg;

	if (loop->drain_ticks > 0 || evtimer_pending(loop->drain, NULL))
		return;
	log_info("loop: signal %d: stopping", (int)sig);
	loop_notify("STOPPING=1");
	if (loop->http != NULL)
		http_stop_accepting(loop->http);
	loop_on_drain(-1, 0, loop);
}

static void
loop_on_watchdog(evutil_socket_t fd, short ev, void *arg)
{
	loop_notify("WATCHDOG=1");
}

static struct event *
loop_signal(struct loop *loop, int sig, event_callback_fn cb)
{
	struct event *e = evsignal_new(loop->base, sig, cb, loop);

	if (e == NULL || evsignal_add(e, NULL) < 0)
		fatalx("loop: cannot watch signal %d", sig);
	return e;
}

/* Pets systemd's watchdog at half the interval it asked for. */
static void
loop_watchdog(struct loop *loop)
{
	const char *usec = getenv("WATCHDOG_USEC"),
	           *pid = getenv("WATCHDOG_PID");
	long long us;
	struct timeval tv;

	if (usec == NULL || (pid != NULL && atol(pid) != (long)getpid()))
		return;
	us = atoll(usec) / 2;
	if (us <= 0)
		return;
	tv.tv_sec = (time_t)(us / 1000000);
	tv.tv_usec = (suseconds_t)(us % 1000000);
	loop->watchdog =
	    event_new(loop->base, -1, EV_PERSIST, loop_on_watchdog, loop);
	if (loop->watchdog == NULL || event_add(loop->watchdog, &tv) < 0)
		fatalx("loop: cannot arm the watchdog");
}

struct loop *
loop_new(void (*reload)(void *), void *arg)
{
	struct loop *loop = calloc(1, sizeof *loop);

	if (loop == NULL || (loop->base = event_base_new()) == NULL)
		fatalx("loop: cannot create the event base");
	/* Priority 0 is for bookkeeping that must run before I/O (http.c);
	 * every other event gets the default, 1. */
	if (event_base_priority_init(loop->base, 2) < 0)
		fatalx("loop: cannot set event priorities");
	loop->reload = reload;
	loop->arg = arg;
	signal(SIGPIPE, SIG_IGN);
	loop->sighup = loop_signal(loop, SIGHUP, loop_on_hup);
	loop->sigterm = loop_signal(loop, SIGTERM, loop_on_term);
	loop->sigint = loop_signal(loop, SIGINT, loop_on_term);
	loop->drain = evtimer_new(loop->base, loop_on_drain, loop);
	if (loop->drain == NULL)
		fatalx("loop: cannot create the drain timer");
	loop_watchdog(loop);
	return loop;
}

static void
loop_on_timer(evutil_socket_t fd, short ev, void *arg)
{
	struct loop_timer *t = arg;

	if (!t->armed) {
		t->armed = 1;
		if (event_add(t->ev, &t->every) < 0)
			log_warnx("loop: cannot re-arm a timer");
	}
	t->cb(t->arg);
}

void
loop_every(struct loop *loop, unsigned first, unsigned interval,
    void (*cb)(void *), void *arg)
{
	struct loop_timer *t;
	struct timeval tv = {(time_t)first, 0};

	if (loop->ntimers == LOOP_MAX_TIMERS)
		fatalx("loop: too many timers");
	t = &loop->timers[loop->ntimers++];
	t->every.tv_sec = (time_t)interval;
	t->cb = cb;
	t->arg = arg;
	t->ev = event_new(loop->base, -1, EV_PERSIST, loop_on_timer, t);
	if (t->ev == NULL || event_add(t->ev, &tv) < 0)
		fatalx("loop: cannot set a timer");
}

struct event_base *
loop_base(struct loop *loop)
{
	return loop->base;
}

void
loop_set_http(struct loop *loop, struct http *http)
{
	loop->http = http;
}

int
loop_run(struct loop *loop)
{
	loop_notify("READY=1");
	event_base_dispatch(loop->base);
	return loop->status;
}

void
loop_fail(struct loop *loop, int status)
{
	/* Long enough for the replies already sent to leave. */
	struct timeval tv = {0, 200000};

	if (loop->status != 0)
		return;
	loop->status = status;
	loop_notify("STOPPING=1");
	if (loop->http != NULL)
		http_stop_accepting(loop->http);
	event_base_loopexit(loop->base, &tv);
}

int
loop_step(struct loop *loop, int wait)
{
	int flags = wait ? EVLOOP_ONCE : EVLOOP_NONBLOCK;

	return event_base_loop(loop->base, flags) == 0 ? 0 : -1;
}

void
loop_free(struct loop *loop)
{
	if (loop == NULL)
		return;
	struct event *evs[] = {loop->sighup, loop->sigterm, loop->sigint,
	    loop->watchdog, loop->drain};
	for (size_t i = 0; i < sizeof evs / sizeof evs[0]; i++)
		if (evs[i] != NULL)
			event_free(evs[i]);
	for (size_t i = 0; i < loop->ntimers; i++)
		event_free(loop->timers[i].ev);
	event_base_free(loop->base);
	free(loop);
}

const char *
loop_library_version(void)
{
	return event_get_version();
}
