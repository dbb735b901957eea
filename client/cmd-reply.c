/*
 * mandate reply: the holder of a receipt writes to the officers of the
 * case.  The text comes from a file or standard input, never argv, and is
 * encrypted here under the case key.
 */
#include <stdio.h>
#include <stdlib.h>
#include <sysexits.h>

#include "casethread.h"
#include "cmd.h"
#include "follow.h"
#include "out.h"

enum { REPLY_OPT_FILE = CMD_OPT_LOCAL };

/*
 * Reads the receipt, then the text (the rest of standard input when the
 * receipt was its first line), opens the case and posts the message.
 */
static int
reply_send(struct cmd_env *env, const char *fdarg, const char *file)
{
	struct casethread_message m = {.kind = "message"};
	struct follow f = {0};
	json_t *reply = NULL;
	char *text = NULL, *cause = NULL;
	size_t len = 0;
	int rc;

	if ((rc = follow_read(env, fdarg, &f)) != 0)
		goto out;
	if ((rc = casethread_read_text(file, "message", &text, &len, &cause)) !=
	    0) {
		rc = cmd_fail(rc, cause);
		goto out;
	}
	if ((rc = follow_fetch(env, &f)) != 0)
		goto out;
	follow_note_new(&f);
	m.text = text;
	m.len = len;
	rc = casethread_post(
	    env, "/v1/receipt/messages", f.case_id, f.casekey, &m, &reply);
	if (rc == 0 && env->json)
		rc = out_json(reply);
	else if (rc == 0) {
		printf("Message sent to the officers of case %s.\n", f.case_id);
		rc = out_flush();
	}

out:
	casethread_text_free(text, len);
	json_decref(reply);
	follow_end(env, &f);
	return rc;
}

static int
reply_exec(struct cmd_env *env, int argc, char **argv)
{
	static const struct option opts[] = {
	    {"file", required_argument, NULL, REPLY_OPT_FILE}, FOLLOW_LONGOPT,
	    CMD_LONGOPTS, {NULL, 0, NULL, 0}};
	const char *fdarg = NULL, *file = NULL;
	int ch, rc;

	while (
	    (ch = getopt_long(argc, argv, CMD_SHORTOPTS, opts, NULL)) != -1) {
		if (ch == REPLY_OPT_FILE)
			file = optarg;
		else if (ch == FOLLOW_OPT_RECEIPT_FD)
			fdarg = optarg;
		else if ((rc = cmd_option(env, ch, argv)) != CMD_CONTINUE)
			return rc;
	}
	if ((rc = cmd_operands(env, argc - optind, 0, 0)) != CMD_CONTINUE)
		return rc;
	return reply_send(env, fdarg, file);
}

const struct cmd cmd_reply = {
    .name = "reply",
    .summary = "Write to the officers of your case, with its receipt",
    .usage = "[--file F] [--receipt-fd N]",
    .help = "Options:\n"
            "  --file F              read the message from file F (- for "
            "standard input)\n" FOLLOW_HELP "\n"
            "Without --file the message is read from standard input: "
            "after the receipt\n"
            "when the receipt is its first line.  It is encrypted on this "
            "machine.\n",
    .exec = reply_exec,
};
