/*
 * JSON for daemon and client: the one module that wraps jansson's parser
 * and encoder.  Values are jansson's json_t; other modules build and read
 * them with jansson's accessors, but parse and dump only through here, so
 * that the strictness rules (duplicates, NUL, depth, UTF-8) live in one
 * place.
 */
#ifndef MANDATE_JSON_H
#define MANDATE_JSON_H

#include <jansson.h>
#include <stddef.h>

#define JSON_MAX_DEPTH 32

/*
 * Makes jansson wipe every block it frees: parsed bodies and encoded
 * documents hold case content.  Call once, before any other JSON call.
 */
void json_init(void);

/*
 * Parses exactly one JSON value from buf/len.  Strict: duplicate object
 * keys, "\u0000" in strings, invalid UTF-8, trailing data and nesting
 * deeper than JSON_MAX_DEPTH are all refused.  Returns a new reference,
 * or NULL with *cause set (caller frees) to a message naming the line and
 * column.
 */
json_t *json_parse_strict(const char *buf, size_t len, char **cause)
    __attribute__((warn_unused_result));

/* Compact encoding (no spaces, keys in insertion order), malloc'd and
 * NUL-terminated; fatal on allocation failure. */
char *json_dump_compact(const json_t *v);

/* Number of Unicode code points in valid UTF-8 s/len. */
size_t json_utf8_chars(const char *s, size_t len);

/* Nonzero when s/len is valid UTF-8 without NUL bytes. */
int json_utf8_valid(const char *s, size_t len);

/* Builds {"error": {"code", "field" (omitted when NULL), "message"}};
 * returns a new reference. */
json_t *json_error_body(
    const char *code, const char *field, const char *message);

#endif
