/*
 * A case's thread on the client: sealing, opening, printing and posting
 * messages.  See casethread.h.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

#include "casefiles.h"
#include "casethread.h"
#include "cmd.h"
#include "crypt.h"
#include "json.h"
#include "out.h"
#include "xmalloc.h"

void
casethread_new_id(char *out)
{
	unsigned char raw[CASETHREAD_ID_LEN / 2];

	crypt_random(raw, sizeof raw);
	crypt_hex(out, raw, sizeof raw);
}

/* The associated data of a message body (or of a note, with table
 * "notes"); 0 when it does not fit. */
static size_t
casethread_ad_in(unsigned char *ad, size_t size, const char *table,
    const char *case_id, const char *msg_id)
{
	char row[64];

	snprintf(row, sizeof row, "%s:%s", case_id, msg_id);
	return crypt_ad(ad, size, table, "body", row);
}

/* The base64 box of text, bound to its case and message. */
static char *
casethread_seal_in(const char *table, const char *case_id, const char *msg_id,
    const unsigned char *casekey, const char *text, size_t len)
{
	unsigned char ad[CRYPT_AD_MAX], *box;
	size_t adlen = casethread_ad_in(ad, sizeof ad, table, case_id, msg_id);
	char *b64;

	box = xmalloc(len + CRYPT_BOX_OVERHEAD);
	crypt_box(box, (const unsigned char *)text, len, ad, adlen, casekey);
	b64 = crypt_b64_encode(box, len + CRYPT_BOX_OVERHEAD);
	free(box);
	return b64;
}

/* The text of a message body, or NULL when it fails authentication. */
static json_t *
casethread_open_in(const char *table, const char *case_id, const char *msg_id,
    const unsigned char *casekey, const char *b64)
{
	unsigned char ad[CRYPT_AD_MAX], *box = NULL;
	size_t adlen, boxlen = 0, len;
	char *text;
	json_t *s = NULL;

	adlen = casethread_ad_in(ad, sizeof ad, table, case_id, msg_id);
	if (b64 != NULL)
		box = crypt_b64_decode(b64, strlen(b64), &boxlen);
	if (box == NULL || boxlen < CRYPT_BOX_OVERHEAD || adlen == 0) {
		free(box);
		return NULL;
	}
	len = boxlen - CRYPT_BOX_OVERHEAD;
	text = xmalloc(len + 1);
	if (crypt_unbox(
	        (unsigned char *)text, box, boxlen, ad, adlen, casekey) == 0 &&
	    json_utf8_valid(text, len))
		s = json_stringn(text, len);
	crypt_wipe(text, len + 1);
	free(text);
	free(box);
	return s;
}

static char *
casethread_seal(const char *case_id, const char *msg_id,
    const unsigned char *casekey, const char *text, size_t len)
{
	return casethread_seal_in(
	    "messages", case_id, msg_id, casekey, text, len);
}

static json_t *
casethread_open(const char *case_id, const char *msg_id,
    const unsigned char *casekey, const char *b64)
{
	return casethread_open_in("messages", case_id, msg_id, casekey, b64);
}

json_t *
casethread_seal_note(const char *case_id, const unsigned char *casekey,
    const char *text, size_t len)
{
	char id[CASETHREAD_ID_LEN + 1], *body;
	json_t *o;

	casethread_new_id(id);
	body = casethread_seal_in("notes", case_id, id, casekey, text, len);
	o = json_pack("{s:s, s:s}", "id", id, "body", body);
	free(body);
	if (o == NULL)
		xmalloc_fatal();
	return o;
}

/* Decrypts the officers' notes of a reply in place, as messages. */
static void
casethread_decrypt_notes(
    json_t *reply, const char *case_id, const unsigned char *casekey)
{
	json_t *m, *text;
	size_t i;

	json_array_foreach(json_object_get(reply, "notes"), i, m)
	{
		text = casethread_open_in("notes", case_id,
		    json_string_value(json_object_get(m, "id")), casekey,
		    json_string_value(json_object_get(m, "body")));
		if (text != NULL)
			json_object_set_new(m, "text", text);
		else
			json_object_set_new(m, "error",
			    json_string("the note fails authentication"));
		json_object_del(m, "body");
	}
}

void
casethread_decrypt(
    json_t *reply, const char *case_id, const unsigned char *casekey)
{
	json_t *m, *a, *text, *meta;
	size_t i;

	json_array_foreach(json_object_get(reply, "messages"), i, m)
	{
		text = casethread_open(case_id,
		    json_string_value(json_object_get(m, "id")), casekey,
		    json_string_value(json_object_get(m, "body")));
		if (text != NULL)
			json_object_set_new(m, "text", text);
		else
			json_object_set_new(m, "error",
			    json_string("the message fails authentication: "
			                "it was altered or belongs elsewhere"));
		json_object_del(m, "body");
	}
	casethread_decrypt_notes(reply, case_id, casekey);
	json_array_foreach(json_object_get(reply, "attachments"), i, a)
	{
		meta = casefiles_open_meta(case_id, a, casekey);
		if (meta != NULL) {
			json_object_set(
			    a, "name", json_object_get(meta, "name"));
			json_object_set(
			    a, "type", json_object_get(meta, "type"));
		} else
			json_object_set_new(a, "error",
			    json_string("the attachment's description fails "
			                "authentication"));
		json_decref(meta);
		json_object_del(a, "meta");
	}
}

/* Prints text with every line indented. */
static void
casethread_print_indented(const char *text)
{
	const char *p = text, *nl;
	char *line;

	do {
		nl = strchr(p, '\n');
		line = nl != NULL ? strndup(p, (size_t)(nl - p)) : strdup(p);
		if (line == NULL)
			xmalloc_fatal();
		fputs("      ", stdout);
		out_text(stdout, line, OUT_TEXT_MULTILINE);
		putchar('\n');
		crypt_wipe(line, strlen(line));
		free(line);
		p = nl != NULL ? nl + 1 : NULL;
	} while (p != NULL);
}

/* "you", "officer", "submitter" or the officer's name. */
static const char *
casethread_author(const json_t *m, enum casethread_view view)
{
	const char *role = out_str(m, "author_role");
	const char *name = json_string_value(json_object_get(m, "author"));

	if (view == CASETHREAD_SUBMITTER)
		return strcmp(role, "submitter") == 0 ? "you" : "officer";
	if (strcmp(role, "officer") == 0 && name != NULL)
		return name;
	return role;
}

static const char *
casethread_kind(const char *kind)
{
	if (strcmp(kind, "addition") == 0)
		return "addition to the narrative";
	if (strcmp(kind, "consent-request") == 0)
		return "request for consent";
	return kind;
}

static void
casethread_print_messages(const json_t *list, enum casethread_view view)
{
	const json_t *m;
	char when[32];
	size_t i;

	if (json_array_size(list) == 0) {
		printf("Messages: none\n");
		return;
	}
	printf("Messages:\n");
	json_array_foreach(list, i, m)
	{
		printf("  %s  ",
		    out_time(when, sizeof when, out_str(m, "created_at")));
		out_text(stdout, casethread_author(m, view), 0);
		printf(", ");
		out_text(stdout, casethread_kind(out_str(m, "kind")), 0);
		if (json_is_true(json_object_get(m, "new")))
			printf("  [new]");
		if (strcmp(out_str(m, "kind"), "consent-request") == 0) {
			printf("  (request ");
			out_text(stdout, out_str(m, "id"), 0);
			putchar(')');
		}
		putchar('\n');
		if (json_string_value(json_object_get(m, "text")) != NULL)
			casethread_print_indented(out_str(m, "text"));
		else {
			fputs("      [", stdout);
			out_text(stdout, out_str(m, "error"), 0);
			fputs("]\n", stdout);
		}
	}
}

static void
casethread_print_consents(const json_t *list, enum casethread_view view)
{
	const json_t *c;
	const char *answer, *unit;
	size_t i;

	if (json_array_size(list) == 0)
		return;
	printf("\nConsent requests:\n");
	json_array_foreach(list, i, c)
	{
		answer = json_string_value(json_object_get(c, "answer"));
		unit = json_string_value(json_object_get(c, "unit"));
		printf("  ");
		out_text(stdout, out_str(c, "request"), 0);
		printf("  ");
		out_text(stdout, out_str(c, "purpose"), 0);
		if (unit != NULL) {
			printf(", to ");
			out_text(stdout, unit, 0);
		}
		if (answer != NULL) {
			printf(": answered ");
			out_text(stdout, answer, 0);
		} else if (view == CASETHREAD_SUBMITTER) {
			printf(": waiting for your answer\n"
			       "      answer with: mandate consent ");
			out_text(stdout, out_str(c, "request"), 0);
			printf(" yes|no");
		} else
			printf(": not answered yet");
		putchar('\n');
	}
}

static void
casethread_print_attachments(const json_t *list, enum casethread_view view)
{
	static const char *const headers[] = {
	    "NAME", "SIZE", "FROM", "ADDED", "ID"};
	struct out_table *t;
	const char *row[5];
	char size[32], when[32];
	const json_t *a;
	size_t i;

	if (json_array_size(list) == 0) {
		printf("\nAttachments: none\n");
		return;
	}
	printf("\nAttachments:\n");
	t = out_table_new(5, headers);
	json_array_foreach(list, i, a)
	{
		snprintf(size, sizeof size, "%lld",
		    (long long)json_integer_value(json_object_get(a, "size")));
		row[0] = json_string_value(json_object_get(a, "name"));
		if (row[0] == NULL)
			row[0] = "(cannot be decrypted)";
		row[1] = size;
		row[2] = casethread_author(a, view);
		row[3] = out_time(when, sizeof when, out_str(a, "created_at"));
		row[4] = out_str(a, "id");
		out_table_add(t, row);
	}
	out_table_print(t);
	out_table_free(t);
}

/* The officers' internal notes, oldest first. */
static void
casethread_print_notes(const json_t *notes)
{
	const json_t *n;
	size_t i;

	if (json_array_size(notes) == 0)
		return;
	printf("\nInternal notes (never shown to the submitter):\n");
	json_array_foreach(notes, i, n)
	{
		printf("  %s  %s\n",
		    json_string_value(json_object_get(n, "created_at")),
		    json_string_value(json_object_get(n, "author")));
		if (json_is_string(json_object_get(n, "text")))
			casethread_print_indented(
			    json_string_value(json_object_get(n, "text")));
		else
			printf("    (%s)\n",
			    json_string_value(json_object_get(n, "error")));
	}
}

void
casethread_print(const json_t *reply, enum casethread_view view)
{
	casethread_print_messages(json_object_get(reply, "messages"), view);
	casethread_print_consents(json_object_get(reply, "consents"), view);
	casethread_print_attachments(
	    json_object_get(reply, "attachments"), view);
	if (view == CASETHREAD_OFFICER)
		casethread_print_notes(json_object_get(reply, "notes"));
}

void
casethread_text_free(char *text, size_t len)
{
	if (text == NULL)
		return;
	crypt_wipe(text, len);
	free(text);
}

/* Reads fd to its end into a buffer wiped whenever it moves. */
static int
casethread_slurp(int fd, char **text, size_t *len)
{
	size_t cap = 4096;
	char *buf = xmalloc(cap), *grown;
	ssize_t n;

	*len = 0;
	for (;;) {
		if (*len + 1 == cap) {
			grown = xmalloc(cap * 2);
			memcpy(grown, buf, *len);
			crypt_wipe(buf, cap);
			free(buf);
			buf = grown;
			cap *= 2;
		}
		n = read(fd, buf + *len, cap - 1 - *len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0 || (*len += (size_t)n) > CASETHREAD_TEXT_MAX + 2)
			break;
	}
	buf[*len] = '\0';
	*text = buf;
	return n == -1 ? -1 : 0;
}

int
casethread_read_text(
    const char *path, const char *what, char **text, size_t *len, char **cause)
{
	int fd = STDIN_FILENO, rc;

	*text = NULL;
	if (path != NULL && strcmp(path, "-") != 0 &&
	    (fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		*cause = xasprintf("%s: %s", path, strerror(errno));
		return EX_NOINPUT;
	}
	if (fd == STDIN_FILENO && isatty(fd))
		fprintf(stderr, "%c%s (end with Ctrl-D on an empty line):\n",
		    toupper((unsigned char)what[0]), what + 1);
	rc = casethread_slurp(fd, text, len);
	if (rc == -1)
		*cause = xasprintf(
		    "%s: %s", path ? path : "standard input", strerror(errno));
	if (fd != STDIN_FILENO)
		close(fd);
	if (rc == 0 && *len > 0 && (*text)[*len - 1] == '\n')
		(*text)[--*len] = '\0';
	if (rc == 0 && *len == 0)
		*cause = xasprintf("the %s is empty", what);
	else if (rc == 0 && *len > CASETHREAD_TEXT_MAX)
		*cause = xasprintf("the %s is longer than %d bytes", what,
		    CASETHREAD_TEXT_MAX);
	else if (rc == 0 && !json_utf8_valid(*text, *len))
		*cause = xasprintf("the %s is not valid UTF-8 text", what);
	if (*cause == NULL)
		return 0;
	casethread_text_free(*text, *len);
	*text = NULL;
	return rc == -1 ? EX_IOERR : EX_DATAERR;
}

int
casethread_post(struct cmd_env *env, const char *path, const char *case_id,
    const unsigned char *casekey, const struct casethread_message *m,
    json_t **reply)
{
	char id[CASETHREAD_ID_LEN + 1], *body;
	json_t *req;
	int rc;

	casethread_new_id(id);
	body = casethread_seal(case_id, id, casekey, m->text, m->len);
	req = json_pack(
	    "{s:s, s:s, s:s}", "id", id, "kind", m->kind, "body", body);
	if (req == NULL)
		xmalloc_fatal();
	if (m->purpose != NULL)
		json_object_set_new(req, "purpose", json_string(m->purpose));
	if (m->unit != NULL)
		json_object_set_new(req, "unit", json_string(m->unit));
	/* The id makes a repeat harmless: the daemon answers "replayed". */
	rc = cmd_request_retry(env, "POST", path, req, NULL, reply);
	json_decref(req);
	free(body);
	return rc;
}
