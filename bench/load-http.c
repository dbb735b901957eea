/*
 * Closed-loop HTTP/1.1 load from one libevent loop: persistent keep-alive
 * connections over a Unix socket or TCP, each sending its next prebuilt
 * request as soon as the previous reply is complete, with a small reply
 * parser (Content-Length and chunked).  Every non-2xx reply and every
 * broken connection is an error of the run.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/un.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>

#include "load.h"

#define LH_HEAD_MAX 65536
#define LH_BODY_CAP (512 * 1024)

enum lh_phase {
	LH_HEAD,
	LH_BODY,
	LH_CHUNK_SIZE,
	LH_CHUNK_DATA,
	LH_CHUNK_END,
	LH_TRAILER,
};

struct lh_state;

struct lh_conn {
	struct lh_state *s;
	unsigned idx;
	struct bufferevent *bev;
	int busy;     /* a request is out */
	int measured; /* ... sent after the warm-up */
	int done;
	double sent_at;
	enum lh_phase phase;
	int status;
	int close_after;
	size_t left; /* body or chunk bytes still to read */
	char *body;
	size_t blen;
};

struct lh_state {
	struct event_base *base;
	const struct lh_target *t;
	const struct lh_opts *o;
	struct lh_result *r;
	struct lh_conn *c;
	struct event *tick;
	uint64_t replies;
	uint64_t issued; /* after the warm-up */
	int measuring, stopping;
	double t_start, t_last, last_progress;
	unsigned active;
	size_t latcap;
};

static void lh_issue(struct lh_conn *c);

double
lh_quantile(const double *sorted, size_t n, double q)
{
	size_t i;

	if (n == 0)
		return 0;
	i = (size_t)(q * (double)n + 0.999999);
	if (i == 0)
		i = 1;
	if (i > n)
		i = n;
	return sorted[i - 1];
}

static int
lh_cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

void
lh_sort(double *v, size_t n)
{
	qsort(v, n, sizeof *v, lh_cmp);
}

static void lh_error(struct lh_state *s, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
lh_error(struct lh_state *s, const char *fmt, ...)
{
	struct lh_result *r = s->r;
	va_list ap;

	r->errors++;
	if (r->why[0] != '\0')
		return;
	va_start(ap, fmt);
	vsnprintf(r->why, sizeof r->why, fmt, ap);
	va_end(ap);
}

static void
lh_finish(struct lh_conn *c)
{
	if (c->done)
		return;
	c->done = 1;
	c->busy = 0;
	if (c->bev != NULL)
		bufferevent_free(c->bev);
	c->bev = NULL;
	if (--c->s->active == 0)
		event_base_loopexit(c->s->base, NULL);
}

static void
lh_start_measuring(struct lh_state *s)
{
	s->measuring = 1;
	s->t_start = s->t_last = lp_now();
	if (s->o->measure_start != NULL)
		s->o->measure_start(s->o->arg);
}

static void
lh_latency(struct lh_state *s, double v)
{
	struct lh_result *r = s->r;
	double *grown;

	if (r->nlat == s->latcap) {
		s->latcap = s->latcap ? s->latcap * 2 : 65536;
		if ((grown = realloc(r->lat, s->latcap * sizeof *grown)) ==
		    NULL) {
			fprintf(stderr, "bench_load: out of memory\n");
			exit(1);
		}
		r->lat = grown;
	}
	r->lat[r->nlat++] = v;
}

/* A whole reply has arrived on c. */
static void
lh_complete(struct lh_conn *c)
{
	struct lh_state *s = c->s;
	double now = lp_now();
	int ok = c->status >= 200 && c->status < 300;

	c->busy = 0;
	s->replies++;
	s->last_progress = now;
	if (c->status >= 100 && c->status < 600)
		s->r->status[c->status / 100]++;
	if (ok && c->measured) {
		lh_latency(s, now - c->sent_at);
		s->r->measured++;
		s->t_last = now;
	} else if (!ok) {
		lh_error(s, "HTTP %d %.*s", c->status,
		    (int)(c->blen > 160 ? 160 : c->blen),
		    c->body ? c->body : "");
	}
	if (s->o->reply != NULL)
		s->o->reply(s->o->arg, c->status, c->body ? c->body : "",
		    c->blen, c->measured);
	c->blen = 0;
	if (!s->measuring && s->replies >= s->o->warmup)
		lh_start_measuring(s);
	if (c->close_after) {
		lh_error(s, "the daemon closed a keep-alive connection");
		lh_finish(c);
		return;
	}
	lh_issue(c);
}

static void
lh_keep(struct lh_conn *c, struct evbuffer *in, size_t n)
{
	if (c->body == NULL && (c->body = malloc(LH_BODY_CAP + 1)) == NULL) {
		fprintf(stderr, "bench_load: out of memory\n");
		exit(1);
	}
	if (c->blen + n > LH_BODY_CAP)
		n = LH_BODY_CAP - c->blen;
	if (n > 0)
		evbuffer_copyout(in, c->body + c->blen, n);
	c->blen += n;
	c->body[c->blen] = '\0';
}

/* Parses the head of a reply: 0, or -1 when it is not HTTP/1.x. */
static int
lh_head(struct lh_conn *c, struct evbuffer *in, size_t headlen)
{
	char *h = malloc(headlen + 1), *line, *save = NULL, *v;
	int chunked = 0, has_len = 0;

	if (h == NULL)
		return -1;
	evbuffer_remove(in, h, headlen);
	h[headlen] = '\0';
	c->close_after = 0;
	c->left = 0;
	if (strncmp(h, "HTTP/1.", 7) != 0 || strlen(h) < 12) {
		free(h);
		return -1;
	}
	c->status = atoi(h + 9);
	for (line = strtok_r(h, "\r\n", &save); line != NULL;
	     line = strtok_r(NULL, "\r\n", &save)) {
		if ((v = strchr(line, ':')) == NULL)
			continue;
		*v++ = '\0';
		v += strspn(v, " \t");
		if (strcasecmp(line, "Content-Length") == 0) {
			c->left = strtoull(v, NULL, 10);
			has_len = 1;
		} else if (strcasecmp(line, "Transfer-Encoding") == 0)
			chunked = strcasestr(v, "chunked") != NULL;
		else if (strcasecmp(line, "Connection") == 0)
			c->close_after = strcasestr(v, "close") != NULL;
	}
	free(h);
	if (chunked)
		c->phase = LH_CHUNK_SIZE;
	else if (has_len || c->status == 204 || c->status == 304)
		c->phase = LH_BODY;
	else
		return -1; /* a body up to the close: not used by evhttp */
	return 0;
}

/* Reads what has arrived: 1 when a reply is complete, 0 for more, -1 on
 * a malformed reply. */
static int
lh_parse(struct lh_conn *c, struct evbuffer *in)
{
	struct evbuffer_ptr p;
	size_t n, len;
	char *line;

	for (;;) {
		len = evbuffer_get_length(in);
		switch (c->phase) {
		case LH_HEAD:
			p = evbuffer_search(in, "\r\n\r\n", 4, NULL);
			if (p.pos < 0)
				return len > LH_HEAD_MAX ? -1 : 0;
			if (lh_head(c, in, (size_t)p.pos + 4) < 0)
				return -1;
			break;
		case LH_BODY:
		case LH_CHUNK_DATA:
			n = len < c->left ? len : c->left;
			lh_keep(c, in, n);
			evbuffer_drain(in, n);
			c->left -= n;
			if (c->left > 0)
				return 0;
			if (c->phase == LH_BODY) {
				c->phase = LH_HEAD;
				return 1;
			}
			c->phase = LH_CHUNK_END;
			break;
		case LH_CHUNK_END:
			if (len < 2)
				return 0;
			evbuffer_drain(in, 2);
			c->phase = LH_CHUNK_SIZE;
			break;
		case LH_CHUNK_SIZE:
			if ((line = evbuffer_readln(
			         in, &n, EVBUFFER_EOL_CRLF)) == NULL)
				return len > 64 ? -1 : 0;
			c->left = strtoull(line, NULL, 16);
			free(line);
			c->phase = c->left == 0 ? LH_TRAILER : LH_CHUNK_DATA;
			break;
		case LH_TRAILER:
			if ((line = evbuffer_readln(
			         in, &n, EVBUFFER_EOL_CRLF)) == NULL)
				return 0;
			free(line);
			if (n == 0) {
				c->phase = LH_HEAD;
				return 1;
			}
			break;
		}
	}
}

static void
lh_read(struct bufferevent *bev, void *arg)
{
	struct lh_conn *c = arg;
	struct evbuffer *in = bufferevent_get_input(bev);
	int r;

	while (!c->done && (r = lh_parse(c, in)) != 0) {
		if (r < 0) {
			lh_error(c->s, "a reply that is not HTTP/1.1");
			lh_finish(c);
			return;
		}
		if (!c->busy) {
			lh_error(c->s, "a reply nobody asked for");
			lh_finish(c);
			return;
		}
		lh_complete(c);
	}
}

static void
lh_event(struct bufferevent *bev, short what, void *arg)
{
	struct lh_conn *c = arg;
	int one = 1;

	if (what & BEV_EVENT_CONNECTED) {
		if (c->s->t->unix_path == NULL)
			setsockopt(bufferevent_getfd(bev), IPPROTO_TCP,
			    TCP_NODELAY, &one, sizeof one);
		lh_issue(c);
		return;
	}
	if (what & (BEV_EVENT_EOF | BEV_EVENT_ERROR)) {
		if (c->busy || !c->s->stopping)
			lh_error(c->s, "connection lost: %s",
			    (what & BEV_EVENT_EOF) ? "closed by the daemon"
			                           : "socket error");
		lh_finish(c);
	}
}

static void
lh_issue(struct lh_conn *c)
{
	struct lh_state *s = c->s;
	const char *data;
	size_t len;

	if (s->stopping ||
	    (s->measuring && s->o->duration <= 0 && s->issued >= s->o->count) ||
	    s->o->next(s->o->arg, c->idx, &data, &len) < 0) {
		lh_finish(c);
		return;
	}
	c->measured = s->measuring;
	if (s->measuring)
		s->issued++;
	c->busy = 1;
	c->sent_at = lp_now();
	c->phase = LH_HEAD;
	c->blen = 0;
	if (bufferevent_write(c->bev, data, len) < 0) {
		lh_error(s, "cannot write a request");
		lh_finish(c);
	}
}

static void
lh_tick(evutil_socket_t fd, short what, void *arg)
{
	struct lh_state *s = arg;
	double now = lp_now();

	if (s->measuring && s->o->duration > 0 &&
	    now >= s->t_start + s->o->duration)
		s->stopping = 1;
	if (now - s->last_progress > s->o->stall) {
		lh_error(s, "no reply for %.0f s: stopped", s->o->stall);
		event_base_loopbreak(s->base);
	}
}

static int
lh_connect(struct lh_state *s, struct lh_conn *c)
{
	struct sockaddr_un sun;
	struct sockaddr_in sin;
	struct sockaddr *sa;
	int salen;

	c->bev = bufferevent_socket_new(s->base, -1, BEV_OPT_CLOSE_ON_FREE);
	if (c->bev == NULL)
		return -1;
	bufferevent_setcb(c->bev, lh_read, NULL, lh_event, c);
	bufferevent_enable(c->bev, EV_READ | EV_WRITE);
	if (s->t->unix_path != NULL) {
		memset(&sun, 0, sizeof sun);
		sun.sun_family = AF_UNIX;
		if (strlen(s->t->unix_path) >= sizeof sun.sun_path)
			return -1;
		strcpy(sun.sun_path, s->t->unix_path);
		sa = (struct sockaddr *)&sun;
		salen = (int)sizeof sun;
	} else {
		memset(&sin, 0, sizeof sin);
		sin.sin_family = AF_INET;
		sin.sin_port = htons((uint16_t)s->t->port);
		if (inet_pton(AF_INET, s->t->host, &sin.sin_addr) != 1)
			return -1;
		sa = (struct sockaddr *)&sin;
		salen = (int)sizeof sin;
	}
	return bufferevent_socket_connect(c->bev, sa, salen);
}

int
lh_run(const struct lh_target *t, const struct lh_opts *o, struct lh_result *r)
{
	struct timeval tv = {0, 100000};
	struct lh_state s;
	unsigned i;

	memset(r, 0, sizeof *r);
	memset(&s, 0, sizeof s);
	s.t = t;
	s.o = o;
	s.r = r;
	if ((s.base = event_base_new()) == NULL ||
	    (s.c = calloc(o->conns, sizeof *s.c)) == NULL) {
		snprintf(r->why, sizeof r->why, "cannot set up libevent");
		goto fail;
	}
	s.last_progress = lp_now();
	if (o->warmup == 0)
		lh_start_measuring(&s);
	for (i = 0; i < o->conns; i++) {
		s.c[i].s = &s;
		s.c[i].idx = i;
		s.active++;
		if (lh_connect(&s, &s.c[i]) < 0) {
			snprintf(r->why, sizeof r->why, "cannot connect to %s",
			    t->unix_path ? t->unix_path : t->host);
			goto fail;
		}
	}
	s.tick = event_new(s.base, -1, EV_PERSIST, lh_tick, &s);
	event_add(s.tick, &tv);
	event_base_dispatch(s.base);
	r->elapsed = s.measuring ? s.t_last - s.t_start : 0;
	if (!s.measuring || r->measured == 0)
		lh_error(&s, "no reply after the warm-up");
	for (i = 0; i < o->conns; i++) {
		if (!s.c[i].done && s.c[i].bev != NULL)
			bufferevent_free(s.c[i].bev);
		free(s.c[i].body);
	}
	event_free(s.tick);
	free(s.c);
	event_base_free(s.base);
	return 0;
fail:
	if (s.c != NULL)
		for (i = 0; i < o->conns; i++)
			if (s.c[i].bev != NULL)
				bufferevent_free(s.c[i].bev);
	free(s.c);
	if (s.base != NULL)
		event_base_free(s.base);
	return -1;
}
