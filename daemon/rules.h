/*
 * The routing rules: a small declarative language (documented in
 * rules/LANGUAGE.md and the README) compiled once at load time into an
 * immutable structure, and the matcher that routes a case with it.
 * Pure: no I/O, no global state; safe to share between threads once built.
 */
#ifndef MANDATE_RULES_H
#define MANDATE_RULES_H

#include <stddef.h>

struct rules;

/* The routing input: the fields of the case JSON that routing reads. */
struct rules_case {
	const char *title; /* UTF-8, not necessarily NUL-terminated */
	size_t title_len;
	const char *narrative;
	size_t narrative_len;
	const char *category;       /* NUL-terminated, or NULL for none */
	const char *subject_office; /* unit id, "other", or NULL */
};

/* A routing decision.  Filled by rules_route(); release with
 * rules_decision_clear(). */
struct rules_decision {
	char unit[33];         /* destination unit id */
	char rule[65];         /* name of the rule that chose the destination */
	int recused;           /* 1 when recusal moved the case */
	char recusal_rule[65]; /* name of the recusal rule, "" when not recused
	                        */
	int urgent;      /* 1 when a matching rule flags the case urgent */
	char **matched;  /* normalised words/phrases that matched, */
	size_t nmatched; /* in the order they were first found, unique */
};

/*
 * Compiles a rules file.  text/len is its content, filename is used only in
 * messages, units lists the nunits unit ids that destinations may name.
 * Returns the compiled rules, or NULL with *cause set (caller frees) to
 * "FILE:LINE:COLUMN: message" for the first error; never half-loads.
 */
struct rules *rules_load(const char *text, size_t len, const char *filename,
    const char *const *units, size_t nunits, char **cause)
    __attribute__((warn_unused_result));

/* Frees compiled rules; accepts NULL. */
void rules_free(struct rules *rules);

/*
 * Routes one case.  Returns 0 with *out filled, or -1 with *cause set when
 * no rule matches at all (a rules file without a catch-all) or memory runs
 * out.  The decision owns its strings; see rules_decision_clear().
 */
int rules_route(const struct rules *rules, const struct rules_case *c,
    struct rules_decision *out, char **cause)
    __attribute__((warn_unused_result));

/* Frees what a decision owns and zeroes it; accepts an already-cleared one. */
void rules_decision_clear(struct rules_decision *d);

/* Number of rules and of distinct words compiled, for logs and -t. */
size_t rules_count(const struct rules *rules);
size_t rules_word_count(const struct rules *rules);

/*
 * The unit a case of unit goes to when its officers must not hold it (the
 * alternate of unit's recusal stanza), borrowed from rules; NULL when unit
 * is unknown or has no recusal.
 */
const char *rules_recusal_alternate(
    const struct rules *rules, const char *unit);

#endif
