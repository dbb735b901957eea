/*
 * A referral as an officer's client makes it: the case key, opened on this
 * machine, sealed to every officer of the target unit, and sent with the
 * referral.  Shared by mandate refer and mandate recuse (which refers a
 * case to the recusal alternate before its last holder drops it).
 */
#ifndef MANDATE_CLIENT_REFER_H
#define MANDATE_CLIENT_REFER_H

#include <jansson.h>

struct cmd_env;

/*
 * Fetches the officers of unit to, seals casekey to each, and posts the
 * referral of case id with keep and note (NULL for none; borrowed).
 * Returns 0 with *reply (the case's new metadata), or an exit status
 * after printing the error.
 */
int refer_send(struct cmd_env *env, const char *id,
    const unsigned char *casekey, const char *to, int keep, json_t *note,
    json_t **reply) __attribute__((warn_unused_result));

#endif
