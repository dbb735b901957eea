/*
 * Files embedded in the binary at build time (see cmake/embed.cmake): the
 * default rules, the default configuration and the schema migrations.
 */
#ifndef MANDATE_EMBED_H
#define MANDATE_EMBED_H

#include <stddef.h>

struct embed_file {
	const char
	    *name; /* file name without directory, e.g. "0001-init.sql" */
	const char *data; /* NUL-terminated */
	size_t len;
};

/* The default rules file (rules/default.rules). */
extern const struct embed_file embed_default_rules;

/* The schema migrations, sorted by name; embed_schema_count of them. */
extern const struct embed_file embed_schema[];
extern const size_t embed_schema_count;

#endif
