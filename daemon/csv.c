/*
 * Writing and splitting CSV rows; see csv.h.
 */
#include "csv.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct csv_buf {
	char *p;
	size_t len, cap;
};

static void
csv_add(struct csv_buf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		b->cap = (b->len + n + 1) * 2;
		if ((b->p = realloc(b->p, b->cap)) == NULL)
			abort();
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

static void
csv_add_field(struct csv_buf *b, const char *s)
{
	if (strpbrk(s, ",\"\r\n") == NULL) {
		csv_add(b, s, strlen(s));
		return;
	}
	csv_add(b, "\"", 1);
	for (; *s != '\0'; s++) {
		csv_add(b, s, 1);
		if (*s == '"')
			csv_add(b, "\"", 1);
	}
	csv_add(b, "\"", 1);
}

static void
csv_add_value(struct csv_buf *b, const json_t *v)
{
	char num[32];

	if (json_is_string(v))
		csv_add_field(b, json_string_value(v));
	else if (json_is_integer(v)) {
		snprintf(num, sizeof num, "%" JSON_INTEGER_FORMAT,
		    json_integer_value(v));
		csv_add_field(b, num);
	} else if (json_is_boolean(v))
		csv_add_field(b, json_is_true(v) ? "true" : "false");
}

char *
csv_row(const json_t *obj, const char *const *columns)
{
	struct csv_buf b = {0};

	csv_add(&b, "", 0);
	for (size_t i = 0; columns[i] != NULL; i++) {
		if (i > 0)
			csv_add(&b, ",", 1);
		csv_add_value(&b, json_object_get(obj, columns[i]));
	}
	csv_add(&b, "\r\n", 2);
	return b.p;
}

char *
csv_header(const char *const *columns)
{
	struct csv_buf b = {0};

	csv_add(&b, "", 0);
	for (size_t i = 0; columns[i] != NULL; i++) {
		if (i > 0)
			csv_add(&b, ",", 1);
		csv_add_field(&b, columns[i]);
	}
	csv_add(&b, "\r\n", 2);
	return b.p;
}

/* One field starting at line[*i]; advances *i past it (and its comma). */
static char *
csv_field(const char *line, size_t len, size_t *i, int *ok)
{
	struct csv_buf b = {0};
	size_t j = *i;

	csv_add(&b, "", 0);
	if (j < len && line[j] == '"') {
		for (j++;; j++) {
			if (j >= len) {
				*ok = 0;
				break;
			}
			if (line[j] == '"' && j + 1 < len && line[j + 1] == '"')
				csv_add(&b, "\"", 1), j++;
			else if (line[j] == '"') {
				j++;
				break;
			} else
				csv_add(&b, line + j, 1);
		}
		if (*ok && j < len && line[j] != ',')
			*ok = 0;
	} else {
		size_t start = j;
		while (j < len && line[j] != ',') {
			if (line[j] == '"')
				*ok = 0;
			j++;
		}
		csv_add(&b, line + start, j - start);
	}
	*i = j;
	return b.p;
}

int
csv_split(const char *line, size_t len, char **fields, int max)
{
	size_t i = 0;
	int n = 0, ok = 1;

	for (;;) {
		if (n == max) {
			csv_fields_free(fields, n);
			return -1;
		}
		fields[n++] = csv_field(line, len, &i, &ok);
		if (!ok) {
			csv_fields_free(fields, n);
			return -1;
		}
		if (i >= len)
			break;
		i++; /* the comma */
	}
	return n;
}

void
csv_fields_free(char **fields, int n)
{
	for (int i = 0; i < n; i++)
		free(fields[i]);
}
