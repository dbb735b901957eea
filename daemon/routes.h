/*
 * The HTTP API as data: each endpoint is one `const struct route` in its
 * own route-<resource>-<verb>.c file, and routes_dispatch() does every
 * check before a handler runs (method, path, role, body size, content
 * type, JSON shape), so handlers hold only their own logic and never see
 * libevent.
 */
#ifndef MANDATE_ROUTES_H
#define MANDATE_ROUTES_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "json.h"
#include "mandate/errors.h"

struct server;
struct db_officer;
struct db_case;
struct db_submitter;

enum http_method {
	HTTP_GET = 1,
	HTTP_POST = 2,
	HTTP_PUT = 4,
	HTTP_DELETE = 8,
	HTTP_OTHER = 16,
};

enum role {
	ROLE_STAFF = 1,
	ROLE_OFFICER = 2,
	ROLE_AUDITOR = 4,
	ROLE_ADMIN = 8,
	ROLE_ANY = 15,
};

#define QUERY_MAX 8

struct query {
	size_t n;
	char *key[QUERY_MAX];
	char *value[QUERY_MAX];
};

/* Who is calling: filled by auth.c before dispatch. */
struct identity {
	char user[65];
	char name[128];              /* full name (GECOS), "" when unknown */
	uid_t uid;                   /* (uid_t)-1 when identified by a token */
	unsigned roles;              /* ROLE_* bits; ROLE_STAFF always */
	struct db_officer *officers; /* the caller's officer rows */
	size_t nofficers;
};

struct request {
	unsigned long long id;
	enum http_method method;
	const char *path;
	char param[64];      /* the first {placeholder} of the path template */
	char param2[64];     /* the second, if any */
	char param3[64];     /* the third, if any */
	const char *receipt; /* X-Mandate-Receipt header, or NULL */
	const char *idempotency_key; /* Idempotency-Key header, or NULL */
	const char *peer; /* who to rate-limit: "uid:N" or "token:USER" */
	struct query query;
	const char *content_type;
	const unsigned char *body;
	size_t body_len;
	json_t *json; /* the parsed body, for routes that take one */
	struct identity who;
	struct server *srv;
	int64_t now;
	struct db_case *rcase;     /* ROUTE_RECEIPT: the receipt's case */
	struct db_submitter *rsub; /* and what it keeps of its submitter */
	/* The route that matched (routes_dispatch), NULL when none did: its
	 * template labels the request's metrics (metrics.h). */
	const struct route *route;
};

/*
 * A reply too large to build whole (exports), produced piece by piece:
 * http.c sends the status and headers, then asks next() for each piece
 * once the one before has gone out, so that no more than a piece is held
 * at a time.
 */
struct reply_stream {
	const char *content_type;
	void *arg;
	/* Puts the next piece (malloc'd, non-empty) in *piece and *len and
	 * returns 1; returns 0 at the end, or -1 on error (logged by next;
	 * the reply ends there, short of what makes it complete). */
	int (*next)(void *arg, char **piece, size_t *len);
	/* Releases arg: called exactly once, also when the client leaves
	 * before the end. */
	void (*free)(void *arg);
};

struct response {
	int status;
	json_t *body; /* owned; the reply is its compact encoding */
	struct reply_stream *stream; /* owned; or a streamed reply */
	unsigned retry_after;        /* > 0: a Retry-After header, in seconds */
};

/* Route flags.  ROUTE_RECEIPT: the caller proves a receipt
 * (X-Mandate-Receipt).  ROUTE_QUERY: takes query parameters, which its
 * handler checks; without it any query is refused.  ROUTE_NO_WRITE: a POST
 * that stores nothing (a dry run), served below the free-space reserve
 * too. */
#define ROUTE_RECEIPT 1
#define ROUTE_QUERY 2
#define ROUTE_NO_WRITE 4

struct route {
	enum http_method method;
	const char *path; /* "/v1/cases/{id}": up to three {placeholders},
	                     each a whole segment */
	unsigned roles;   /* who may call it */
	size_t body_max;  /* 0: no body allowed */
	int (*handle)(struct request *req, struct response *res);
	unsigned flags; /* ROUTE_* */
};

/*
 * Routes a request through the table: checks, then the handler.  Always
 * fills res (an error body on refusal).  Returns 0.
 */
int routes_dispatch(struct request *req, struct response *res);

/* The route table, for the README's API reference and tests. */
extern const struct route *const routes_table[];
extern const size_t routes_count;

/*
 * Fills res with an error from the table; field and message may be NULL
 * (the table's message is used).  Returns 0 so handlers can `return` it.
 */
int reply_error(struct response *res, enum mandate_err err, const char *field,
    const char *message);

/* Fills res with status and body (a reference the response takes). */
int reply_json(struct response *res, int status, json_t *body);

/*
 * Makes res a streamed reply with status (see struct reply_stream); the
 * response owns arg from now on and frees it with free_arg.  Returns 0.
 */
int reply_stream(struct response *res, int status, const char *content_type,
    void *arg, int (*next)(void *, char **, size_t *),
    void (*free_arg)(void *));

/* The value of query key, or NULL. */
const char *query_get(const struct query *q, const char *key);

/*
 * Checks that every query key is one of the NULL-terminated allowed list;
 * returns 0, or fills res with bad_query and returns -1.
 */
int query_only(const struct request *req, struct response *res,
    const char *const *allowed);

/* Formats a Unix time as "YYYY-MM-DDTHH:MM:SSZ" into out[21]. */
void format_time(char *out, size_t size, int64_t t);

/* The caller's officer row for unit, or NULL when not an officer of it. */
const struct db_officer *identity_officer(
    const struct identity *who, const char *unit);

#endif
