/*
 * mandate consent REQUEST-ID yes|no: the holder of a receipt answers an
 * officer's request for consent (to refer the case, to reveal their
 * identity to another unit).  The answer is recorded once and for all.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <sysexits.h>

#include "casethread.h"
#include "cmd.h"
#include "follow.h"
#include "mandate/errors.h"
#include "out.h"

/* Copies a request id, lower-cased, into out; 0, or -1 when malformed. */
static int
consent_request_id(char *out, const char *arg)
{
	size_t i;

	for (i = 0; arg[i] != '\0' && i < CASETHREAD_ID_LEN; i++) {
		out[i] = (char)tolower((unsigned char)arg[i]);
		if (!isxdigit((unsigned char)out[i]))
			return -1;
	}
	out[i] = '\0';
	return arg[i] == '\0' && i == CASETHREAD_ID_LEN ? 0 : -1;
}

static int
consent_send(struct cmd_env *env, const char *fdarg, const char *request,
    const char *answer)
{
	struct follow f = {0};
	json_t *body, *reply = NULL;
	int rc;

	body = json_pack("{s:s, s:s}", "request", request, "answer", answer);
	/* Not repeated on a timeout: a second answer is refused as a
	 * conflict, and status shows whether the first one arrived. */
	if ((rc = follow_read(env, fdarg, &f)) == 0 &&
	    (rc = cmd_request(
	         env, "POST", "/v1/receipt/consents", body, &reply)) == 0) {
		if (env->json)
			rc = out_json(reply);
		else {
			printf("Your answer to request %s is recorded: %s.\n",
			    request, answer);
			rc = out_flush();
		}
	}
	json_decref(body);
	json_decref(reply);
	follow_end(env, &f);
	return rc;
}

static int
consent_exec(struct cmd_env *env, int argc, char **argv)
{
	static const struct option opts[] = {
	    FOLLOW_LONGOPT, CMD_LONGOPTS, {NULL, 0, NULL, 0}};
	const char *fdarg = NULL, *answer;
	char request[CASETHREAD_ID_LEN + 1];
	int ch, rc;

	while (
	    (ch = getopt_long(argc, argv, CMD_SHORTOPTS, opts, NULL)) != -1) {
		if (ch == FOLLOW_OPT_RECEIPT_FD)
			fdarg = optarg;
		else if ((rc = cmd_option(env, ch, argv)) != CMD_CONTINUE)
			return rc;
	}
	if ((rc = cmd_operands(env, argc - optind, 2, 2)) != CMD_CONTINUE)
		return rc;
	if (consent_request_id(request, argv[optind]) != 0) {
		out_error_field("not a request id: mandate status shows them "
		                "(32 hexadecimal digits)",
		    "request");
		return mandate_error_get(MANDATE_ERR_BAD_FIELD)->exit_status;
	}
	answer = argv[optind + 1];
	if (strcmp(answer, "yes") != 0 && strcmp(answer, "no") != 0)
		return cmd_usage_error(env, "the answer is yes or no");
	return consent_send(env, fdarg, request, answer);
}

const struct cmd cmd_consent = {
    .name = "consent",
    .summary = "Answer an officer's request for consent, with your receipt",
    .usage = "[--receipt-fd N] REQUEST-ID yes|no",
    .help = "Options:\n" FOLLOW_HELP "\n"
            "REQUEST-ID is shown by mandate status.  An answer is final: "
            "it cannot be\n"
            "changed afterwards.\n",
    .exec = consent_exec,
};
