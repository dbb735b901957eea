/*
 * Checks on the vocabulary that daemon and client share (include/mandate/
 * api.h): category names and the shape of case ids.
 */
#include <string.h>

#include "mandate/api.h"

static const char *const api_categories[] = {
#define API_CATEGORY(name) name,
    MANDATE_CATEGORIES(API_CATEGORY)
#undef API_CATEGORY
};

int
mandate_category_valid(const char *s)
{
	size_t i;

	if (s == NULL)
		return 0;
	for (i = 0; i < sizeof api_categories / sizeof api_categories[0]; i++)
		if (strcmp(s, api_categories[i]) == 0)
			return 1;
	return 0;
}

int
mandate_case_id_valid(const char *s)
{
	size_t i;

	if (s == NULL || strlen(s) != MANDATE_CASE_ID_LEN)
		return 0;
	for (i = 0; i < MANDATE_CASE_ID_LEN; i++) {
		/* Every GROUP characters, the next one is the separator. */
		if (i % (MANDATE_CASE_ID_GROUP + 1) == MANDATE_CASE_ID_GROUP) {
			if (s[i] != '-')
				return 0;
		} else if (strchr(MANDATE_CASE_ID_ALPHABET, s[i]) == NULL)
			return 0;
	}
	return 1;
}
