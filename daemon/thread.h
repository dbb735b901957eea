/*
 * A case's thread as JSON, for its submitter and its officers: messages
 * (encrypted by the writer's client under the case key), consent requests
 * and their answers, and attachments.  Also the validation of a new
 * message, shared by both sides.
 */
#ifndef MANDATE_THREAD_H
#define MANDATE_THREAD_H

#include <stdint.h>

#include "json.h"
#include "routes.h"

struct server;

/* Who is looking: the submitter sees no officer's name and a "new" flag. */
enum thread_view { THREAD_SUBMITTER, THREAD_OFFICER };

/*
 * Adds "messages", "consents" and "attachments" to obj for case_id.
 * Returns the highest message seq (for "seen"), or -1 on error (*cause).
 */
int64_t thread_add_json(struct server *srv, const char *case_id,
    enum thread_view view, int64_t seen, json_t *obj, char **cause);

/*
 * Stores a message from req->json ({"id", "kind", "body"[, "purpose",
 * "unit"]}) on case_id.  allowed lists the kinds this author may write.
 * Replies 201 with {"id", "created_at"}, 200 for a retry of the same id,
 * or the error.  Returns 0.
 */
int thread_post_message(struct request *req, struct response *res,
    const char *case_id, const char *author_role, const char *author,
    const char *const *allowed, int round_minutes);

/* Nonzero when s is 32 lower-case hex digits: message and attachment ids. */
int thread_id_valid(const char *s);

#endif
