/*
 * HTTP to mandated through libcurl: the Unix socket by default, TCP with a
 * bearer token when a URL is given.  See conn.h.  No redirects, no proxies
 * (a proxy from the environment would otherwise receive the bearer token),
 * bounded time and reply size.
 */
#include <sys/stat.h>

#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sysexits.h>
#include <unistd.h>

#include "conn.h"
#include "crypt.h"
#include "mandate/api.h"
#include "xmalloc.h"

#define CONN_CONNECT_TIMEOUT 10L /* seconds */
#define CONN_TIMEOUT 60L         /* seconds, for a whole exchange */

struct conn {
	CURL *curl;
	char *base;  /* what a path is appended to */
	char *where; /* the socket path or URL, for messages */
	int unix_socket;
	long timeout; /* seconds, for a whole exchange */
	struct curl_slist *get_headers;
	struct curl_slist *post_headers;
	char errbuf[CURL_ERROR_SIZE];
};

struct conn_buf {
	char *data;
	size_t len;
	size_t cap;
	int too_large;
};

/* Reads the bearer token: one line of printable ASCII, newline stripped. */
static int
conn_read_token(const char *path, char **token, char **cause)
{
	char buf[CONN_TOKEN_MAX + 2];
	size_t len = 0, i;
	ssize_t n;
	int fd, rc = EX_DATAERR;

	*token = NULL;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		*cause = xasprintf("%s: %s", path, strerror(errno));
		return EX_NOINPUT;
	}
	while (len < sizeof buf - 1) {
		n = read(fd, buf + len, sizeof buf - 1 - len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			*cause = xasprintf("%s: %s", path, strerror(errno));
			rc = EX_IOERR;
			goto out;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	if (len > 0 && buf[len - 1] == '\n')
		len--;
	if (len > 0 && buf[len - 1] == '\r')
		len--;
	if (len == 0 || len > CONN_TOKEN_MAX) {
		*cause = xasprintf("%s: the token file must hold one token of "
		                   "1 to %d characters",
		    path, CONN_TOKEN_MAX);
		goto out;
	}
	for (i = 0; i < len; i++) {
		/* Anything else could split or forge a header line. */
		if (buf[i] <= 0x20 || buf[i] >= 0x7f) {
			*cause = xasprintf("%s: the token has a character that "
			                   "is not printable ASCII",
			    path);
			goto out;
		}
	}
	buf[len] = '\0';
	*token = xstrdup(buf);
	rc = 0;

out:
	crypt_wipe(buf, sizeof buf);
	close(fd);
	return rc;
}

/* Checks an http(s) URL with no path, query or fragment; sets c->base. */
static int
conn_set_url(struct conn *c, const char *url, char **cause)
{
	CURLU *u;
	char *path = NULL, *query = NULL, *fragment = NULL;
	size_t len;
	int rc = EX_USAGE;

	if ((u = curl_url()) == NULL)
		return EX_SOFTWARE;
	if ((strncasecmp(url, "http://", 7) != 0 &&
	        strncasecmp(url, "https://", 8) != 0) ||
	    curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK) {
		*cause = xasprintf("%s: not an http:// or https:// URL", url);
		goto out;
	}
	curl_url_get(u, CURLUPART_PATH, &path, 0);
	curl_url_get(u, CURLUPART_QUERY, &query, 0);
	curl_url_get(u, CURLUPART_FRAGMENT, &fragment, 0);
	if ((path != NULL && strcmp(path, "/") != 0) || query != NULL ||
	    fragment != NULL) {
		*cause =
		    xasprintf("%s: give the server's address only, such as "
		              "http://127.0.0.1:7787",
		        url);
		goto out;
	}
	c->base = xstrdup(url);
	len = strlen(c->base);
	while (len > 0 && c->base[len - 1] == '/')
		c->base[--len] = '\0';
	rc = 0;

out:
	curl_free(path);
	curl_free(query);
	curl_free(fragment);
	curl_url_cleanup(u);
	return rc;
}

/* Builds the header lists; the token, when not NULL, goes in both. */
static int
conn_set_headers(struct conn *c, const char *token)
{
	struct curl_slist *l;
	char *auth;

	/* "Expect:" turns off 100-continue round trips on larger bodies. */
	static const char *const common[] = {
	    "Accept: application/json", "Expect:"};
	size_t i;

	for (i = 0; i < sizeof common / sizeof common[0]; i++) {
		if ((l = curl_slist_append(c->get_headers, common[i])) == NULL)
			return -1;
		c->get_headers = l;
		if ((l = curl_slist_append(c->post_headers, common[i])) == NULL)
			return -1;
		c->post_headers = l;
	}
	l = curl_slist_append(
	    c->post_headers, "Content-Type: application/json");
	if (l == NULL)
		return -1;
	c->post_headers = l;
	if (token == NULL)
		return 0;
	auth = xasprintf("Authorization: Bearer %s", token);
	if ((l = curl_slist_append(c->get_headers, auth)) != NULL) {
		c->get_headers = l;
		l = curl_slist_append(c->post_headers, auth);
	}
	crypt_wipe(auth, strlen(auth));
	free(auth);
	if (l == NULL)
		return -1;
	c->post_headers = l;
	return 0;
}

static size_t
conn_on_data(char *ptr, size_t size, size_t nmemb, void *arg)
{
	struct conn_buf *b = arg;
	size_t n = size * nmemb;

	if (n > CONN_REPLY_MAX - b->len) {
		b->too_large = 1;
		return 0;
	}
	if (b->len + n + 1 > b->cap) {
		b->cap =
		    b->len + n + 1 > 2 * b->cap ? b->len + n + 1 : 2 * b->cap;
		b->data = xrealloc(b->data, b->cap);
	}
	memcpy(b->data + b->len, ptr, n);
	b->len += n;
	b->data[b->len] = '\0';
	return n;
}

/* The options every request shares. */
static int
conn_set_options(struct conn *c)
{
	CURL *h = c->curl;

	if (curl_easy_setopt(h, CURLOPT_ERRORBUFFER, c->errbuf) != CURLE_OK ||
	    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L) != CURLE_OK ||
	    curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L) != CURLE_OK ||
	    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https") !=
	        CURLE_OK ||
	    curl_easy_setopt(h, CURLOPT_PROXY, "") != CURLE_OK ||
	    curl_easy_setopt(h, CURLOPT_HTTP_VERSION,
	        (long)CURL_HTTP_VERSION_1_1) != CURLE_OK ||
	    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT,
	        c->timeout < CONN_CONNECT_TIMEOUT
	            ? c->timeout
	            : CONN_CONNECT_TIMEOUT) != CURLE_OK ||
	    curl_easy_setopt(h, CURLOPT_TIMEOUT, c->timeout) != CURLE_OK ||
	    curl_easy_setopt(
	        h, CURLOPT_USERAGENT, "mandate/" MANDATE_VERSION) != CURLE_OK ||
	    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, conn_on_data) !=
	        CURLE_OK)
		return -1;
	if (c->unix_socket &&
	    curl_easy_setopt(h, CURLOPT_UNIX_SOCKET_PATH, c->where) != CURLE_OK)
		return -1;
	return 0;
}

int
conn_open(struct conn **cp, const struct conn_options *o, char **cause)
{
	struct conn *c;
	char *token = NULL;
	int rc = EX_SOFTWARE;

	*cp = NULL;
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		*cause = xstrdup("libcurl cannot be initialised");
		return EX_SOFTWARE;
	}
	c = xcalloc(1, sizeof *c);
	c->timeout = o->timeout > 0 ? o->timeout : CONN_TIMEOUT;
	if ((c->curl = curl_easy_init()) == NULL)
		goto fail;
	if (o->url != NULL) {
		if ((rc = conn_set_url(c, o->url, cause)) != 0)
			goto fail;
		c->where = xstrdup(c->base);
		if (o->token_file != NULL &&
		    (rc = conn_read_token(o->token_file, &token, cause)) != 0)
			goto fail;
	} else {
		c->unix_socket = 1;
		c->where = xstrdup(o->socket_path);
		c->base = xstrdup("http://localhost");
	}
	rc = EX_SOFTWARE;
	if (conn_set_headers(c, token) != 0 || conn_set_options(c) != 0)
		goto fail;
	rc = 0;
	*cp = c;
	c = NULL;

fail:
	if (rc == EX_SOFTWARE && *cause == NULL)
		*cause = xstrdup("libcurl cannot be set up");
	if (token != NULL) {
		crypt_wipe(token, strlen(token));
		free(token);
	}
	conn_free(c);
	return rc;
}

/* Wipes the header strings (one holds the token) and frees the list. */
static void
conn_free_headers(struct curl_slist *l)
{
	struct curl_slist *p;

	for (p = l; p != NULL; p = p->next)
		crypt_wipe(p->data, strlen(p->data));
	curl_slist_free_all(l);
}

void
conn_free(struct conn *c)
{
	if (c == NULL)
		return;
	if (c->curl != NULL)
		curl_easy_cleanup(c->curl);
	conn_free_headers(c->get_headers);
	conn_free_headers(c->post_headers);
	free(c->base);
	free(c->where);
	free(c);
	curl_global_cleanup();
}

/* The reason a transfer failed, with a hint when the socket is missing. */
static char *
conn_failure(const struct conn *c, CURLcode res)
{
	const char *detail =
	    c->errbuf[0] != '\0' ? c->errbuf : curl_easy_strerror(res);
	struct stat st;

	if (c->unix_socket && res == CURLE_COULDNT_CONNECT &&
	    stat(c->where, &st) == -1)
		return xasprintf("cannot reach mandated at %s: %s (is it "
		                 "running? see --socket and MANDATE_SOCKET)",
		    c->where, strerror(errno));
	return xasprintf("cannot reach mandated at %s: %s", c->where, detail);
}

/* The connection's own header lines and extra, in a new list; NULL when
 * memory runs out. */
static struct curl_slist *
conn_headers_with(const struct curl_slist *base, const char *const *extra)
{
	struct curl_slist *list = NULL, *l;
	const struct curl_slist *p;
	size_t i;

	for (p = base; p != NULL; p = p->next) {
		if ((l = curl_slist_append(list, p->data)) == NULL)
			goto fail;
		list = l;
	}
	for (i = 0; extra[i] != NULL; i++) {
		if ((l = curl_slist_append(list, extra[i])) == NULL)
			goto fail;
		list = l;
	}
	return list;
fail:
	conn_free_headers(list);
	return NULL;
}

/* Sets the method, body and headers of the next transfer. */
static void
conn_set_method(struct conn *c, const char *method, const char *body,
    size_t bodylen, const struct curl_slist *headers)
{
	int put = strcmp(method, "PUT") == 0;
	int del = strcmp(method, "DELETE") == 0;

	/* A reused handle keeps its options: reset the method each time. */
	curl_easy_setopt(c->curl, CURLOPT_CUSTOMREQUEST,
	    put   ? "PUT"
	    : del ? "DELETE"
	          : NULL);
	if (put || strcmp(method, "POST") == 0) {
		curl_easy_setopt(c->curl, CURLOPT_POST, 1L);
		curl_easy_setopt(c->curl, CURLOPT_POSTFIELDS, body);
		curl_easy_setopt(
		    c->curl, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)bodylen);
	} else
		curl_easy_setopt(c->curl, CURLOPT_HTTPGET, 1L);
	curl_easy_setopt(c->curl, CURLOPT_HTTPHEADER, headers);
}

int
conn_request(struct conn *c, const char *method, const char *path,
    const char *const *headers, const char *body, size_t bodylen,
    struct conn_reply *reply, char **cause)
{
	struct conn_buf buf = {0};
	struct curl_slist *base, *extra = NULL;
	CURLcode res;
	char *url;

	memset(reply, 0, sizeof *reply);
	base = strcmp(method, "GET") == 0 ? c->get_headers : c->post_headers;
	if (headers != NULL && headers[0] != NULL &&
	    (extra = conn_headers_with(base, headers)) == NULL) {
		*cause = xstrdup("out of memory for the request headers");
		return EX_SOFTWARE;
	}
	url = xasprintf("%s%s", c->base, path);
	c->errbuf[0] = '\0';
	curl_easy_setopt(c->curl, CURLOPT_URL, url);
	curl_easy_setopt(c->curl, CURLOPT_WRITEDATA, &buf);
	conn_set_method(c, method, body, bodylen, extra != NULL ? extra : base);
	res = curl_easy_perform(c->curl);
	curl_easy_setopt(c->curl, CURLOPT_HTTPHEADER, base);
	conn_free_headers(extra);
	free(url);
	if (res != CURLE_OK) {
		free(buf.data);
		if (buf.too_large) {
			*cause = xasprintf("the reply of mandated is larger "
			                   "than %d bytes",
			    CONN_REPLY_MAX);
			return EX_PROTOCOL;
		}
		*cause = conn_failure(c, res);
		return EX_UNAVAILABLE;
	}
	curl_easy_getinfo(c->curl, CURLINFO_RESPONSE_CODE, &reply->status);
	reply->body = buf.data != NULL ? buf.data : xstrdup("");
	reply->bodylen = buf.len;
	return 0;
}

/* Where conn_fetch() puts a reply: a 2xx body into out, any other into
 * err. */
struct conn_sink {
	CURL *curl;
	FILE *out;
	struct conn_buf err;
	long status;
	int write_failed;
};

static size_t
conn_on_stream(char *ptr, size_t size, size_t nmemb, void *arg)
{
	struct conn_sink *s = arg;
	size_t n = size * nmemb;

	if (s->status == 0)
		curl_easy_getinfo(s->curl, CURLINFO_RESPONSE_CODE, &s->status);
	if (s->status < 200 || s->status > 299)
		return conn_on_data(ptr, size, nmemb, &s->err);
	if (fwrite(ptr, 1, n, s->out) != n) {
		s->write_failed = 1;
		return 0;
	}
	return n;
}

/* Sets a bodiless method for conn_fetch(). */
static void
conn_fetch_method(struct conn *c, const char *method)
{
	int post = strcmp(method, "POST") == 0;

	curl_easy_setopt(c->curl, CURLOPT_CUSTOMREQUEST,
	    strcmp(method, "DELETE") == 0 ? "DELETE" : NULL);
	if (post) {
		curl_easy_setopt(c->curl, CURLOPT_POST, 1L);
		curl_easy_setopt(c->curl, CURLOPT_POSTFIELDS, "");
		curl_easy_setopt(
		    c->curl, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)0);
	} else
		curl_easy_setopt(c->curl, CURLOPT_HTTPGET, 1L);
	curl_easy_setopt(c->curl, CURLOPT_HTTPHEADER,
	    post ? c->post_headers : c->get_headers);
}

int
conn_fetch(struct conn *c, const char *method, const char *path, FILE *out,
    struct conn_reply *reply, char **cause)
{
	struct conn_sink sink = {c->curl, out, {0}, 0, 0};
	CURLcode res;
	char *url = xasprintf("%s%s", c->base, path);

	memset(reply, 0, sizeof *reply);
	c->errbuf[0] = '\0';
	curl_easy_setopt(c->curl, CURLOPT_URL, url);
	conn_fetch_method(c, method);
	curl_easy_setopt(c->curl, CURLOPT_WRITEFUNCTION, conn_on_stream);
	curl_easy_setopt(c->curl, CURLOPT_WRITEDATA, &sink);
	curl_easy_setopt(c->curl, CURLOPT_TIMEOUT, 0L);
	curl_easy_setopt(c->curl, CURLOPT_LOW_SPEED_LIMIT, 1L);
	curl_easy_setopt(c->curl, CURLOPT_LOW_SPEED_TIME, CONN_STALL_TIMEOUT);
	res = curl_easy_perform(c->curl);
	/* Back to what conn_request() expects of the handle. */
	curl_easy_setopt(c->curl, CURLOPT_WRITEFUNCTION, conn_on_data);
	curl_easy_setopt(c->curl, CURLOPT_TIMEOUT, c->timeout);
	curl_easy_setopt(c->curl, CURLOPT_LOW_SPEED_LIMIT, 0L);
	curl_easy_setopt(c->curl, CURLOPT_CUSTOMREQUEST, NULL);
	free(url);
	if (res != CURLE_OK || sink.write_failed) {
		free(sink.err.data);
		if (sink.write_failed) {
			*cause = xasprintf(
			    "cannot write the reply: %s", strerror(errno));
			return EX_IOERR;
		}
		*cause = conn_failure(c, res);
		return EX_UNAVAILABLE;
	}
	curl_easy_getinfo(c->curl, CURLINFO_RESPONSE_CODE, &reply->status);
	reply->body = sink.err.data != NULL ? sink.err.data : xstrdup("");
	reply->bodylen = sink.err.len;
	return 0;
}

void
conn_reply_clear(struct conn_reply *reply)
{
	free(reply->body);
	memset(reply, 0, sizeof *reply);
}

char *
conn_escape(const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	char *out = xmalloc(strlen(s) * 3 + 1), *p = out;
	unsigned char ch;

	for (; *s != '\0'; s++) {
		ch = (unsigned char)*s;
		if ((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') ||
		    (ch >= '0' && ch <= '9') || ch == '-' || ch == '.' ||
		    ch == '_' || ch == '~') {
			*p++ = (char)ch;
			continue;
		}
		*p++ = '%';
		*p++ = hex[ch >> 4];
		*p++ = hex[ch & 0x0f];
	}
	*p = '\0';
	return out;
}

const char *
conn_library_version(void)
{
	static char version[64];

	snprintf(version, sizeof version, "libcurl %s",
	    curl_version_info(CURLVERSION_NOW)->version);
	return version;
}
