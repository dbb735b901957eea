/*
 * The rows of the shared error table (include/mandate/errors.h), looked up
 * by enum on the daemon's side and by code string on the client's.
 */
#include <string.h>

#include "mandate/errors.h"

static const struct mandate_error_info errors_table[] = {
#define ERRORS_ROW(name, code, http, ex, msg) {code, http, ex, msg},
    MANDATE_ERRORS(ERRORS_ROW)
#undef ERRORS_ROW
};

_Static_assert(
    sizeof errors_table / sizeof errors_table[0] == MANDATE_ERR_COUNT,
    "one row per error");

const struct mandate_error_info *
mandate_error_get(enum mandate_err err)
{
	if ((unsigned int)err >= MANDATE_ERR_COUNT)
		return &errors_table[MANDATE_ERR_INTERNAL];
	return &errors_table[err];
}

const struct mandate_error_info *
mandate_error_find(const char *code)
{
	size_t i;

	if (code == NULL)
		return NULL;
	for (i = 0; i < MANDATE_ERR_COUNT; i++)
		if (strcmp(errors_table[i].code, code) == 0)
			return &errors_table[i];
	return NULL;
}
