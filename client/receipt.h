/*
 * The submitter's receipt on the client.  A receipt is drawn here at
 * submission, printed once and never stored; everything the daemon gets is
 * derived from it (crypt_receipt_derive): at submission the lookup hash,
 * the verifier (the hash of the authenticator) and the public key; when
 * following the case, the proof "X-Mandate-Receipt: <lookup>.<auth>".  The
 * derived secret key opens the case key sealed to the receipt.
 *
 * A receipt is read from a descriptor (--receipt-fd N,
 * MANDATE_RECEIPT_FD), else from the terminal without echo, else from the
 * first line of standard input: never from argv.
 *
 * Functions that can fail return 0, or a sysexits(3) status with *cause
 * set (caller frees; NULL on entry).
 */
#ifndef MANDATE_CLIENT_RECEIPT_H
#define MANDATE_CLIENT_RECEIPT_H

#include <jansson.h>
#include <stddef.h>

#include "crypt.h"

/* Where receipt_read() takes the receipt from. */
#define RECEIPT_FROM_TTY (-1)

struct receipt {
	unsigned char lookup[CRYPT_HASH_LEN];
	unsigned char auth[CRYPT_HASH_LEN]; /* secret: proves the receipt */
	unsigned char pk[CRYPT_PK_LEN];
	unsigned char *sk; /* crypt_key_new(): opens the sealed case key */
};

/*
 * Draws a fresh receipt: its text form into text (room for
 * CRYPT_RECEIPT_TEXT_LEN + 1 bytes) and what derives from it into *r.
 * The caller wipes text after printing it and releases *r with
 * receipt_clear().
 */
void receipt_new(struct receipt *r, char *text, size_t textsize);

/*
 * Derives *r from a receipt typed by a person (case, spaces and dashes do
 * not matter).  EX_DATAERR when the text is not a receipt.
 */
int receipt_from_text(struct receipt *r, const char *text, char **cause)
    __attribute__((warn_unused_result));

/*
 * Where to read the receipt from: the descriptor arg (a --receipt-fd
 * value) when not NULL, else $MANDATE_RECEIPT_FD when set, else the
 * terminal (RECEIPT_FROM_TTY) when there is one, else standard input
 * (*from_stdin is then set).  EX_USAGE when the value is not a
 * descriptor number.
 */
int receipt_source(const char *arg, int *fd, int *from_stdin, char **cause)
    __attribute__((warn_unused_result));

/*
 * Reads one line from fd (or, for RECEIPT_FROM_TTY, from /dev/tty after
 * the prompt "Receipt: ", without echo) and derives *r from it.  Nothing
 * past the newline is consumed.  The text is wiped.
 */
int receipt_read(struct receipt *r, int fd, char **cause)
    __attribute__((warn_unused_result));

/* The header line "X-Mandate-Receipt: <b64 lookup>.<b64 auth>", malloc'd:
 * the caller wipes and frees it. */
char *receipt_header(const struct receipt *r);

/* {"lookup", "verifier", "public_key"} for the submission (new reference). */
json_t *receipt_submission_json(const struct receipt *r);

/*
 * Opens the case key sealed to the receipt (base64 sealed_b64) into
 * *casekey (crypt_key_new(); the caller frees it with crypt_key_free()).
 * EX_PROTOCOL when sealed_b64 is not a sealed key, EX_DATAERR when it is
 * not sealed to this receipt.
 */
int receipt_open_key(const struct receipt *r, const char *sealed_b64,
    unsigned char **casekey, char **cause) __attribute__((warn_unused_result));

/* Wipes *r and frees its secret key; accepts a zeroed struct. */
void receipt_clear(struct receipt *r);

#endif
