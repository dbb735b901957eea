/*
 * Who may see which case (DESIGN.md, "Who sees what"): one place that
 * answers, so that every endpoint hides the same cases the same way.
 * Hidden cases are reported exactly like unknown ones.
 */
#ifndef MANDATE_VISIBILITY_H
#define MANDATE_VISIBILITY_H

#include <stdint.h>

struct server;
struct identity;
struct db_case;

/*
 * Looks up case id for who.  Returns 1 with *c filled when the case exists
 * and who may see its metadata, 0 when it does not exist or is hidden from
 * who, -1 on error with *cause set.  When officer_id is not NULL it
 * receives the caller's officer row that holds a key copy (or -1).
 */
int visibility_case(struct server *srv, const struct identity *who,
    const char *id, struct db_case *c, int64_t *officer_id, char **cause)
    __attribute__((warn_unused_result));

#endif
