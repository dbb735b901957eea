/*
 * Following a case with its receipt: the client proves the receipt with
 * the header "X-Mandate-Receipt: <lookup>.<authenticator>" (both base64,
 * both derived from the receipt by crypt_receipt_derive()), never the
 * receipt itself.  Checks take the same time whether the receipt is right
 * or wrong, and failures are rate-limited per peer.
 */
#ifndef MANDATE_RECEIPT_H
#define MANDATE_RECEIPT_H

#include "routes.h"

/*
 * Authenticates req->receipt.  Returns 1 with req->rcase and req->rsub
 * filled (the caller frees both), or 0 with res filled with the refusal
 * (bad_receipt, too_many_requests or internal).
 */
int receipt_check(struct request *req, struct response *res)
    __attribute__((warn_unused_result));

/* The submitter's view of a unit's status: "received", "in assessment",
 * "referred" or "closed". */
const char *receipt_coarse_status(const char *status);

#endif
