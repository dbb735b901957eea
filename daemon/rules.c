/*
 * The rules module's entry points: loading a rules file into its compiled,
 * immutable form and releasing it.  Parsing lives in rules-parse.c, the
 * word dictionary in rules-dict.c, routing in rules-match.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mandate/api.h"
#include "rules-int.h"

int
rules_grow(void *arrayp, size_t *cap, size_t need, size_t elem)
{
	void **array = arrayp;
	size_t ncap;
	void *n;

	if (need <= *cap)
		return 0;
	ncap = *cap == 0 ? 16 : *cap;
	while (ncap < need)
		ncap *= 2;
	if ((n = reallocarray(*array, ncap, elem)) == NULL)
		return -1;
	*array = n;
	*cap = ncap;
	return 0;
}

int
rules_category_index(const char *s, size_t len)
{
	static const char *const names[] = {
#define RULES_CATEGORY_NAME(name) name,
	    MANDATE_CATEGORIES(RULES_CATEGORY_NAME)
#undef RULES_CATEGORY_NAME
	};
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strlen(names[i]) == len && memcmp(names[i], s, len) == 0)
			return (int)i;
	return RULES_NONE;
}

int
rules_unit_index(const struct rules *r, const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < r->nunits; i++)
		if (strlen(r->units[i]) == len &&
		    memcmp(r->units[i], s, len) == 0)
			return (int)i;
	return RULES_NONE;
}

/* Unit ids are names in the language, so they must lex as one. */
static int
rules_unit_valid(const char *u)
{
	size_t i, len = strlen(u);

	if (len == 0 || len > MANDATE_UNIT_ID_MAX_BYTES ||
	    strcmp(u, "other") == 0 || strcmp(u, "none") == 0)
		return 0;
	for (i = 0; i < len; i++)
		if (!((u[i] >= 'a' && u[i] <= 'z') ||
		        (u[i] >= 'A' && u[i] <= 'Z') ||
		        (u[i] >= '0' && u[i] <= '9') || u[i] == '-' ||
		        u[i] == '_' || u[i] == '.'))
			return 0;
	return 1;
}

static int
rules_set_units(
    struct rules *r, const char *const *units, size_t nunits, char **cause)
{
	size_t i;

	if (nunits == 0 || nunits > RULES_UNITS_MAX) {
		if (asprintf(cause, "rules: %zu units given (1 to %d allowed)",
		        nunits, RULES_UNITS_MAX) == -1)
			*cause = NULL;
		return -1;
	}
	r->units = calloc(nunits, sizeof(*r->units));
	r->recusal = calloc(nunits, sizeof(*r->recusal));
	if (r->units == NULL || r->recusal == NULL)
		goto nomem;
	for (i = 0; i < nunits; i++) {
		if (!rules_unit_valid(units[i])) {
			if (asprintf(cause, "rules: invalid unit id '%.40s'",
			        units[i]) == -1)
				*cause = NULL;
			return -1;
		}
		if (rules_unit_index(r, units[i], strlen(units[i])) >= 0) {
			if (asprintf(cause, "rules: unit '%s' given twice",
			        units[i]) == -1)
				*cause = NULL;
			return -1;
		}
		if ((r->units[i] = strdup(units[i])) == NULL)
			goto nomem;
		r->recusal[i].alternate = RULES_NONE;
		r->nunits++;
	}
	return 0;
nomem:
	*cause = strdup("out of memory");
	return -1;
}

struct rules *
rules_load(const char *text, size_t len, const char *filename,
    const char *const *units, size_t nunits, char **cause)
{
	struct rules *r;

	*cause = NULL;
	if ((r = calloc(1, sizeof(*r))) == NULL) {
		*cause = strdup("out of memory");
		return NULL;
	}
	if (filename == NULL)
		filename = "rules";
	norm_table_init(&r->norm);
	if (rules_set_units(r, units, nunits, cause) == -1 ||
	    rules_parse_text(r, text, len, filename, cause) == -1) {
		if (*cause == NULL)
			*cause = strdup("out of memory");
		rules_free(r);
		return NULL;
	}
	return r;
}

void
rules_free(struct rules *r)
{
	size_t i;

	if (r == NULL)
		return;
	for (i = 0; i < r->nunits; i++) {
		free(r->units[i]);
		free(r->recusal[i].name);
	}
	free(r->units);
	free(r->recusal);
	for (i = 0; i < r->nrules; i++)
		free(r->rules[i].name);
	free(r->rules);
	free(r->conds);
	free(r->idx);
	for (i = 0; i < r->nlists; i++)
		free(r->lists[i].name);
	free(r->lists);
	rules_dict_clear(&r->dict);
	free(r);
}

size_t
rules_count(const struct rules *r)
{
	return r->nrules + r->nrecusals;
}

size_t
rules_word_count(const struct rules *r)
{
	return r->dict.nterms;
}

const char *
rules_recusal_alternate(const struct rules *r, const char *unit)
{
	int32_t i;

	if (r == NULL || unit == NULL)
		return NULL;
	i = rules_unit_index(r, unit, strlen(unit));
	if (i < 0 || r->recusal[i].name == NULL || r->recusal[i].alternate < 0)
		return NULL;
	return r->units[r->recusal[i].alternate];
}
