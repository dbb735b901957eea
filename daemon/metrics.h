/*
 * Operational metrics for GET /metrics, in the Prometheus text exposition
 * format (version 0.0.4): request counts and a latency histogram kept in
 * memory (by method, route pattern and status, never by concrete path),
 * and the rendering of those and of the database's aggregate gauges.
 * Nothing here names a case or a person: labels are methods, route
 * templates, status codes, unit ids, categories and lifecycle states.
 */
#ifndef MANDATE_METRICS_H
#define MANDATE_METRICS_H

#include <stddef.h>
#include <stdint.h>

struct config;
struct db_metrics;
struct request;
struct response;

#define METRICS_CONTENT_TYPE "text/plain; version=0.0.4; charset=utf-8"

/* The latency histogram's upper bounds in microseconds; +Inf follows. */
#define METRICS_BOUNDS                                                      \
	{                                                                   \
		500, 1000, 2500, 5000, 10000, 25000, 50000, 100000, 250000, \
		    500000, 1000000, 2500000                                \
	}
#define METRICS_NBOUNDS 12

/*
 * Records one finished request: method ("GET"...), pattern (the route
 * table's template, "/v1/cases/{id}"; NULL when no route matched or the
 * request was refused before routing), final status and duration.  The
 * strings are copied.  O(1): a hash lookup and a few additions.
 */
void metrics_request_done(
    const char *method, const char *pattern, int status, int64_t usec);

/* Forgets every recorded request (for tests). */
void metrics_reset(void);

/* A growing text buffer: the exposition being written. */
struct metrics_text {
	char *buf; /* NUL-terminated; owned */
	size_t len;
	size_t cap;
};

/* Appends printf-style text; fatal on allocation failure. */
void metrics_text_printf(struct metrics_text *t, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Appends a label value escaped as the format asks: \\, \" and \n. */
void metrics_text_label_value(struct metrics_text *t, const char *value);

/* "# HELP name help" (help escaped: \\ and \n) and "# TYPE name type". */
void metrics_text_family(struct metrics_text *t, const char *name,
    const char *type, const char *help);

/*
 * One sample line "name{k="v",...} value": labels is a NULL-terminated
 * list of key, value pairs (may be NULL for none).
 */
void metrics_text_sample(struct metrics_text *t, const char *name,
    const char *const *labels, int64_t value);

/* Releases the buffer; accepts a zeroed one. */
void metrics_text_free(struct metrics_text *t);

/* Appends the request counter and latency histogram. */
void metrics_render_requests(struct metrics_text *t);

/*
 * The whole exposition: build information, process start time, the
 * gauges of m (zero-filled over cfg's units, categories and lifecycle
 * states) and the request metrics.  Returns a malloc'd NUL-terminated
 * text with its length in *len; fatal on allocation failure.
 */
char *metrics_render(
    const struct config *cfg, const struct db_metrics *m, size_t *len);

/* The process start time, in seconds since the epoch (system clock). */
int64_t metrics_start_time(void);

/*
 * Serves a request arriving on the metrics_listen address, where nobody
 * is authenticated: GET /metrics is answered, /metrics with another
 * method is 405, every other path 404.  Fills res; returns 0.
 */
int metrics_serve_unauthenticated(struct request *req, struct response *res);

#endif
