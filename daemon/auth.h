/*
 * Who is calling, and in which roles: from the kernel's peer credentials on
 * the Unix socket, or from a configured bearer token on TCP.  Officers are
 * users enrolled in a unit (the officers table); auditors and
 * administrators come from the configuration (groups and user lists).
 */
#ifndef MANDATE_AUTH_H
#define MANDATE_AUTH_H

#include <stddef.h>
#include <sys/types.h>

#include "routes.h"

struct server;

/*
 * Fills who for the Unix user uid.  uid 0 and the daemon's own uid are
 * administrators on the socket.  Returns 0, or -1 with *cause set.
 */
int auth_identify_uid(struct server *srv, uid_t uid, struct identity *who,
    char **cause) __attribute__((warn_unused_result));

/*
 * Fills who for a bearer token.  Returns 1 when the token is configured,
 * 0 when it is not (who untouched), -1 on error with *cause set.
 */
int auth_identify_token(struct server *srv, const char *token, size_t len,
    struct identity *who, char **cause) __attribute__((warn_unused_result));

/* Frees what an identity holds; accepts a zeroed one. */
void auth_identity_clear(struct identity *who);

/*
 * What the user database says of a user (name, groups, hence the
 * administrator and auditor roles) is kept for AUTH_CACHE_SECONDS, so that
 * a request does not read /etc/passwd and /etc/group again (or ask NSS
 * services).  A change of groups takes effect within that time, or at
 * once on SIGHUP, which calls this.
 */
#define AUTH_CACHE_SECONDS 30
void auth_cache_flush(void);

/* The most privileged role name of who: "administrator", "auditor",
 * "officer" or "staff". */
const char *auth_role_name(const struct identity *who);

#endif
