/*
 * Attachments, uploaded by the client in secretstream chunks that the
 * daemon cannot read: creation with the declared size (checked against
 * the per-file and per-case limits before anything is stored), chunks in
 * order, and completion when the last chunk brings exactly the declared
 * size.  A file that breaks its declaration is deleted whole.
 */
#ifndef MANDATE_ATTACH_H
#define MANDATE_ATTACH_H

#include "routes.h"

/* Largest plaintext chunk a client may send. */
#define ATTACH_CHUNK_MAX (256 * 1024)

/* {"id", "size", "header", "meta"} → 201 {"id"}.  Returns 0. */
int attach_create(struct request *req, struct response *res,
    const char *case_id, const char *author_role);

/* {"data", "final"} for chunk n of attachment aid → 200.  Returns 0. */
int attach_chunk(struct request *req, struct response *res, const char *case_id,
    const char *aid, const char *n);

#endif
