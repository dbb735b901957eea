/*
 * Streamed exports to a file or standard output: see fetch.h.  Writes go
 * through a stdio cookie that remembers the last line, so that standard
 * output is checked as well as a file.
 */
#include "fetch.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

#include "cmd.h"
#include "conn.h"
#include "json.h"
#include "out.h"
#include "xmalloc.h"

#define FETCH_TAIL 512

struct fetch_sink {
	FILE *to;
	char tail[FETCH_TAIL]; /* the end of the last complete line */
	size_t ntail;
	int line_start; /* the next byte starts a line */
	int64_t bytes;
};

static ssize_t
fetch_write(void *cookie, const char *buf, size_t n)
{
	struct fetch_sink *s = cookie;

	if (fwrite(buf, 1, n, s->to) != n)
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (s->line_start && buf[i] != '\n' && buf[i] != '\r') {
			s->ntail = 0;
			s->line_start = 0;
		}
		if (buf[i] == '\n')
			s->line_start = 1;
		else if (!s->line_start && s->ntail < FETCH_TAIL - 1)
			s->tail[s->ntail++] = buf[i];
	}
	s->bytes += (int64_t)n;
	return (ssize_t)n;
}

/* Whether the last line is the closing record, in JSON or CSV. */
static int
fetch_closed(const struct fetch_sink *s, const char *closing)
{
	char json[64], csv[64];

	snprintf(json, sizeof json, "{\"record\":\"%s\"", closing);
	snprintf(csv, sizeof csv, "%s,", closing);
	return s->line_start &&
	       ((s->ntail >= strlen(json) &&
	            strncmp(s->tail, json, strlen(json)) == 0) ||
	           (s->ntail >= strlen(csv) &&
	               strncmp(s->tail, csv, strlen(csv)) == 0));
}

/* The file the export goes to: a new .part beside file, or stdout. */
static FILE *
fetch_open(const char *file, char **part)
{
	int fd;

	*part = NULL;
	if (file == NULL)
		return stdout;
	*part = xasprintf("%s.part", file);
	fd = open(*part, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0) {
		out_error("%s: %s", *part, strerror(errno));
		return NULL;
	}
	return fdopen(fd, "w");
}

/* The transfer itself, through the cookie. */
static int
fetch_transfer(struct cmd_env *env, const char *path, struct fetch_sink *s)
{
	cookie_io_functions_t io = {NULL, fetch_write, NULL, NULL};
	struct conn_reply r;
	FILE *f = fopencookie(s, "w", io);
	char *cause = NULL, *why = NULL;
	json_t *body;
	int rc;

	if (f == NULL)
		return cmd_fail(
		    EX_OSERR, xasprintf("fopencookie: %s", strerror(errno)));
	rc = conn_fetch(env->conn, "GET", path, f, &r, &cause);
	if (fclose(f) != 0 && rc == 0) {
		conn_reply_clear(&r);
		return cmd_fail(EX_IOERR,
		    xasprintf("cannot write the export: %s", strerror(errno)));
	}
	if (rc != 0)
		return cmd_fail(rc, cause);
	if (r.status < 200 || r.status > 299) {
		body = json_parse_strict(r.body, r.bodylen, &why);
		free(why);
		rc = out_server_error(r.status, body);
		json_decref(body);
	}
	conn_reply_clear(&r);
	return rc;
}

int
fetch_export(struct cmd_env *env, const char *preflight, const char *path,
    const char *file, const char *closing, int64_t *bytes)
{
	struct fetch_sink s = {NULL, {0}, 0, 1, 0};
	json_t *reply = NULL;
	char *part = NULL;
	int rc;

	if ((rc = cmd_request(env, "GET", preflight, NULL, &reply)) != 0)
		return rc;
	json_decref(reply);
	if ((s.to = fetch_open(file, &part)) == NULL) {
		free(part);
		return EX_CANTCREAT;
	}
	rc = fetch_transfer(env, path, &s);
	if (rc == 0 && !fetch_closed(&s, closing))
		rc = cmd_fail(EX_PROTOCOL,
		    xstrdup("the export was cut short: it lacks its closing "
		            "record"));
	if ((file != NULL ? fclose(s.to) : fflush(s.to)) != 0 && rc == 0)
		rc = cmd_fail(EX_IOERR,
		    xasprintf("cannot write the export: %s", strerror(errno)));
	if (part != NULL && rc == 0 && rename(part, file) < 0)
		rc = cmd_fail(
		    EX_CANTCREAT, xasprintf("%s: %s", file, strerror(errno)));
	if (part != NULL && rc != 0)
		unlink(part);
	free(part);
	if (bytes != NULL)
		*bytes = s.bytes;
	return rc;
}
