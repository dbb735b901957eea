/*
 * What the user sees: error lines on stderr, labelled fields and tables on
 * stdout, JSON for --json.  Every string that came from the server or from
 * a case goes through out_text(), which neutralises terminal control
 * sequences: a submitter must not be able to drive an officer's terminal.
 */
#ifndef MANDATE_CLIENT_OUT_H
#define MANDATE_CLIENT_OUT_H

#include <jansson.h>
#include <stddef.h>
#include <stdio.h>

/* out_text() flags: keep newlines and tabs (multi-line text). */
#define OUT_TEXT_MULTILINE 0x1

/* Prints "mandate: <message>" and a newline to stderr. */
void out_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * Prints a message in the client's one error format to stderr:
 * "mandate: <message> (field: <field>)", the field part only when field is
 * not NULL.  The message is sanitised; it must never carry case content.
 */
void out_error_field(const char *message, const char *field);

/*
 * Renders an error reply of the server (any non-2xx status) on stderr and
 * returns the sysexits(3) status to exit with: the error table's, looked up
 * by code, or one derived from the HTTP status when the code is unknown or
 * the body is not the API's error shape.  body may be NULL.
 */
int out_server_error(long http_status, const json_t *body);

/*
 * Writes s to f with control characters (C0 except, with
 * OUT_TEXT_MULTILINE, newline and tab; DEL; C1) shown as \xNN or \uNNNN.
 */
void out_text(FILE *f, const char *s, int flags);

/* Prints "label:" padded to a column, then the sanitised value, to stdout. */
void out_field(const char *label, const char *value);

/* Prints v as compact JSON and a newline to stdout; wipes the text after.
 * Returns 0, or EX_IOERR when stdout cannot be written. */
int out_json(const json_t *v);

/* Flushes stdout; returns 0, or EX_IOERR (with a message) on failure. */
int out_flush(void);

/*
 * Borrowed views of reply members for display: the string value of key,
 * or "-" when it is missing, null or not a string; "yes"/"no" for a
 * boolean; an array of strings joined by ", " into buf (truncated to size).
 */
const char *out_str(const json_t *obj, const char *key);
const char *out_bool(const json_t *obj, const char *key);
const char *out_list(
    char *buf, size_t size, const json_t *obj, const char *key);

/*
 * A server timestamp "2026-11-28T07:00:00Z" shortened for tables to
 * "2026-11-28 07:00" in buf; anything else is returned unchanged.
 */
const char *out_time(char *buf, size_t size, const char *iso);

/*
 * A table printed with aligned columns.  out_table_new() takes ncols
 * headers (borrowed: string literals); out_table_add() copies and
 * sanitises ncols cells (NULL shows "-"); out_table_print() writes it to
 * stdout; out_table_free() accepts NULL.  Allocation failure is fatal.
 */
struct out_table;
struct out_table *out_table_new(size_t ncols, const char *const *headers);
void out_table_add(struct out_table *t, const char *const *cells);
void out_table_print(const struct out_table *t);
void out_table_free(struct out_table *t);

#endif
