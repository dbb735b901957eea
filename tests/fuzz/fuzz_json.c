/*
 * libFuzzer target for the JSON decoding path of a request body, as the
 * router and the intake take it: the UTF-8 check, json_parse_strict(),
 * then casejson_parse() of the case JSON (a submission, and a dry-run
 * routing input that may carry an "id").  What parses must encode and
 * parse back to an equal value; what casejson_parse() accepts must keep
 * within the limits of DESIGN.md; a refusal must name an error of the
 * table with a message.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "casejson.h"
#include "config.h"
#include "crypt.h"
#include "json.h"
#include "log.h"
#include "mandate/api.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct config *fuzz_cfg;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char *cause = NULL;

	log_init("fuzz_json", LOG_LEVEL_ERR);
	json_init();
	if (crypt_init() < 0 || (fuzz_cfg = config_load(NULL, &cause)) == NULL)
		abort();
	return 0;
}

static void
fuzz_check_text(const char *s, size_t len, size_t min, size_t max_chars)
{
	size_t n;

	if (s == NULL || !json_utf8_valid(s, len) || strlen(s) != len)
		abort();
	n = json_utf8_chars(s, len);
	if (n < min || n > max_chars)
		abort();
}

static void
fuzz_case(const json_t *obj, int allow_id)
{
	struct case_input in;
	struct case_error e;

	memset(&e, 0, sizeof e);
	if (casejson_parse(obj, fuzz_cfg, allow_id, &in, &e) < 0) {
		if (e.err >= MANDATE_ERR_COUNT ||
		    e.err == MANDATE_ERR_INTERNAL || e.message[0] == '\0' ||
		    memchr(e.message, '\0', sizeof e.message) == NULL)
			abort();
		return;
	}
	fuzz_check_text(in.title, in.title_len, 1, MANDATE_TITLE_MAX_CHARS);
	fuzz_check_text(
	    in.narrative, in.narrative_len, 1, MANDATE_NARRATIVE_MAX_BYTES);
	if (in.narrative_len > MANDATE_NARRATIVE_MAX_BYTES)
		abort();
	if (in.category != NULL && !mandate_category_valid(in.category))
		abort();
	if (in.subjects != NULL &&
	    json_array_size(in.subjects) > MANDATE_SUBJECTS_MAX)
		abort();
	if (!allow_id && in.id != NULL)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	char *cause = NULL, *dump;
	json_t *v, *again;

	if (!json_utf8_valid(text, size))
		return 0; /* the router refuses it before parsing */
	v = json_parse_strict(text, size, &cause);
	if (v == NULL) {
		if (cause == NULL || cause[0] == '\0')
			abort();
		free(cause);
		return 0;
	}
	if (cause != NULL)
		abort();
	dump = json_dump_compact(v);
	again = json_parse_strict(dump, strlen(dump), &cause);
	if (again == NULL || !json_equal(v, again))
		abort();
	json_decref(again);
	free(dump);
	if (json_is_object(v)) {
		fuzz_case(v, 0);
		fuzz_case(v, 1);
	}
	json_decref(v);
	return 0;
}
