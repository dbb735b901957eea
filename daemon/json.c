/*
 * Strict JSON in and compact JSON out, over jansson, for daemon and client:
 * the one place that decides what input is refused (duplicate keys, NUL,
 * invalid UTF-8, trailing data, deep nesting) and how errors are worded
 * without echoing the input, which may be a case's content.
 */
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"

static void json_fatal(const char *msg) __attribute__((noreturn));

static void
json_fatal(const char *msg)
{
	fprintf(stderr, "json: %s\n", msg);
	abort();
}

static char *
json_cause(int line, int column, const char *text)
{
	char *cause;

	if (asprintf(&cause, "line %d, column %d: %s", line, column, text) ==
	    -1)
		json_fatal("out of memory");
	return cause;
}

/* Nonzero when v holds a container more than JSON_MAX_DEPTH deep; v sits
 * at depth (0 for the top). */
static int
json_too_deep(const json_t *v, int depth)
{
	const char *key;
	json_t *child;
	size_t i;

	if (!json_is_array(v) && !json_is_object(v))
		return 0;
	if (++depth > JSON_MAX_DEPTH)
		return 1;
	if (json_is_array(v)) {
		json_array_foreach(v, i, child)
		{
			if (json_too_deep(child, depth))
				return 1;
		}
	} else {
		json_object_foreach((json_t *)v, key, child)
		{
			if (json_too_deep(child, depth))
				return 1;
		}
	}
	return 0;
}

/*
 * Finds where valid JSON first opens a container deeper than
 * JSON_MAX_DEPTH.  Columns count code points, 1-based, as jansson does.
 */
static void
json_deep_position(const char *buf, size_t len, int *line, int *column)
{
	int depth = 0, instring = 0, escaped = 0;
	size_t i;

	*line = 1;
	*column = 0;
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)buf[i];

		if (c == '\n') {
			(*line)++;
			*column = 0;
			continue;
		}
		if ((c & 0xc0) != 0x80)
			(*column)++;
		if (instring) {
			if (escaped)
				escaped = 0;
			else if (c == '\\')
				escaped = 1;
			else if (c == '"')
				instring = 0;
		} else if (c == '"')
			instring = 1;
		else if (c == '[' || c == '{') {
			if (++depth > JSON_MAX_DEPTH)
				return;
		} else if (c == ']' || c == '}')
			depth--;
	}
}

static void *
json_alloc(size_t n)
{
	return malloc(n);
}

static void
json_free_wiped(void *p)
{
	if (p != NULL)
		explicit_bzero(p, malloc_usable_size(p));
	free(p);
}

void
json_init(void)
{
	json_set_alloc_funcs(json_alloc, json_free_wiped);
}

json_t *
json_parse_strict(const char *buf, size_t len, char **cause)
{
	json_error_t error;
	json_t *v;
	char *near;
	int line, column;

	*cause = NULL;
	v = json_loadb(buf != NULL ? buf : "", buf != NULL ? len : 0,
	    JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &error);
	if (v == NULL) {
		/* jansson quotes the token it stopped at: keep it out. */
		if ((near = strstr(error.text, " near '")) != NULL)
			*near = '\0';
		*cause = json_cause(error.line, error.column, error.text);
		return NULL;
	}
	if (json_too_deep(v, 0)) {
		json_decref(v);
		json_deep_position(buf, len, &line, &column);
		if (asprintf(cause,
		        "line %d, column %d: nesting deeper than %d levels",
		        line, column, JSON_MAX_DEPTH) == -1)
			json_fatal("out of memory");
		return NULL;
	}
	return v;
}

char *
json_dump_compact(const json_t *v)
{
	char *s;

	if ((s = json_dumps(v,
	         JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_ENCODE_ANY)) == NULL)
		json_fatal("cannot encode a value");
	return s;
}

size_t
json_utf8_chars(const char *s, size_t len)
{
	size_t i, n = 0;

	for (i = 0; i < len; i++)
		if (((unsigned char)s[i] & 0xc0) != 0x80)
			n++;
	return n;
}

/*
 * Well-formed sequences as in Unicode's table 3-7: the second byte's range
 * depends on the first, which rules out overlongs, surrogates and code
 * points above U+10FFFF.
 */
int
json_utf8_valid(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, n, k;
	unsigned char lo, hi;

	while (i < len) {
		if (p[i] == 0)
			return 0;
		if (p[i] < 0x80) {
			i++;
			continue;
		}
		lo = 0x80;
		hi = 0xbf;
		if (p[i] >= 0xc2 && p[i] <= 0xdf)
			n = 1;
		else if (p[i] >= 0xe0 && p[i] <= 0xef) {
			n = 2;
			if (p[i] == 0xe0)
				lo = 0xa0;
			else if (p[i] == 0xed)
				hi = 0x9f;
		} else if (p[i] >= 0xf0 && p[i] <= 0xf4) {
			n = 3;
			if (p[i] == 0xf0)
				lo = 0x90;
			else if (p[i] == 0xf4)
				hi = 0x8f;
		} else
			return 0;
		if (len - i - 1 < n)
			return 0;
		if (p[i + 1] < lo || p[i + 1] > hi)
			return 0;
		for (k = 2; k <= n; k++)
			if ((p[i + k] & 0xc0) != 0x80)
				return 0;
		i += n + 1;
	}
	return 1;
}

static void
json_error_set(json_t *obj, const char *key, const char *value)
{
	json_t *s;

	if ((s = json_string(value)) == NULL)
		json_fatal("error body text is not UTF-8");
	if (json_object_set_new(obj, key, s) != 0)
		json_fatal("out of memory");
}

json_t *
json_error_body(const char *code, const char *field, const char *message)
{
	json_t *body, *error;

	if (code == NULL || message == NULL)
		json_fatal("error body without code or message");
	if ((body = json_object()) == NULL || (error = json_object()) == NULL)
		json_fatal("out of memory");
	json_error_set(error, "code", code);
	if (field != NULL)
		json_error_set(error, "field", field);
	json_error_set(error, "message", message);
	if (json_object_set_new(body, "error", error) != 0)
		json_fatal("out of memory");
	return body;
}
