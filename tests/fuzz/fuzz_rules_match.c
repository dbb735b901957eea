/*
 * libFuzzer target for the matcher: any bytes as a case routed with the
 * embedded default rules.  The first byte picks the category and the
 * subject office, the second how much of the rest is the title; the rest
 * is title then narrative, valid UTF-8 or not.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "embed.h"
#include "rules.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const fuzz_units[] = {
    "ethics", "ombudsperson", "inspector-general", "legal"};

static const char *const fuzz_categories[] = {NULL, "misconduct", "fraud",
    "retaliation", "workplace-dispute", "conflict-of-interest",
    "data-protection", "legal"};

static const char *const fuzz_subjects[] = {NULL, "ethics", "ombudsperson",
    "inspector-general", "legal", "other", "elsewhere", ""};

static struct rules *fuzz_rules;

/* Checks what a decision promises. */
static void
fuzz_check(const struct rules_decision *d)
{
	size_t i, j;

	if (d->unit[0] == '\0' || d->rule[0] == '\0' ||
	    (d->urgent != 0 && d->urgent != 1) ||
	    (d->recused != 0 && d->recused != 1) ||
	    (d->recused == 0) != (d->recusal_rule[0] == '\0'))
		abort();
	for (i = 0; i < d->nmatched; i++)
		for (j = i + 1; j < d->nmatched; j++)
			if (strcmp(d->matched[i], d->matched[j]) == 0)
				abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rules_decision d;
	struct rules_case c;
	char *cause = NULL;
	size_t title;

	if (fuzz_rules == NULL) {
		fuzz_rules = rules_load(embed_default_rules.data,
		    embed_default_rules.len, "default.rules", fuzz_units, 4,
		    &cause);
		if (fuzz_rules == NULL)
			abort();
	}
	if (size < 2)
		return 0;
	memset(&c, 0, sizeof(c));
	c.category = fuzz_categories[data[0] & 7];
	c.subject_office = fuzz_subjects[data[0] >> 5];
	title = data[1] < size - 2 ? data[1] : size - 2;
	c.title = (const char *)data + 2;
	c.title_len = title;
	c.narrative = (const char *)data + 2 + title;
	c.narrative_len = size - 2 - title;
	if (rules_route(fuzz_rules, &c, &d, &cause) != 0)
		abort();
	fuzz_check(&d);
	rules_decision_clear(&d);
	return 0;
}
