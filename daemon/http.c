/*
 * evhttp glue: request in, reply out.  libevent 2.1 has no connection cap
 * of its own, so connections are counted: each new connection's
 * bufferevent is noted as evhttp creates it, and a high-priority event that
 * runs before any I/O of the new connection hooks a close callback on the
 * evhttp connection that owns it (evhttp has made it the bufferevent's
 * callback argument by then).  At the cap the listeners pause and the
 * kernel backlog holds newcomers.
 *
 * Group commit: a request whose writes wait in the database's shared
 * transaction (db.h) is answered only after the COMMIT that makes them
 * durable.  Its reply is held, and the flush event, queued behind the
 * I/O the loop has already taken in, commits once for all of them and
 * then sends every held reply in order.  Reads answered while writes are
 * pending wait too, so that nothing not yet durable is ever shown.  When
 * the COMMIT fails, the held replies say "outcome unknown", as does every
 * request after them, and the daemon exits for systemd to restart it.
 *
 * Streamed replies (exports) go out as chunks: each piece is asked of the
 * route's stream once the previous one has been written, so a reply is
 * never held whole.  A stream whose client goes away is released from the
 * connection's close callback.
 */
#include "http.h"

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <event2/listener.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/queue.h>
#include <sys/time.h>
#include <time.h>

#include "auth.h"
#include "config.h"
#include "crypt.h"
#include "db.h"
#include "listen.h"
#include "log.h"
#include "metrics.h"
#include "routes.h"
#include "server.h"

#define HTTP_MAX_LISTENERS 8

/* A reply held until the writes before it are durable. */
struct http_held {
	struct evhttp_request *r;
	unsigned long long id;
	struct response res;
	enum http_method method;
	const char *route;  /* the route's path pattern, or NULL */
	struct timespec t0; /* when the request came in */
	struct http_held *next;
};

/* A streamed reply in progress. */
struct http_stream {
	struct http *h;
	struct evhttp_request *r;
	struct evhttp_connection *evcon;
	struct reply_stream *s;
	unsigned long long id;
	struct http_stream *next;
};

struct http {
	struct event_base *base;
	struct evhttp *evh;
	struct server *srv;
	struct evhttp_bound_socket *bound[HTTP_MAX_LISTENERS];
	size_t nbound;
	unsigned conns;
	unsigned max_conns;
	struct bufferevent **fresh; /* created, close callback not yet hooked */
	size_t nfresh, capfresh;
	struct event *hook;
	int paused;
	int stopping;
	unsigned long long next_id;
	char peer[96]; /* the current request's peer, for rate limits */
	struct http_stream *streams; /* streamed replies in progress */
	int metrics_only; /* metrics_listen: GET /metrics, unauthenticated */
	struct http_held *held, **held_tail; /* replies awaiting a COMMIT */
	struct event *flush;
	int failed; /* a COMMIT failed: the daemon is on its way out */
	void (*on_fail)(void *);
	void *fail_arg;
};

static void
http_pause(struct http *h, int pause)
{
	if (h->paused == pause || (h->stopping && !pause) || h->evh == NULL)
		return;
	for (size_t i = 0; i < h->nbound; i++) {
		struct evconnlistener *l =
		    evhttp_bound_socket_get_listener(h->bound[i]);
		if (pause)
			evconnlistener_disable(l);
		else
			evconnlistener_enable(l);
	}
	h->paused = pause;
	if (pause && !h->stopping && h->conns >= h->max_conns)
		log_warnx("http: %u connections open: not accepting more until "
		          "one closes",
		    h->conns);
}

/* Unlinks a stream and releases it and what its route holds. */
static void
http_stream_release(struct http_stream *st)
{
	struct http_stream **pp;

	for (pp = &st->h->streams; *pp != NULL; pp = &(*pp)->next)
		if (*pp == st) {
			*pp = st->next;
			break;
		}
	st->s->free(st->s->arg);
	free(st->s);
	free(st);
}

/* The client of a stream went away: evhttp has detached the request from
 * the connection, so it is ours to free (evhttp_send_reply_end does). */
static void
http_stream_abandon(struct http *h, struct evhttp_connection *evcon)
{
	struct http_stream *st = h->streams, *next;

	for (; st != NULL; st = next) {
		next = st->next;
		if (st->evcon != evcon)
			continue;
		log_set_request(st->id);
		log_info("http: the client left before the end of a streamed "
		         "reply");
		log_set_request(0);
		if (evhttp_request_get_connection(st->r) == NULL)
			evhttp_send_reply_end(st->r);
		http_stream_release(st);
	}
}

static void
http_conn_closed(struct evhttp_connection *evcon, void *arg)
{
	struct http *h = arg;

	http_stream_abandon(h, evcon);
	h->conns--;
	if (h->paused && h->conns < h->max_conns)
		http_pause(h, 0);
}

/* Runs at the top priority right after the accept that created the fresh
 * connections, before any of their I/O can free them. */
static void
http_hook_closecb(evutil_socket_t fd, short ev, void *arg)
{
	struct http *h = arg;
	void *evcon;

	for (size_t i = 0; i < h->nfresh; i++) {
		evcon = NULL;
		listen_nodelay(bufferevent_getfd(h->fresh[i]));
		bufferevent_getcb(h->fresh[i], NULL, NULL, NULL, &evcon);
		if (evcon != NULL)
			evhttp_connection_set_closecb(
			    evcon, http_conn_closed, h);
		else
			http_conn_closed(NULL, h);
	}
	h->nfresh = 0;
}

static struct bufferevent *
http_new_conn(struct event_base *base, void *arg)
{
	struct http *h = arg;
	struct bufferevent *bev;

	bev = bufferevent_socket_new(base, -1, BEV_OPT_CLOSE_ON_FREE);
	if (bev == NULL)
		fatalx("http: cannot allocate a connection");
	if (h->nfresh == h->capfresh) {
		h->capfresh = h->capfresh ? h->capfresh * 2 : 16;
		h->fresh = realloc(h->fresh, h->capfresh * sizeof *h->fresh);
		if (h->fresh == NULL)
			fatalx("http: cannot allocate a connection");
	}
	h->fresh[h->nfresh++] = bev;
	event_active(h->hook, EV_TIMEOUT, 0);
	if (++h->conns >= h->max_conns)
		http_pause(h, 1);
	return bev;
}

static enum http_method
http_method_of(enum evhttp_cmd_type cmd)
{
	switch (cmd) {
	case EVHTTP_REQ_GET:
		return HTTP_GET;
	case EVHTTP_REQ_POST:
		return HTTP_POST;
	case EVHTTP_REQ_PUT:
		return HTTP_PUT;
	case EVHTTP_REQ_DELETE:
		return HTTP_DELETE;
	default:
		return HTTP_OTHER;
	}
}

static const char *
http_method_name(enum http_method m)
{
	switch (m) {
	case HTTP_GET:
		return "GET";
	case HTTP_POST:
		return "POST";
	case HTTP_PUT:
		return "PUT";
	case HTTP_DELETE:
		return "DELETE";
	default:
		return "other";
	}
}

static int
http_path_ok(const char *path)
{
	if (path == NULL || path[0] != '/')
		return 0;
	for (const char *p = path; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		        (*p >= '0' && *p <= '9') || *p == '/' || *p == '-' ||
		        *p == '_' || *p == '.'))
			return 0;
	return 1;
}

static void
http_query_free(struct query *q)
{
	for (size_t i = 0; i < q->n; i++) {
		free(q->key[i]);
		free(q->value[i]);
	}
	q->n = 0;
}

/* Copies the decoded query into q; -1 on too many or repeated keys, or on
 * a key or value that is not UTF-8 (or holds a NUL): error bodies name
 * keys, and JSON holds only UTF-8. */
static int
http_query_parse(const char *text, struct query *q)
{
	struct evkeyvalq kv;
	struct evkeyval *e;
	int ret = 0;

	TAILQ_INIT(&kv);
	if (text == NULL)
		return 0;
	/* A decoded NUL would cut its value short unseen. */
	if (strstr(text, "%00") != NULL ||
	    evhttp_parse_query_str(text, &kv) < 0)
		return -1;
	TAILQ_FOREACH(e, &kv, next)
	{
		if (q->n == QUERY_MAX || query_get(q, e->key) != NULL ||
		    !json_utf8_valid(e->key, strlen(e->key)) ||
		    !json_utf8_valid(e->value, strlen(e->value))) {
			ret = -1;
			break;
		}
		q->key[q->n] = strdup(e->key);
		q->value[q->n] = strdup(e->value);
		if (q->key[q->n] == NULL || q->value[q->n] == NULL)
			abort();
		q->n++;
	}
	evhttp_clear_headers(&kv);
	return ret;
}

/*
 * Establishes who is calling: peer credentials on the Unix socket, a
 * bearer token on TCP.  Returns 0, or -1 with res filled with the refusal.
 */
static int
http_identify(struct http *h, struct evhttp_request *r, struct request *req,
    struct response *res)
{
	struct evhttp_connection *evcon = evhttp_request_get_connection(r);
	int fd = bufferevent_getfd(evhttp_connection_get_bufferevent(evcon));
	const char *auth;
	char *cause = NULL;
	uid_t uid;
	int found;

	if (listen_is_unix(fd)) {
		if (listen_peer_uid(fd, &uid) < 0) {
			log_warn("http: peer credentials");
			return reply_error(
			           res, MANDATE_ERR_INTERNAL, NULL, NULL),
			       -1;
		}
		snprintf(
		    h->peer, sizeof h->peer, "uid:%lu", (unsigned long)uid);
		found = auth_identify_uid(h->srv, uid, &req->who, &cause) == 0;
	} else {
		auth = evhttp_find_header(
		    evhttp_request_get_input_headers(r), "Authorization");
		if (auth == NULL || strncasecmp(auth, "Bearer ", 7) != 0)
			return reply_error(res, MANDATE_ERR_UNAUTHENTICATED,
			           NULL, NULL),
			       -1;
		found = auth_identify_token(
		    h->srv, auth + 7, strlen(auth + 7), &req->who, &cause);
		if (found == 0)
			return reply_error(res, MANDATE_ERR_UNAUTHENTICATED,
			           NULL, "the bearer token is not valid"),
			       -1;
		found = found > 0;
		if (found)
			snprintf(
			    h->peer, sizeof h->peer, "token:%s", req->who.user);
	}
	req->peer = h->peer;
	if (!found) {
		log_warnx("%s", cause ? cause : "http: identification failed");
		free(cause);
		return reply_error(res, MANDATE_ERR_INTERNAL, NULL, NULL), -1;
	}
	return 0;
}

static void
http_send(
    struct evhttp_request *r, unsigned long long req_id, struct response *res)
{
	struct evkeyvalq *out = evhttp_request_get_output_headers(r);
	struct evbuffer *buf = evbuffer_new();
	char id[32], *text;

	if (buf == NULL)
		fatalx("http: cannot allocate a reply");
	text = json_dump_compact(res->body);
	evbuffer_add(buf, text, strlen(text));
	evbuffer_add(buf, "\n", 1);
	crypt_wipe(text, strlen(text));
	free(text);
	snprintf(id, sizeof id, "%llu", req_id);
	evhttp_add_header(out, "Content-Type", "application/json");
	evhttp_add_header(out, "Cache-Control", "no-store");
	evhttp_add_header(out, "X-Content-Type-Options", "nosniff");
	evhttp_add_header(out, "X-Request-Id", id);
	if (res->status == 401)
		evhttp_add_header(out, "WWW-Authenticate", "Bearer");
	if (res->retry_after > 0) {
		snprintf(id, sizeof id, "%u", res->retry_after);
		evhttp_add_header(out, "Retry-After", id);
	}
	evhttp_send_reply(r, res->status, NULL, buf);
	evbuffer_free(buf);
}

/* Sends the stream's next piece, to be called again once it is written;
 * or ends the reply. */
static void
http_stream_pump(struct evhttp_connection *evcon, void *arg)
{
	struct http_stream *st = arg;
	struct evbuffer *buf;
	char *piece = NULL;
	size_t len = 0;
	int r;

	log_set_request(st->id);
	while ((r = st->s->next(st->s->arg, &piece, &len)) == 1 && len == 0)
		free(piece); /* an empty chunk would end the reply */
	if (r == 1) {
		if ((buf = evbuffer_new()) == NULL)
			fatalx("http: cannot allocate a reply");
		evbuffer_add(buf, piece, len);
		free(piece);
		evhttp_send_reply_chunk_with_cb(
		    st->r, buf, http_stream_pump, st);
		evbuffer_free(buf);
	} else {
		struct evhttp_request *req = st->r;

		if (r < 0)
			log_warnx("http: a streamed reply ends short");
		/* Released first: ending the reply may close the connection
		 * (HTTP/1.0), whose close callback must not find the stream
		 * and end it a second time. */
		http_stream_release(st);
		evhttp_send_reply_end(req);
	}
	log_set_request(0);
}

/* Starts a streamed reply: status and headers now, the pieces as the
 * connection takes them.  Takes res->stream. */
static void
http_stream_start(struct http *h, struct evhttp_request *r,
    unsigned long long req_id, struct response *res)
{
	struct evkeyvalq *out = evhttp_request_get_output_headers(r);
	struct http_stream *st = calloc(1, sizeof *st);
	char id[32];

	if (st == NULL)
		fatalx("http: cannot allocate a reply");
	st->h = h;
	st->r = r;
	st->evcon = evhttp_request_get_connection(r);
	st->s = res->stream;
	st->id = req_id;
	res->stream = NULL;
	st->next = h->streams;
	h->streams = st;
	snprintf(id, sizeof id, "%llu", req_id);
	evhttp_add_header(out, "Content-Type", st->s->content_type);
	evhttp_add_header(out, "Cache-Control", "no-store");
	evhttp_add_header(out, "X-Content-Type-Options", "nosniff");
	evhttp_add_header(out, "X-Request-Id", id);
	evhttp_send_reply_start(r, res->status, NULL);
	http_stream_pump(st->evcon, st);
	log_set_request(req_id); /* the pump leaves none */
}

/* Sends a reply now: whole, or the start of a stream.  Frees its body. */
static void
http_reply(struct http *h, struct evhttp_request *r, unsigned long long id,
    struct response *res)
{
	if (res->stream != NULL)
		http_stream_start(h, r, id, res);
	else
		http_send(r, id, res);
	json_decref(res->body);
	res->body = NULL;
}

/* Holds a reply until the flush; takes res's body and stream.  If the
 * client goes away meanwhile, evhttp detaches the request from its
 * connection and the send at the flush frees it. */
static void
http_hold(struct http *h, struct evhttp_request *r, const struct request *req,
    const struct timespec *t0, struct response *res)
{
	struct http_held *held = calloc(1, sizeof *held);

	if (held == NULL)
		fatalx("http: cannot hold a reply");
	held->r = r;
	held->id = req->id;
	held->method = req->method;
	held->route = req->route ? req->route->path : NULL;
	held->t0 = *t0;
	held->res = *res;
	res->body = NULL;
	res->stream = NULL;
	*h->held_tail = held;
	h->held_tail = &held->next;
	event_active(h->flush, EV_TIMEOUT, 0);
}

/* A request answered: its metrics and its log line, time included. */
static void
http_done(enum http_method method, const char *route, const char *path,
    int status, const struct timespec *t0)
{
	struct timespec t1;
	int64_t us;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	us = (int64_t)(t1.tv_sec - t0->tv_sec) * 1000000 +
	     (t1.tv_nsec - t0->tv_nsec) / 1000;
	metrics_request_done(http_method_name(method), route, status, us);
	log_debug("http: %s %s %d %.3f ms", http_method_name(method),
	    http_path_ok(path) ? path : "(bad path)", status, (double)us / 1e3);
}

static void
http_fail(struct http *h, const char *cause)
{
	if (h->failed)
		return;
	h->failed = 1;
	log_errx("%s: answering \"outcome unknown\" and stopping for a "
	         "restart",
	    cause);
	if (h->on_fail != NULL)
		h->on_fail(h->fail_arg);
}

/* The flush: one COMMIT for every write since the last one, then the
 * replies that waited for it. */
static void
http_on_flush(evutil_socket_t fd, short ev, void *arg)
{
	struct http *h = arg;
	struct http_held *held, *next;
	char *cause = NULL;

	if (db_flush(h->srv->db, &cause) < 0) {
		http_fail(h, cause);
		free(cause);
	}
	held = h->held;
	h->held = NULL;
	h->held_tail = &h->held;
	for (; held != NULL; held = next) {
		next = held->next;
		log_set_request(held->id);
		if (h->failed)
			reply_error(&held->res, MANDATE_ERR_OUTCOME_UNKNOWN,
			    NULL, NULL);
		http_done(held->method, held->route,
		    evhttp_uri_get_path(evhttp_request_get_evhttp_uri(held->r)),
		    held->res.status, &held->t0);
		http_reply(h, held->r, held->id, &held->res);
		free(held);
	}
	log_set_request(0);
}

void
http_flush_soon(void *arg)
{
	struct http *h = arg;

	event_active(h->flush, EV_TIMEOUT, 0);
}

void
http_on_failure(struct http *h, void (*cb)(void *), void *arg)
{
	h->on_fail = cb;
	h->fail_arg = arg;
}

/* Wipes the request body where evhttp keeps it: it may be case content. */
static void
http_wipe_body(struct evhttp_request *r)
{
	struct evbuffer *in = evhttp_request_get_input_buffer(r);
	size_t len = evbuffer_get_length(in);
	unsigned char *p;

	if (len == 0)
		return;
	p = evbuffer_pullup(in, -1);
	if (p != NULL)
		crypt_wipe(p, len);
	evbuffer_drain(in, len);
}

/* Wipes a header's value in place: receipts are secrets. */
static void
http_wipe_header(struct evhttp_request *r, const char *name)
{
	const char *v =
	    evhttp_find_header(evhttp_request_get_input_headers(r), name);

	if (v != NULL)
		crypt_wipe((char *)v, strlen(v));
}

/*
 * Nonzero when the request names its length once: evhttp reads the body
 * by the first Content-Length and ignores a second one, which a proxy in
 * front might have read differently (request smuggling).
 */
static int
http_framing_ok(struct evhttp_request *r)
{
	struct evkeyvalq *in = evhttp_request_get_input_headers(r);
	struct evkeyval *e;
	int cl = 0, te = 0;

	TAILQ_FOREACH(e, in, next)
	{
		cl += strcasecmp(e->key, "Content-Length") == 0;
		te += strcasecmp(e->key, "Transfer-Encoding") == 0;
	}
	return cl <= 1 && te <= 1;
}

static void
http_request(struct evhttp_request *r, void *arg)
{
	struct http *h = arg;
	const struct evhttp_uri *uri = evhttp_request_get_evhttp_uri(r);
	struct evbuffer *in = evhttp_request_get_input_buffer(r);
	struct request req;
	struct response res = {0, NULL, NULL, 0};
	struct timespec t0;

	if (!http_framing_ok(r)) {
		http_wipe_body(r);
		evhttp_send_error(r, 400, "the message length is ambiguous");
		return;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	memset(&req, 0, sizeof req);
	req.id = ++h->next_id;
	log_set_request(req.id);
	req.srv = h->srv;
	req.now = server_now();
	req.method = http_method_of(evhttp_request_get_command(r));
	req.path = evhttp_uri_get_path(uri);
	req.content_type = evhttp_find_header(
	    evhttp_request_get_input_headers(r), "Content-Type");
	req.receipt = evhttp_find_header(
	    evhttp_request_get_input_headers(r), "X-Mandate-Receipt");
	req.idempotency_key = evhttp_find_header(
	    evhttp_request_get_input_headers(r), "Idempotency-Key");
	req.body_len = evbuffer_get_length(in);
	req.body = req.body_len ? evbuffer_pullup(in, -1) : NULL;
	if (h->failed)
		reply_error(&res, MANDATE_ERR_OUTCOME_UNKNOWN, NULL, NULL);
	else if (h->stopping)
		reply_error(&res, MANDATE_ERR_UNAVAILABLE, NULL,
		    "the daemon is stopping: retry shortly");
	else if (!http_path_ok(req.path))
		reply_error(&res, MANDATE_ERR_NOT_FOUND, NULL, NULL);
	else if (http_query_parse(evhttp_uri_get_query(uri), &req.query) < 0)
		reply_error(&res, MANDATE_ERR_BAD_QUERY, NULL,
		    "the query string is malformed, not UTF-8, too long or "
		    "repeats a key");
	else if (h->metrics_only)
		metrics_serve_unauthenticated(&req, &res);
	else if (http_identify(h, r, &req, &res) == 0)
		routes_dispatch(&req, &res);
	if (db_pending(h->srv->db))
		http_hold(h, r, &req, &t0, &res);
	else {
		http_done(req.method, req.route ? req.route->path : NULL,
		    req.path, res.status, &t0);
		http_reply(h, r, req.id, &res);
	}
	json_decref(req.json);
	http_query_free(&req.query);
	auth_identity_clear(&req.who);
	http_wipe_body(r);
	http_wipe_header(r, "X-Mandate-Receipt");
	log_set_request(0);
}

struct http *
http_new(struct event_base *base, struct server *srv)
{
	struct http *h = calloc(1, sizeof *h);

	if (h == NULL || (h->evh = evhttp_new(base)) == NULL)
		fatalx("http: cannot allocate the server");
	h->base = base;
	h->srv = srv;
	h->max_conns = 512;
	h->hook = event_new(base, -1, 0, http_hook_closecb, h);
	if (h->hook == NULL || event_priority_set(h->hook, 0) < 0)
		fatalx("http: cannot create the connection hook");
	/* At the default priority, activated behind the I/O already taken
	 * in: a lone request is committed at once, a burst together. */
	h->held_tail = &h->held;
	h->flush = event_new(base, -1, 0, http_on_flush, h);
	if (h->flush == NULL)
		fatalx("http: cannot create the flush event");
	evhttp_set_bevcb(h->evh, http_new_conn, h);
	evhttp_set_gencb(h->evh, http_request, h);
	evhttp_set_allowed_methods(
	    h->evh, EVHTTP_REQ_GET | EVHTTP_REQ_POST | EVHTTP_REQ_PUT |
	                EVHTTP_REQ_DELETE | EVHTTP_REQ_PATCH |
	                EVHTTP_REQ_OPTIONS | EVHTTP_REQ_HEAD);
	evhttp_set_default_content_type(h->evh, "application/json");
	return h;
}

void
http_set_limits(struct http *h, const struct config *cfg)
{
	struct timeval tv = {(time_t)cfg->timeout_sec, 0};

	evhttp_set_max_headers_size(h->evh, (ev_ssize_t)cfg->max_headers);
	evhttp_set_max_body_size(h->evh, (ev_ssize_t)cfg->max_body);
	evhttp_set_timeout_tv(h->evh, &tv);
	h->max_conns = cfg->max_connections;
	http_pause(h, h->conns >= h->max_conns);
}

int
http_listen_fd(struct http *h, int fd, char **cause)
{
	struct evconnlistener *l;

	if (h->nbound == HTTP_MAX_LISTENERS) {
		if (asprintf(cause, "http: too many listeners") < 0)
			abort();
		return -1;
	}
	l = evconnlistener_new(h->base, NULL, NULL,
	    LEV_OPT_CLOSE_ON_FREE | LEV_OPT_CLOSE_ON_EXEC, -1, fd);
	if (l == NULL ||
	    (h->bound[h->nbound] = evhttp_bind_listener(h->evh, l)) == NULL) {
		if (asprintf(cause, "http: cannot serve on fd %d", fd) < 0)
			abort();
		if (l != NULL)
			evconnlistener_free(l);
		return -1;
	}
	h->nbound++;
	if (h->paused)
		evconnlistener_disable(l);
	return 0;
}

void
http_set_metrics_only(struct http *h)
{
	h->metrics_only = 1;
}

void
http_stop_accepting(struct http *h)
{
	h->stopping = 1;
	http_pause(h, 1);
}

unsigned
http_connections(const struct http *h)
{
	return h->conns;
}

void
http_free(struct http *h)
{
	if (h == NULL)
		return;
	h->stopping = 1; /* closing connections must not resume listeners */
	http_on_flush(-1, 0, h); /* nothing held is left unanswered */
	evhttp_free(h->evh);
	event_free(h->hook);
	event_free(h->flush);
	free(h->fresh);
	free(h);
}
