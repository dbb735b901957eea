/*
 * The HTTP server: the only module that includes evhttp.  A request comes
 * in, is turned into a struct request with the caller's identity, goes
 * through routes_dispatch(), and its response goes out as JSON.
 */
#ifndef MANDATE_HTTP_H
#define MANDATE_HTTP_H

#include <stddef.h>

struct event_base;
struct server;
struct config;
struct http;

/* A server on base for srv; fatal on allocation failure. */
struct http *http_new(struct event_base *base, struct server *srv);

/* Applies the limits of cfg: header and body size, timeout, connections. */
void http_set_limits(struct http *h, const struct config *cfg);

/* Serves on a listening fd (Unix or TCP).  Returns 0, or -1 with *cause. */
int http_listen_fd(struct http *h, int fd, char **cause)
    __attribute__((warn_unused_result));

/*
 * Makes h the server of the metrics_listen address: GET /metrics without
 * authentication, and 404 for every other path (metrics.h).  Call before
 * serving on any listener.
 */
void http_set_metrics_only(struct http *h);

/* Stops accepting new connections (shutdown). */
void http_stop_accepting(struct http *h);

/* Number of open client connections. */
unsigned http_connections(const struct http *h);

/*
 * The group-commit callback for db_group_commit(): asks for a flush (one
 * COMMIT, then the replies that waited for it) once the loop has handled
 * the I/O it has taken in.  arg is the struct http.
 */
void http_flush_soon(void *arg);

/* cb(arg) runs once when a COMMIT fails: the daemon must stop (the
 * replies held for it say "outcome unknown"). */
void http_on_failure(struct http *h, void (*cb)(void *), void *arg);

/* Frees the server and closes every connection; accepts NULL. */
void http_free(struct http *h);

#endif
