/*
 * Following a case with its receipt: what status, reply, add, consent and
 * submit --attach share.  The receipt proves itself to the daemon with
 * the header of receipt_header() on every request of the command; the
 * case key comes back sealed to the receipt and is opened here.
 *
 * Functions return 0, or an exit status after printing the error.
 */
#ifndef MANDATE_CLIENT_FOLLOW_H
#define MANDATE_CLIENT_FOLLOW_H

#include <jansson.h>
#include <stddef.h>

#include "mandate/api.h"
#include "receipt.h"

struct cmd_env;

struct follow {
	struct receipt receipt;
	char *header;           /* the X-Mandate-Receipt line, wiped */
	int from_stdin;         /* the receipt was the first line of stdin */
	json_t *view;           /* GET /v1/receipt, thread decrypted */
	unsigned char *casekey; /* crypt_key_new() */
	char case_id[MANDATE_CASE_ID_LEN + 1];
	int mark_seen; /* status: the new messages count as read now */
};

/* getopt_long entry and help line for --receipt-fd. */
#define FOLLOW_OPT_RECEIPT_FD 0x300
#define FOLLOW_LONGOPT                                                       \
	{                                                                    \
		"receipt-fd", required_argument, NULL, FOLLOW_OPT_RECEIPT_FD \
	}
#define FOLLOW_HELP                                                          \
	"  --receipt-fd N        read the receipt from file descriptor N "   \
	"(MANDATE_RECEIPT_FD);\n"                                            \
	"                        without it, from the terminal, else the "   \
	"first line\n"                                                       \
	"                        of standard input; never from the command " \
	"line\n"

/*
 * Reads the receipt from where fdarg, MANDATE_RECEIPT_FD, the terminal or
 * standard input say (receipt_source()) into *f (zeroed by the caller),
 * and makes every later request of env carry its proof.
 */
int follow_read(struct cmd_env *env, const char *fdarg, struct follow *f)
    __attribute__((warn_unused_result));

/* Makes every later request of env carry the proof of f->receipt, which
 * the caller has filled (receipt_new()). */
void follow_prove(struct cmd_env *env, struct follow *f);

/*
 * GET /v1/receipt: the case as its submitter sees it, into f->view, with
 * the case key opened into f->casekey and the thread decrypted.  Marks
 * the officers' messages as seen.
 */
int follow_fetch(struct cmd_env *env, struct follow *f)
    __attribute__((warn_unused_result));

/*
 * After follow_fetch() for a command other than status: says on stderr
 * how many officers' messages were new, since fetching the case marked
 * them seen.
 */
void follow_note_new(const struct follow *f);

/*
 * Uploads files[0..n) to the case (after follow_fetch()), appending each
 * one's {"id", "name", "type", "size"} to done and, unless env->json,
 * printing a line for it.  Stops at the first failure and returns its
 * status with *failed set to its index.
 */
int follow_upload(struct cmd_env *env, struct follow *f, char *const *files,
    size_t n, json_t *done, size_t *failed) __attribute__((warn_unused_result));

/* Wipes and frees everything of *f and stops env sending the proof. */
void follow_end(struct cmd_env *env, struct follow *f);

#endif
