/*
 * Reading a case for submit and route: see input.h.  Buffers holding case
 * text are wiped before they are freed.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

#include "crypt.h"
#include "input.h"
#include "json.h"
#include "mandate/api.h"
#include "mandate/errors.h"
#include "xmalloc.h"

struct input_text {
	char *data; /* NUL-terminated, or NULL when not read */
	size_t len;
};

int
input_option(struct input_case *in, int ch, const char *arg)
{
	switch (ch) {
	case INPUT_OPT_CATEGORY:
		in->category = arg;
		break;
	case INPUT_OPT_SUBJECT_OFFICE:
		in->subject_office = arg;
		break;
	case INPUT_OPT_LANGUAGE:
		in->language = arg;
		break;
	case INPUT_OPT_ANONYMOUS:
		in->anonymous = 1;
		break;
	case INPUT_OPT_SUBJECTS_FILE:
		in->subjects_file = arg;
		break;
	case INPUT_OPT_TITLE_FILE:
		in->title_file = arg;
		break;
	case INPUT_OPT_NARRATIVE_FILE:
		in->narrative_file = arg;
		break;
	case INPUT_OPT_CASE_FILE:
		in->case_file = arg;
		break;
	default:
		return 0;
	}
	return 1;
}

void
input_case_clear(struct input_case *in)
{
	in->subjects_file = NULL;
}

static void
input_text_clear(struct input_text *t)
{
	if (t->data != NULL) {
		crypt_wipe(t->data, t->len);
		free(t->data);
	}
	t->data = NULL;
	t->len = 0;
}

/* A cause in the format of the error table: "<message> (field: <f>)". */
static int
input_field_error(enum mandate_err err, const char *field, char **cause)
{
	const struct mandate_error_info *info = mandate_error_get(err);

	*cause = xasprintf("%s (field: %s)", info->message, field);
	return info->exit_status;
}

/* Reads f to its end into t; more than max bytes is refused (1). */
static int
input_slurp(FILE *f, size_t max, struct input_text *t)
{
	size_t cap = 4096, n;
	char *grown;

	t->data = xmalloc(cap);
	t->len = 0;
	for (;;) {
		if (t->len + 1 == cap) {
			/* Grow by hand so the old copy can be wiped. */
			grown = xmalloc(cap * 2);
			memcpy(grown, t->data, t->len);
			crypt_wipe(t->data, cap);
			free(t->data);
			t->data = grown;
			cap *= 2;
		}
		n = fread(t->data + t->len, 1, cap - 1 - t->len, f);
		t->len += n;
		if (t->len > max)
			return 1;
		/* A terminal can send more after an end of file: stop at
		 * the first one. */
		if (n == 0 || feof(f) || ferror(f))
			break;
	}
	t->data[t->len] = '\0';
	return ferror(f) ? -1 : 0;
}

/* Reads a file (or standard input for "-") whole into t. */
static int
input_read_file(const char *path, size_t max, const char *field,
    struct input_text *t, char **cause)
{
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "re");
	int rc;

	if (f == NULL) {
		*cause = xasprintf("%s: %s", path, strerror(errno));
		return EX_NOINPUT;
	}
	rc = input_slurp(f, max, t);
	if (rc == -1)
		*cause = xasprintf("%s: %s", path, strerror(errno));
	if (f != stdin)
		fclose(f);
	if (rc == 0)
		return 0;
	input_text_clear(t);
	if (rc == 1)
		return input_field_error(MANDATE_ERR_TOO_LONG, field, cause);
	return EX_IOERR;
}

/* Removes one trailing "\n" or "\r\n". */
static void
input_chomp(struct input_text *t)
{
	if (t->len > 0 && t->data[t->len - 1] == '\n')
		t->data[--t->len] = '\0';
	if (t->len > 0 && t->data[t->len - 1] == '\r')
		t->data[--t->len] = '\0';
}

/* Moves what follows the first newline of all into rest; all keeps the
 * first line.  rest is empty when there is no newline. */
static void
input_split(struct input_text *all, struct input_text *rest)
{
	char *nl = memchr(all->data, '\n', all->len);
	size_t first = nl != NULL ? (size_t)(nl - all->data) + 1 : all->len;

	rest->len = all->len - first;
	rest->data = xmalloc(rest->len + 1);
	memcpy(rest->data, all->data + first, rest->len);
	rest->data[rest->len] = '\0';
	crypt_wipe(all->data + first, rest->len);
	all->len = first;
	all->data[first] = '\0';
	input_chomp(all);
}

/* Title and/or narrative from a terminal, after prompts. */
static int
input_read_terminal(
    struct input_text *title, struct input_text *narrative, char **cause)
{
	size_t cap = 0;
	ssize_t n;
	int rc;

	if (title != NULL) {
		fputs("Title: ", stderr);
		fflush(stderr);
		n = getline(&title->data, &cap, stdin);
		title->len = n > 0 ? (size_t)n : 0;
		if (title->data == NULL)
			title->data = xstrdup("");
		title->data[title->len] = '\0';
		input_chomp(title);
		if (n < 0) {
			/* Ctrl-D at the title: no case, say so at once. */
			fputc('\n', stderr);
			clearerr(stdin);
			return 0;
		}
	}
	if (narrative == NULL)
		return 0;
	fputs("Narrative (end with Ctrl-D on an empty line):\n", stderr);
	rc = input_slurp(stdin, INPUT_TEXT_MAX, narrative);
	clearerr(stdin);
	if (rc == 0)
		return 0;
	input_text_clear(narrative);
	if (rc == 1)
		return input_field_error(
		    MANDATE_ERR_TOO_LONG, "narrative", cause);
	*cause = xasprintf("standard input: %s", strerror(errno));
	return EX_IOERR;
}

/* Title and/or narrative from standard input, terminal or not. */
static int
input_read_stdin(
    struct input_text *title, struct input_text *narrative, char **cause)
{
	struct input_text all = {0}, rest = {0};
	int rc;

	if (isatty(STDIN_FILENO))
		return input_read_terminal(title, narrative, cause);
	if (title == NULL)
		return input_read_file(
		    "-", INPUT_TEXT_MAX, "narrative", narrative, cause);
	rc = input_read_file("-", INPUT_TEXT_MAX,
	    narrative != NULL ? "narrative" : "title", &all, cause);
	if (rc != 0)
		return rc;
	input_split(&all, &rest);
	*title = all;
	if (narrative != NULL) {
		*narrative = rest;
		return 0;
	}
	rc = rest.len > 0 ? EX_USAGE : 0;
	if (rc != 0)
		*cause = xstrdup("standard input holds more than the title "
		                 "while the narrative comes from a file");
	input_text_clear(&rest);
	return rc;
}

/* Sets member key of c to the text, which must be non-empty UTF-8. */
static int
input_set_text(
    json_t *c, const char *key, const struct input_text *t, char **cause)
{
	json_t *s;

	if (t->len == 0)
		return input_field_error(MANDATE_ERR_EMPTY, key, cause);
	if (!json_utf8_valid(t->data, t->len) ||
	    (s = json_stringn(t->data, t->len)) == NULL)
		return input_field_error(MANDATE_ERR_BAD_UTF8, key, cause);
	json_object_set_new(c, key, s);
	return 0;
}

/* Sets member key of c to an option's value, when the option was given. */
static int
input_set_option(json_t *c, const char *key, const char *value, char **cause)
{
	json_t *s;

	if (value == NULL)
		return 0;
	if ((s = json_string(value)) == NULL)
		return input_field_error(MANDATE_ERR_BAD_UTF8, key, cause);
	json_object_set_new(c, key, s);
	return 0;
}

/* Loads the case file as the starting object. */
static int
input_load_case_file(const char *path, json_t **c, char **cause)
{
	struct input_text t = {0};
	char *why = NULL;
	int rc;

	*c = NULL;
	rc = input_read_file(path, INPUT_CASE_FILE_MAX, "case", &t, cause);
	if (rc != 0)
		return rc;
	*c = json_parse_strict(t.data, t.len, &why);
	input_text_clear(&t);
	if (*c == NULL || !json_is_object(*c)) {
		*cause =
		    xasprintf("%s: %s", strcmp(path, "-") == 0 ? "stdin" : path,
		        why != NULL ? why : "not a JSON object");
		free(why);
		json_decref(*c);
		*c = NULL;
		return mandate_error_get(MANDATE_ERR_BAD_JSON)->exit_status;
	}
	return 0;
}

/* Reads title and narrative wherever they come from. */
static int
input_read_texts(json_t *c, const struct input_case *in,
    struct input_text *title, struct input_text *narrative, char **cause)
{
	int need_title, need_narrative, stdin_taken, rc;

	stdin_taken = in->case_file != NULL && strcmp(in->case_file, "-") == 0;
	need_title =
	    in->title_file == NULL && json_object_get(c, "title") == NULL;
	need_narrative = (in->narrative_file == NULL &&
	                     json_object_get(c, "narrative") == NULL) ||
	                 (in->narrative_file != NULL &&
	                     strcmp(in->narrative_file, "-") == 0);
	if (in->title_file != NULL) {
		rc = input_read_file(
		    in->title_file, INPUT_TEXT_MAX, "title", title, cause);
		if (rc != 0)
			return rc;
		input_chomp(title);
	}
	if (in->narrative_file != NULL && !need_narrative &&
	    (rc = input_read_file(in->narrative_file, INPUT_TEXT_MAX,
	         "narrative", narrative, cause)) != 0)
		return rc;
	if (!need_title && !need_narrative)
		return 0;
	if (stdin_taken) {
		*cause = xstrdup("standard input holds the case file: put the "
		                 "title and narrative in it or use "
		                 "--title-file and --narrative-file");
		return EX_USAGE;
	}
	return input_read_stdin(need_title ? title : NULL,
	    need_narrative ? narrative : NULL, cause);
}

/* The subjects of --subjects-file: one name per line, blank lines
 * skipped; the daemon checks how many and how long. */
static int
input_subjects_file(json_t *c, const char *path, char **cause)
{
	struct input_text t = {0};
	json_t *subjects, *s;
	char *line, *next, *end;
	int rc;

	if ((rc = input_read_file(path,
	         MANDATE_SUBJECTS_MAX * (4 * MANDATE_SUBJECT_MAX_CHARS + 2),
	         "subjects", &t, cause)) != 0)
		return rc;
	subjects = json_array();
	for (line = t.data; line != NULL && *line != '\0'; line = next) {
		if ((next = strchr(line, '\n')) != NULL)
			*next++ = '\0';
		end = line + strlen(line);
		while (end > line &&
		       (end[-1] == '\r' || end[-1] == ' ' || end[-1] == '\t'))
			*--end = '\0';
		if (*line == '\0')
			continue;
		if ((s = json_string(line)) == NULL) {
			json_decref(subjects);
			input_text_clear(&t);
			return input_field_error(
			    MANDATE_ERR_BAD_UTF8, "subjects", cause);
		}
		json_array_append_new(subjects, s);
	}
	input_text_clear(&t);
	json_object_set_new(c, "subjects", subjects);
	return 0;
}

/* Applies the options over the case object. */
static int
input_apply_options(json_t *c, const struct input_case *in, char **cause)
{
	int rc;

	if ((rc = input_set_option(c, "category", in->category, cause)) != 0 ||
	    (rc = input_set_option(
	         c, "subject_office", in->subject_office, cause)) != 0 ||
	    (rc = input_set_option(c, "language", in->language, cause)) != 0 ||
	    (rc = input_set_option(c, "id", in->id, cause)) != 0)
		return rc;
	if (in->anonymous)
		json_object_set_new(c, "anonymous", json_true());
	if (in->subjects_file != NULL)
		return input_subjects_file(c, in->subjects_file, cause);
	return 0;
}

int
input_read_case(json_t **casep, const struct input_case *in, char **cause)
{
	struct input_text title = {0}, narrative = {0};
	json_t *c = NULL;
	int rc;

	*casep = NULL;
	if (in->case_file != NULL)
		rc = input_load_case_file(in->case_file, &c, cause);
	else
		rc = (c = json_object()) != NULL ? 0 : EX_OSERR;
	if (rc != 0)
		goto out;
	if ((rc = input_read_texts(c, in, &title, &narrative, cause)) != 0)
		goto out;
	if (title.data != NULL &&
	    (rc = input_set_text(c, "title", &title, cause)) != 0)
		goto out;
	if (narrative.data != NULL &&
	    (rc = input_set_text(c, "narrative", &narrative, cause)) != 0)
		goto out;
	if ((rc = input_apply_options(c, in, cause)) != 0)
		goto out;
	*casep = c;
	c = NULL;

out:
	input_text_clear(&title);
	input_text_clear(&narrative);
	json_decref(c);
	return rc;
}
