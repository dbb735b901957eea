/*
 * CSV (RFC 4180) rows for exports, shared by the daemon (which writes
 * them) and the client (which reads them back to verify): a row is a JSON
 * object's members in a fixed column order.  A field is quoted when it
 * holds a comma, a quote, CR or LF; quotes inside are doubled.
 */
#ifndef MANDATE_CSV_H
#define MANDATE_CSV_H

#include <jansson.h>
#include <stddef.h>

/*
 * One row: for each of the NULL-terminated columns, obj's member of that
 * name (strings as they are, integers in decimal, booleans as true or
 * false, a missing or null member as an empty field), CRLF-terminated.
 * Returns a malloc'd string (caller frees); fatal on allocation failure.
 */
char *csv_row(const json_t *obj, const char *const *columns);

/* The header row: the column names themselves. */
char *csv_header(const char *const *columns);

/*
 * Splits one row (without its line ending) into at most max fields, each
 * malloc'd into fields[] (free with csv_fields_free()).  Returns the
 * number of fields, or -1 when the row is malformed (an unterminated or
 * misplaced quote) or has more than max fields.
 */
int csv_split(const char *line, size_t len, char **fields, int max)
    __attribute__((warn_unused_result));

/* Frees n fields from csv_split(). */
void csv_fields_free(char **fields, int n);

#endif
