/*
 * An officer's access to a case, shared by show and message: the key
 * file, the passphrase that unlocks it, and the officer's sealed copy of
 * the case key, opened on the officer's machine.  The secret key is wiped
 * as soon as the case key is open.
 *
 * Functions return 0, or an exit status after printing the error.
 */
#ifndef MANDATE_CLIENT_OFFICER_H
#define MANDATE_CLIENT_OFFICER_H

#include <jansson.h>

#include "keyfile.h"

struct cmd_env;

/* Asks the passphrase (from passfd, or the terminal when it is -1) and
 * unwraps the secret key of kf into *sk (crypt_key_new()). */
int officer_unlock(const struct keyfile *kf, const char *keypath, int passfd,
    unsigned char **sk) __attribute__((warn_unused_result));

/* Opens the sealed copy of the case key of a content reply into *casekey
 * (crypt_key_new()), after checking it is sealed to kf's key. */
int officer_open_key(const json_t *content, const struct keyfile *kf,
    const unsigned char *sk, unsigned char **casekey)
    __attribute__((warn_unused_result));

/* A case as an officer holds it. */
struct officer_case {
	json_t *meta;           /* GET /v1/cases/ID */
	json_t *content;        /* GET /v1/cases/ID/content */
	unsigned char *casekey; /* crypt_key_new() */
};

/*
 * Opens case id (valid, upper-case) with the key file keyopt (NULL: the
 * default one) and the passphrase from descriptor fdopt (NULL:
 * MANDATE_PASSPHRASE_FD or the terminal): the metadata first, so that a
 * case out of reach is refused before the passphrase is asked, then the
 * content and the case key.  Release *oc with officer_close().
 */
int officer_open(struct cmd_env *env, const char *id, const char *keyopt,
    const char *fdopt, struct officer_case *oc)
    __attribute__((warn_unused_result));

/* Releases what officer_open() filled; accepts a zeroed struct. */
void officer_close(struct officer_case *oc);

#endif
