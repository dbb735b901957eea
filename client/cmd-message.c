/*
 * mandate message ID: an officer holding a key copy writes to the
 * submitter of a case, or asks their consent (to refer the case, to reveal
 * their identity to another unit).  The text comes from a file or standard
 * input, never argv, and is encrypted here under the case key.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "casethread.h"
#include "cmd.h"
#include "mandate/api.h"
#include "officer.h"
#include "out.h"
#include "xmalloc.h"

enum {
	MESSAGE_OPT_FILE = CMD_OPT_LOCAL,
	MESSAGE_OPT_ASK_CONSENT,
	MESSAGE_OPT_UNIT,
	MESSAGE_OPT_KEY,
	MESSAGE_OPT_PASSPHRASE_FD,
};

struct message_args {
	const char *file, *purpose, *unit, *key, *passfd;
	char id[MANDATE_CASE_ID_LEN + 1];
};

static int
message_options(
    struct cmd_env *env, int argc, char **argv, struct message_args *a)
{
	static const struct option opts[] = {
	    {"file", required_argument, NULL, MESSAGE_OPT_FILE},
	    {"ask-consent", required_argument, NULL, MESSAGE_OPT_ASK_CONSENT},
	    {"unit", required_argument, NULL, MESSAGE_OPT_UNIT},
	    {"key", required_argument, NULL, MESSAGE_OPT_KEY},
	    {"passphrase-fd", required_argument, NULL,
	        MESSAGE_OPT_PASSPHRASE_FD},
	    CMD_LONGOPTS, {NULL, 0, NULL, 0}};
	const char **slot[] = {
	    &a->file, &a->purpose, &a->unit, &a->key, &a->passfd};
	int ch, rc;

	while (
	    (ch = getopt_long(argc, argv, CMD_SHORTOPTS, opts, NULL)) != -1) {
		if (ch >= MESSAGE_OPT_FILE && ch <= MESSAGE_OPT_PASSPHRASE_FD)
			*slot[ch - MESSAGE_OPT_FILE] = optarg;
		else if ((rc = cmd_option(env, ch, argv)) != CMD_CONTINUE)
			return rc;
	}
	if ((rc = cmd_operands(env, argc - optind, 1, 1)) != CMD_CONTINUE)
		return rc;
	if (a->purpose != NULL && strcmp(a->purpose, "refer") != 0 &&
	    strcmp(a->purpose, "reveal-identity") != 0)
		return cmd_usage_error(
		    env, "--ask-consent takes refer or reveal-identity");
	if (a->unit != NULL && a->purpose == NULL)
		return cmd_usage_error(env, "--unit goes with --ask-consent");
	return cmd_case_id(a->id, sizeof a->id, argv[optind]);
}

static void
message_print(const struct message_args *a, const json_t *reply)
{
	if (a->purpose == NULL) {
		printf("Message sent to the submitter of case %s.\n", a->id);
		return;
	}
	printf("Request for consent (%s) sent to the submitter of case %s.\n"
	       "Request id: ",
	    a->purpose, a->id);
	out_text(stdout, out_str(reply, "id"), 0);
	printf("\nThe answer will show in mandate show %s.\n", a->id);
}

static int
message_exec(struct cmd_env *env, int argc, char **argv)
{
	struct message_args a = {0};
	struct casethread_message m = {.kind = "message"};
	struct officer_case oc = {0};
	json_t *reply = NULL;
	char *text = NULL, *cause = NULL, *path = NULL;
	size_t len = 0;
	int rc;

	if ((rc = message_options(env, argc, argv, &a)) != CMD_CONTINUE)
		return rc;
	/* The passphrase first: from descriptor 0, the text follows it. */
	if ((rc = officer_open(env, a.id, a.key, a.passfd, &oc)) != 0)
		return rc;
	if ((rc = casethread_read_text(
	         a.file, "message", &text, &len, &cause)) != 0) {
		rc = cmd_fail(rc, cause);
		goto out;
	}
	if (a.purpose != NULL)
		m.kind = "consent-request";
	m.purpose = a.purpose;
	m.unit = a.unit;
	m.text = text;
	m.len = len;
	path = xasprintf("/v1/cases/%s/messages", a.id);
	if ((rc = casethread_post(env, path, a.id, oc.casekey, &m, &reply)) !=
	    0)
		goto out;
	if (env->json)
		rc = out_json(reply);
	else {
		message_print(&a, reply);
		rc = out_flush();
	}

out:
	casethread_text_free(text, len);
	officer_close(&oc);
	json_decref(reply);
	free(path);
	return rc;
}

const struct cmd cmd_message = {
    .name = "message",
    .summary = "Write to the submitter of a case, or ask their consent",
    .usage = "[--file F] [--ask-consent refer|reveal-identity [--unit U]]\n"
             "        [--key FILE] [--passphrase-fd N] ID",
    .help = "Options:\n"
            "  --file F              read the message from file F (- for "
            "standard input)\n"
            "  --ask-consent P       ask the submitter's consent: refer "
            "(the case to\n"
            "                        another unit) or reveal-identity (to "
            "another unit);\n"
            "                        the message explains why\n"
            "  --unit U              the unit the consent is about\n"
            "  --key FILE            your key file (MANDATE_KEY; default "
            "~/.config/mandate/officer.key)\n"
            "  --passphrase-fd N     read the passphrase from file "
            "descriptor N\n"
            "                        (MANDATE_PASSPHRASE_FD), not from "
            "the terminal\n"
            "\n"
            "Without --file the message is read from standard input, "
            "after the passphrase\n"
            "when that comes from descriptor 0.  It is encrypted on this "
            "machine.\n",
    .exec = message_exec,
};
