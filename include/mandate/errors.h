/*
 * The error table shared by daemon and client: every error a user can see,
 * with its stable code, HTTP status, sysexits(3) status for the client, and
 * default message.  One table, one renderer on each side.
 */
#ifndef MANDATE_ERRORS_H
#define MANDATE_ERRORS_H

/* X(name, code string, http status, exit status (sysexits.h), message) */
#define MANDATE_ERRORS(X)                                                      \
	X(BAD_JSON, "bad_json", 400, 65, "the request body is not valid JSON") \
	X(BAD_FIELD, "bad_field", 422, 65, "a field has an invalid value")     \
	X(UNKNOWN_FIELD, "unknown_field", 422, 65, "the field is not allowed") \
	X(MISSING_FIELD, "missing_field", 422, 65,                             \
	    "a required field is missing")                                     \
	X(WRONG_TYPE, "wrong_type", 422, 65, "the field has the wrong type")   \
	X(BAD_UTF8, "bad_utf8", 400, 65, "the text is not valid UTF-8")        \
	X(TOO_LONG, "too_long", 422, 65, "the value is too long")              \
	X(EMPTY, "empty", 422, 65, "the value must not be empty")              \
	X(UNKNOWN_CATEGORY, "unknown_category", 422, 65, "unknown category")   \
	X(UNKNOWN_UNIT, "unknown_unit", 422, 65, "unknown unit")               \
	X(BODY_TOO_LARGE, "body_too_large", 413, 65,                           \
	    "the request body is too large")                                   \
	X(BAD_CONTENT_TYPE, "bad_content_type", 415, 65,                       \
	    "the request body must be application/json")                       \
	X(BAD_QUERY, "bad_query", 400, 64, "a query parameter is invalid")     \
	X(BAD_CASE_ID, "bad_case_id", 404, 66, "no such case")                 \
	X(NOT_FOUND, "not_found", 404, 66, "no such resource")                 \
	X(METHOD_NOT_ALLOWED, "method_not_allowed", 405, 64,                   \
	    "the method is not allowed on this resource")                      \
	X(UNAUTHENTICATED, "unauthenticated", 401, 77,                         \
	    "a valid bearer token is required on this listener")               \
	X(FORBIDDEN, "forbidden", 403, 77, "your role may not do this")        \
	X(CONFLICT, "conflict", 409, 65,                                       \
	    "the request conflicts with the current state")                    \
	X(BAD_RECEIPT, "bad_receipt", 401, 77, "the receipt is not valid")     \
	X(TOO_MANY_REQUESTS, "too_many_requests", 429, 75,                     \
	    "too many failed attempts: wait before trying again")              \
	X(ATTACHMENT_TOO_LARGE, "attachment_too_large", 413, 65,               \
	    "the attachment is larger than allowed")                           \
	X(IDEMPOTENCY_KEY_REUSED, "idempotency_key_reused", 422, 65,           \
	    "this idempotency key was used for a different request")           \
	X(UNIT_HAS_NO_OFFICER, "unit_has_no_officer", 503, 75,                 \
	    "the unit this case is routed to has no enrolled officer")         \
	X(UNAVAILABLE, "unavailable", 503, 75,                                 \
	    "the service is unavailable, retry later")                         \
	X(STORAGE_FULL, "storage_full", 507, 75,                               \
	    "the daemon is keeping its free-space reserve: retry later")       \
	X(OUTCOME_UNKNOWN, "outcome_unknown", 503, 75,                         \
	    "the write may not be durable: retry with the same idempotency "   \
	    "key")                                                             \
	X(INTERNAL, "internal", 500, 70, "internal error")

enum mandate_err {
#define MANDATE_ERR_ENUM(name, code, http, ex, msg) MANDATE_ERR_##name,
	MANDATE_ERRORS(MANDATE_ERR_ENUM)
#undef MANDATE_ERR_ENUM
	    MANDATE_ERR_COUNT
};

struct mandate_error_info {
	const char *code;
	int http_status;
	int exit_status;
	const char *message;
};

/* The row of the table for err; never NULL (out-of-range maps to INTERNAL). */
const struct mandate_error_info *mandate_error_get(enum mandate_err err);

/* The row whose code string is code, or NULL when the code is unknown. */
const struct mandate_error_info *mandate_error_find(const char *code);

#endif
