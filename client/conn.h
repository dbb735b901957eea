/*
 * The client's connection to mandated: HTTP/1.1 over the Unix socket, or
 * over TCP with a bearer token.  The only module that includes curl.h;
 * it moves bytes and knows nothing of JSON.
 */
#ifndef MANDATE_CLIENT_CONN_H
#define MANDATE_CLIENT_CONN_H

#include <stddef.h>
#include <stdio.h>

/* Largest reply body the client accepts. */
#define CONN_REPLY_MAX (16 * 1024 * 1024)

/* Largest bearer token file. */
#define CONN_TOKEN_MAX 4096

struct conn;

struct conn_options {
	const char *socket_path; /* the Unix socket, used when url is NULL */
	const char *url;         /* "http(s)://host:port" for TCP, or NULL */
	const char *token_file;  /* bearer token for TCP, or NULL */
	long timeout;            /* seconds for a whole exchange; 0: 60 */
};

struct conn_reply {
	long status; /* HTTP status */
	char *body;  /* NUL-terminated, malloc'd; may be empty */
	size_t bodylen;
};

/*
 * Prepares a connection (nothing is sent yet).  The token file, when one
 * is given and url is set, is read now; on the Unix socket it is ignored,
 * since the daemon knows the caller from the kernel.  Returns 0 and *cp
 * (free with conn_free()), or a sysexits(3) status with *cause set
 * (caller frees): EX_USAGE for a bad URL, EX_NOINPUT/EX_DATAERR for an
 * unreadable or malformed token file, EX_SOFTWARE when libcurl fails.
 */
int conn_open(struct conn **cp, const struct conn_options *o, char **cause)
    __attribute__((warn_unused_result));

/* Closes the connection and wipes the token; accepts NULL. */
void conn_free(struct conn *c);

/*
 * Sends method (GET, POST or PUT) on path (starting with "/v1/"), with
 * headers (extra "Name: value" lines, NULL-terminated; or NULL) and, for
 * POST and PUT, body of bodylen bytes as application/json.  The copies
 * made of the header lines are wiped after the exchange (the caller wipes
 * its own).  Returns 0 once the server has
 * replied, whatever the HTTP status, with *reply filled (release with
 * conn_reply_clear()); or EX_UNAVAILABLE when the server cannot be
 * reached, the exchange fails or takes longer than the timeout,
 * EX_PROTOCOL when the reply is too large, with *cause set.
 */
int conn_request(struct conn *c, const char *method, const char *path,
    const char *const *headers, const char *body, size_t bodylen,
    struct conn_reply *reply, char **cause) __attribute__((warn_unused_result));

/*
 * Sends method (GET, POST or DELETE) on path with no body, and writes the
 * body of a 2xx reply to out as it arrives, so that a reply of any size
 * (an export) is never held whole: no overall timeout, but a reply that
 * stalls for CONN_STALL_TIMEOUT seconds is given up.  Returns 0 once the
 * server has replied, with reply->status set and, for a status other than
 * 2xx, reply->body the error body (release with conn_reply_clear());
 * EX_UNAVAILABLE when the exchange fails, EX_IOERR when out cannot be
 * written, with *cause set.
 */
#define CONN_STALL_TIMEOUT 60L
int conn_fetch(struct conn *c, const char *method, const char *path, FILE *out,
    struct conn_reply *reply, char **cause) __attribute__((warn_unused_result));

/* Frees the reply body and resets *reply. */
void conn_reply_clear(struct conn_reply *reply);

/* Percent-encodes s for a path segment or query value; malloc'd. */
char *conn_escape(const char *s);

/* The libcurl version in use, e.g. "libcurl 7.88.1". */
const char *conn_library_version(void);

#endif
