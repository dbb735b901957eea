/*
 * Rendering for the client: errors, fields, tables and JSON.  See out.h.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "crypt.h"
#include "json.h"
#include "mandate/errors.h"
#include "out.h"
#include "xmalloc.h"

#define OUT_LABEL_WIDTH 16

struct out_table {
	size_t ncols;
	const char *const *headers;
	char **cells; /* nrows * ncols, sanitised copies */
	size_t nrows;
	size_t cap;
};

void
out_error(const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fputs("mandate: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void
out_error_field(const char *message, const char *field)
{
	fflush(stdout);
	fputs("mandate: ", stderr);
	out_text(stderr, message, 0);
	if (field != NULL) {
		fputs(" (field: ", stderr);
		out_text(stderr, field, 0);
		fputc(')', stderr);
	}
	fputc('\n', stderr);
}

/* The exit status for an HTTP error whose code the table does not know. */
static int
out_status_exit(long http_status)
{
	switch (http_status) {
	case 401:
	case 403:
		return EX_NOPERM;
	case 404:
		return EX_NOINPUT;
	case 500:
		return EX_SOFTWARE;
	case 503:
		return EX_TEMPFAIL;
	default:
		break;
	}
	if (http_status >= 400 && http_status < 500)
		return EX_DATAERR;
	if (http_status >= 500 && http_status < 600)
		return EX_UNAVAILABLE;
	return EX_PROTOCOL;
}

int
out_server_error(long http_status, const json_t *body)
{
	const struct mandate_error_info *info = NULL;
	const char *code = NULL, *field = NULL, *message = NULL;
	json_t *err;
	char fallback[64];

	err = json_object_get(body, "error");
	if (json_is_object(err)) {
		code = json_string_value(json_object_get(err, "code"));
		field = json_string_value(json_object_get(err, "field"));
		message = json_string_value(json_object_get(err, "message"));
	}
	if (code != NULL)
		info = mandate_error_find(code);
	if (message == NULL && info != NULL)
		message = info->message;
	if (message == NULL) {
		snprintf(fallback, sizeof fallback,
		    "the server replied with HTTP status %ld", http_status);
		message = fallback;
	}
	out_error_field(message, field);
	if (info != NULL)
		return info->exit_status;
	return out_status_exit(http_status);
}

/* Length of the UTF-8 sequence that starts with byte c (1 when invalid:
 * the reply was validated by the JSON parser, so this is only a guard). */
static size_t
out_utf8_len(unsigned char c)
{
	if (c >= 0xc2 && c <= 0xdf)
		return 2;
	if (c >= 0xe0 && c <= 0xef)
		return 3;
	if (c >= 0xf0 && c <= 0xf4)
		return 4;
	return 1;
}

void
out_text(FILE *f, const char *s, int flags)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n;

	while (*p != '\0') {
		if ((*p == '\n' || *p == '\t') &&
		    (flags & OUT_TEXT_MULTILINE)) {
			fputc(*p++, f);
			continue;
		}
		if (*p < 0x20 || *p == 0x7f) {
			fprintf(f, "\\x%02x", *p++);
			continue;
		}
		/* C1 controls are U+0080..U+009F: 0xc2 0x80..0x9f. */
		if (p[0] == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f) {
			fprintf(f, "\\u%04x", p[1]);
			p += 2;
			continue;
		}
		n = out_utf8_len(*p);
		if (n > strnlen((const char *)p, n))
			n = 1;
		fwrite(p, 1, n, f);
		p += n;
	}
}

void
out_field(const char *label, const char *value)
{
	int pad = OUT_LABEL_WIDTH - (int)strlen(label) - 1;

	printf("%s:%*s ", label, pad > 0 ? pad : 0, "");
	out_text(stdout, value, 0);
	putchar('\n');
}

int
out_json(const json_t *v)
{
	char *text = json_dump_compact(v);
	size_t len = strlen(text);

	fwrite(text, 1, len, stdout);
	putchar('\n');
	/* The text may hold decrypted case content. */
	crypt_wipe(text, len);
	free(text);
	return out_flush();
}

int
out_flush(void)
{
	if (fflush(stdout) == EOF || ferror(stdout)) {
		/* A closed pipe is the reader's choice, not an error. */
		if (errno == EPIPE)
			return 0;
		out_error("cannot write the output: %s", strerror(errno));
		return EX_IOERR;
	}
	return 0;
}

const char *
out_str(const json_t *obj, const char *key)
{
	const char *s = json_string_value(json_object_get(obj, key));

	return s != NULL ? s : "-";
}

const char *
out_bool(const json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);

	if (!json_is_boolean(v))
		return "-";
	return json_is_true(v) ? "yes" : "no";
}

const char *
out_list(char *buf, size_t size, const json_t *obj, const char *key)
{
	json_t *arr = json_object_get(obj, key), *v;
	size_t i, n = 0;
	int w;

	if (size == 0)
		return "";
	buf[0] = '\0';
	json_array_foreach(arr, i, v)
	{
		if (!json_is_string(v) || n >= size)
			continue;
		w = snprintf(buf + n, size - n, "%s%s", n > 0 ? ", " : "",
		    json_string_value(v));
		if (w < 0)
			break;
		n += (size_t)w;
	}
	return buf[0] != '\0' ? buf : "-";
}

const char *
out_time(char *buf, size_t size, const char *iso)
{
	/* "YYYY-MM-DDTHH:MM:SSZ" and nothing else is shortened. */
	if (strlen(iso) != 20 || iso[10] != 'T' || iso[19] != 'Z' || size < 17)
		return iso;
	memcpy(buf, iso, 16);
	buf[10] = ' ';
	buf[16] = '\0';
	return buf;
}

struct out_table *
out_table_new(size_t ncols, const char *const *headers)
{
	struct out_table *t = xcalloc(1, sizeof *t);

	t->ncols = ncols;
	t->headers = headers;
	return t;
}

/* A sanitised, single-line copy of s. */
static char *
out_sanitise(const char *s)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	if ((f = open_memstream(&buf, &len)) == NULL)
		return xstrdup("?");
	out_text(f, s, 0);
	if (fclose(f) != 0 || buf == NULL) {
		free(buf);
		return xstrdup("?");
	}
	return buf;
}

void
out_table_add(struct out_table *t, const char *const *cells)
{
	size_t i, base;

	if (t->nrows == t->cap) {
		t->cap = t->cap != 0 ? t->cap * 2 : 16;
		t->cells =
		    xrealloc(t->cells, t->cap * t->ncols * sizeof *t->cells);
	}
	base = t->nrows * t->ncols;
	for (i = 0; i < t->ncols; i++)
		t->cells[base + i] =
		    out_sanitise(cells[i] != NULL ? cells[i] : "-");
	t->nrows++;
}

/* Display width of sanitised UTF-8 text: its code points. */
static size_t
out_width(const char *s)
{
	size_t n = 0;

	for (; *s != '\0'; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			n++;
	return n;
}

static void
out_table_row(
    const struct out_table *t, const char *const *row, const size_t *widths)
{
	size_t i, w;

	for (i = 0; i < t->ncols; i++) {
		fputs(row[i], stdout);
		if (i + 1 == t->ncols)
			break;
		for (w = out_width(row[i]); w < widths[i] + 2; w++)
			putchar(' ');
	}
	putchar('\n');
}

void
out_table_print(const struct out_table *t)
{
	size_t *widths = xcalloc(t->ncols, sizeof *widths);
	size_t r, i, w;

	for (i = 0; i < t->ncols; i++)
		widths[i] = out_width(t->headers[i]);
	for (r = 0; r < t->nrows; r++) {
		for (i = 0; i < t->ncols; i++) {
			w = out_width(t->cells[r * t->ncols + i]);
			if (w > widths[i])
				widths[i] = w;
		}
	}
	out_table_row(t, t->headers, widths);
	for (r = 0; r < t->nrows; r++)
		out_table_row(
		    t, (const char *const *)&t->cells[r * t->ncols], widths);
	free(widths);
}

void
out_table_free(struct out_table *t)
{
	size_t i;

	if (t == NULL)
		return;
	for (i = 0; i < t->nrows * t->ncols; i++)
		free(t->cells[i]);
	free(t->cells);
	free(t);
}
