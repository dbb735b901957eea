/*
 * libFuzzer target for the rules parser: any bytes as a rules file.  A
 * file either loads, and then routes a sample case, or is refused with a
 * "FILE:LINE:COLUMN: message" cause; never both, never neither.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "rules.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const fuzz_units[] = {
    "ethics", "ombudsperson", "inspector-general", "legal"};

static const char fuzz_narrative[] =
    "After I reported the kickbacks, my contract was not renewed. "
    "Conflit d’intérêts, ACOSO laboral, fraud fraud embezzlement.";

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rules_decision d;
	struct rules_case c;
	struct rules *r;
	char *cause = NULL;

	r = rules_load(
	    (const char *)data, size, "fuzz.rules", fuzz_units, 4, &cause);
	if (r == NULL) {
		if (cause == NULL || (strncmp(cause, "fuzz.rules:", 11) != 0 &&
		                         strcmp(cause, "out of memory") != 0))
			abort();
		free(cause);
		return 0;
	}
	if (cause != NULL)
		abort();
	memset(&c, 0, sizeof(c));
	c.title = "Représailles";
	c.title_len = strlen(c.title);
	c.narrative = fuzz_narrative;
	c.narrative_len = sizeof(fuzz_narrative) - 1;
	c.category = size % 2 ? "fraud" : NULL;
	c.subject_office = size % 3 ? "ethics" : NULL;
	if (rules_route(r, &c, &d, &cause) == 0) {
		if (d.unit[0] == '\0' || d.rule[0] == '\0')
			abort();
		rules_decision_clear(&d);
	} else {
		free(cause);
	}
	rules_free(r);
	return 0;
}
