/*
 * Validating the case JSON field by field, with errors that name the field
 * and never echo its content.
 */
#include "casejson.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "crypt.h"
#include "db.h"
#include "mandate/api.h"
#include "routes.h"

static int casejson_fail(struct case_error *e, enum mandate_err err,
    const char *field, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int
casejson_fail(struct case_error *e, enum mandate_err err, const char *field,
    const char *fmt, ...)
{
	va_list ap;

	e->err = err;
	e->field = field;
	va_start(ap, fmt);
	vsnprintf(e->message, sizeof e->message, fmt, ap);
	va_end(ap);
	return -1;
}

/* Nonzero when s has a control character other than tab/newline/CR. */
static int
casejson_has_control(const char *s, size_t len, int allow_newlines)
{
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == 0x7f ||
		    (c < 0x20 && !(allow_newlines &&
		                     (c == '\n' || c == '\t' || c == '\r'))))
			return 1;
	}
	return 0;
}

static int
casejson_blank(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (!isspace((unsigned char)s[i]))
			return 0;
	return 1;
}

/* A required or optional string of 1..max code points (or bytes). */
static int
casejson_text(const json_t *obj, const char *field, int required, size_t max,
    int in_bytes, int newlines, const char **out, size_t *outlen,
    struct case_error *e)
{
	json_t *v = json_object_get(obj, field);
	const char *s;
	size_t len, count;

	*out = NULL;
	*outlen = 0;
	if (v == NULL || json_is_null(v)) {
		if (required)
			return casejson_fail(e, MANDATE_ERR_MISSING_FIELD,
			    field, "%s is required", field);
		return 0;
	}
	if (!json_is_string(v))
		return casejson_fail(e, MANDATE_ERR_WRONG_TYPE, field,
		    "%s must be a string", field);
	s = json_string_value(v);
	len = json_string_length(v);
	if (len == 0 || casejson_blank(s, len))
		return casejson_fail(
		    e, MANDATE_ERR_EMPTY, field, "%s must not be empty", field);
	count = in_bytes ? len : json_utf8_chars(s, len);
	if (count > max)
		return casejson_fail(e, MANDATE_ERR_TOO_LONG, field,
		    "%s is longer than %zu %s", field, max,
		    in_bytes ? "bytes" : "characters");
	if (casejson_has_control(s, len, newlines))
		return casejson_fail(e, MANDATE_ERR_BAD_FIELD, field,
		    "%s contains control characters", field);
	*out = s;
	*outlen = len;
	return 0;
}

/* BCP 47 shape: 2-8 letters, then "-" subtags of 1-8 letters or digits. */
static int
casejson_language_valid(const char *s, size_t len)
{
	size_t i = 0, part = 0, first = 1;

	if (len > MANDATE_LANGUAGE_MAX_BYTES)
		return 0;
	for (; i <= len; i++) {
		if (i == len || s[i] == '-') {
			if (part == 0 || part > 8 || (first && part < 2))
				return 0;
			part = 0;
			first = 0;
			continue;
		}
		if (!isalpha((unsigned char)s[i]) &&
		    (first || !isdigit((unsigned char)s[i])))
			return 0;
		part++;
	}
	return 1;
}

static int
casejson_subjects(
    const json_t *obj, struct case_input *out, struct case_error *e)
{
	json_t *v = json_object_get(obj, "subjects"), *item;
	size_t i;

	if (v == NULL || json_is_null(v))
		return 0;
	if (!json_is_array(v))
		return casejson_fail(e, MANDATE_ERR_WRONG_TYPE, "subjects",
		    "subjects must be an array of strings");
	if (json_array_size(v) > MANDATE_SUBJECTS_MAX)
		return casejson_fail(e, MANDATE_ERR_TOO_LONG, "subjects",
		    "subjects has more than %d entries", MANDATE_SUBJECTS_MAX);
	json_array_foreach(v, i, item)
	{
		const char *s;
		size_t len;
		if (!json_is_string(item))
			return casejson_fail(e, MANDATE_ERR_WRONG_TYPE,
			    "subjects", "subjects[%zu] must be a string", i);
		s = json_string_value(item);
		len = json_string_length(item);
		if (len == 0 || casejson_blank(s, len))
			return casejson_fail(e, MANDATE_ERR_EMPTY, "subjects",
			    "subjects[%zu] must not be empty", i);
		if (json_utf8_chars(s, len) > MANDATE_SUBJECT_MAX_CHARS)
			return casejson_fail(e, MANDATE_ERR_TOO_LONG,
			    "subjects",
			    "subjects[%zu] is longer than %d characters", i,
			    MANDATE_SUBJECT_MAX_CHARS);
		if (casejson_has_control(s, len, 0))
			return casejson_fail(e, MANDATE_ERR_BAD_FIELD,
			    "subjects",
			    "subjects[%zu] contains control characters", i);
	}
	out->subjects = v;
	return 0;
}

static int
casejson_check_fields(const json_t *obj, int allow_id, struct case_error *e)
{
	static const char *const known[] = {"title", "narrative", "category",
	    "subject_office", "language", "anonymous", "subjects", "receipt",
	    NULL};
	const char *key;
	json_t *v;

	json_object_foreach((json_t *)obj, key, v)
	{
		size_t i;
		for (i = 0; known[i] != NULL; i++)
			if (strcmp(key, known[i]) == 0)
				break;
		if (known[i] == NULL && !(allow_id && strcmp(key, "id") == 0))
			return casejson_fail(e, MANDATE_ERR_UNKNOWN_FIELD, key,
			    "%s is not a field of a case", key);
	}
	return 0;
}

static int
casejson_enums(const json_t *obj, const struct config *cfg,
    struct case_input *out, struct case_error *e)
{
	size_t len;

	if (casejson_text(
	        obj, "category", 0, 32, 1, 0, &out->category, &len, e) < 0)
		return -1;
	if (out->category != NULL && !mandate_category_valid(out->category))
		return casejson_fail(e, MANDATE_ERR_UNKNOWN_CATEGORY,
		    "category",
		    "category must be one of misconduct, fraud, retaliation, "
		    "workplace-dispute, conflict-of-interest, data-protection, "
		    "legal");
	if (casejson_text(obj, "subject_office", 0, MANDATE_UNIT_ID_MAX_BYTES,
	        1, 0, &out->subject_office, &len, e) < 0)
		return -1;
	if (out->subject_office != NULL &&
	    strcmp(out->subject_office, "other") != 0 &&
	    config_unit_find(cfg, out->subject_office) == NULL)
		return casejson_fail(e, MANDATE_ERR_UNKNOWN_UNIT,
		    "subject_office",
		    "subject_office must be a unit id or \"other\"");
	if (casejson_text(obj, "language", 0, MANDATE_LANGUAGE_MAX_BYTES, 1, 0,
	        &out->language, &len, e) < 0)
		return -1;
	if (out->language != NULL &&
	    !casejson_language_valid(out->language, len))
		return casejson_fail(e, MANDATE_ERR_BAD_FIELD, "language",
		    "language must be a BCP 47 tag such as \"fr\" or "
		    "\"es-419\"");
	return 0;
}

/* One base64 member of the receipt object, exactly 32 bytes. */
static int
casejson_receipt_part(
    const json_t *r, const char *name, unsigned char *out, struct case_error *e)
{
	json_t *v = json_object_get(r, name);
	unsigned char *bin;
	size_t len = 0;

	if (!json_is_string(v))
		return casejson_fail(e, MANDATE_ERR_WRONG_TYPE, "receipt",
		    "receipt.%s must be a base64 string", name);
	bin =
	    crypt_b64_decode(json_string_value(v), json_string_length(v), &len);
	if (bin == NULL || len != 32) {
		free(bin);
		return casejson_fail(e, MANDATE_ERR_BAD_FIELD, "receipt",
		    "receipt.%s must be 32 bytes in base64", name);
	}
	memcpy(out, bin, 32);
	free(bin);
	return 0;
}

static int
casejson_receipt(
    const json_t *obj, struct case_input *out, struct case_error *e)
{
	json_t *r = json_object_get(obj, "receipt");

	if (r == NULL || json_is_null(r))
		return 0;
	if (!json_is_object(r) || json_object_size(r) != 3)
		return casejson_fail(e, MANDATE_ERR_WRONG_TYPE, "receipt",
		    "receipt must be an object of lookup, verifier and "
		    "public_key");
	if (casejson_receipt_part(r, "lookup", out->receipt_lookup, e) < 0 ||
	    casejson_receipt_part(r, "verifier", out->receipt_verifier, e) <
	        0 ||
	    casejson_receipt_part(r, "public_key", out->receipt_pk, e) < 0)
		return -1;
	out->has_receipt = 1;
	return 0;
}

int
casejson_parse(const json_t *obj, const struct config *cfg, int allow_id,
    struct case_input *out, struct case_error *e)
{
	json_t *v;
	size_t len;

	memset(out, 0, sizeof *out);
	if (casejson_check_fields(obj, allow_id, e) < 0)
		return -1;
	if (casejson_text(obj, "title", 1, MANDATE_TITLE_MAX_CHARS, 0, 0,
	        &out->title, &out->title_len, e) < 0 ||
	    casejson_text(obj, "narrative", 1, MANDATE_NARRATIVE_MAX_BYTES, 1,
	        1, &out->narrative, &out->narrative_len, e) < 0)
		return -1;
	if (casejson_enums(obj, cfg, out, e) < 0)
		return -1;
	v = json_object_get(obj, "anonymous");
	if (v != NULL && !json_is_null(v)) {
		if (!json_is_boolean(v))
			return casejson_fail(e, MANDATE_ERR_WRONG_TYPE,
			    "anonymous", "anonymous must be true or false");
		out->anonymous = json_is_true(v);
	}
	if (casejson_subjects(obj, out, e) < 0 ||
	    casejson_receipt(obj, out, e) < 0)
		return -1;
	if (allow_id &&
	    casejson_text(obj, "id", 0, 128, 1, 0, &out->id, &len, e) < 0)
		return -1;
	return 0;
}

json_t *
casejson_metadata(const struct db_case *c)
{
	char received[32], due[32];
	json_t *o;

	format_time(received, sizeof received, c->received_at);
	format_time(due, sizeof due, c->due_at);
	o = json_pack("{s:s, s:s, s:s?, s:s?, s:s?, s:s, s:b, s:s, s:s?, "
	              "s:s, s:b, s:b}",
	    "id", c->id, "unit", c->unit, "category",
	    c->category[0] ? c->category : NULL, "subject_office",
	    c->subject_office[0] ? c->subject_office : NULL, "language",
	    c->language[0] ? c->language : NULL, "status", c->status,
	    "anonymous", c->anonymous, "received_at", received, "due_at",
	    c->due_at ? due : NULL, "rule", c->rule, "recused", c->recused,
	    "urgent", c->urgent);
	json_object_set_new(o, "assignee",
	    c->assignee[0] ? json_string(c->assignee) : json_null());
	if (c->outcome[0])
		json_object_set_new(o, "outcome", json_string(c->outcome));
	json_object_set_new(o, "paused", json_boolean(c->paused_at != 0));
	json_object_set_new(
	    o, "overdue", json_boolean(c->escalated & DB_ESCALATED_100));
	/* The deadline alerts raised in the current stage (escalate.h). */
	json_object_set_new(o, "deadline",
	    json_pack("{s:b, s:b, s:b}", "warned",
	        (c->escalated & DB_ESCALATED_80) != 0, "overdue",
	        (c->escalated & DB_ESCALATED_100) != 0, "escalated_urgent",
	        (c->escalated & DB_ESCALATED_URGENT) != 0));
	return o;
}
