/*
 * What the officers' endpoints share: finding a case the caller holds a
 * key copy of, reading an internal note from a request, and applying a
 * lifecycle transition to a case with its deadline clock.
 */
#ifndef MANDATE_WORK_H
#define MANDATE_WORK_H

#include <stdint.h>

#include "db.h"
#include "json.h"
#include "routes.h"

struct config_unit;

/*
 * The case req->param for an officer holding a key copy: 0 with *c, *o
 * (the caller's officer row holding it) and *unit filled; otherwise
 * replies (404 when the case is unknown or the caller holds no copy,
 * 500 on error) and returns -1.
 */
int work_case(struct request *req, struct response *res, struct db_case *c,
    const struct db_officer **o, const struct config_unit **unit);

/*
 * Reads a note object {"id", "body"} (a 32-hex-digit id drawn by the
 * client; a base64 box of 1 byte to 64 KiB) into *n (n->body malloc'd,
 * caller frees) with field naming it in errors.  0, or -1 after replying.
 */
int work_note_parse(struct response *res, const json_t *obj, const char *field,
    struct db_note *n);

/*
 * Checks that every key of req->json is one of the NULL-terminated list;
 * 0, or -1 after replying unknown_field.
 */
int work_only(
    struct request *req, struct response *res, const char *const *allowed);

/*
 * The optional string member name of req->json: 0 with *out (NULL when
 * absent), or -1 after replying wrong_type.
 */
int work_string(struct request *req, struct response *res, const char *name,
    const char **out);

/*
 * Fills next with the case moved to status to (outcome may be NULL) at
 * now: its deadline clock leaves and enters states as unit's lifecycle
 * says, and its threshold marks are cleared when a new stage starts.
 */
void work_next_state(const struct config_unit *unit, const struct db_case *c,
    const char *to, const char *outcome, int64_t now, struct db_case *next);

/* Logs cause (freed) and replies 500; returns 0. */
int work_internal(struct response *res, char *cause);

#endif
