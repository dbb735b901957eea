/*
 * mandate refer ID --to UNIT [--reason F] [--keep]: an officer refers a
 * case to another unit.  The case key is opened here and sealed to each
 * officer of that unit; the reason travels as an internal note encrypted
 * under the case key.  Without --keep, this unit's officers lose access.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "casethread.h"
#include "cmd.h"
#include "mandate/api.h"
#include "officer.h"
#include "out.h"
#include "refer.h"
#include "xmalloc.h"

enum {
	REFER_OPT_TO = CMD_OPT_LOCAL,
	REFER_OPT_REASON,
	REFER_OPT_KEY,
	REFER_OPT_PASSPHRASE_FD,
	REFER_OPT_KEEP,
};

struct refer_args {
	const char *to, *reason, *key, *passfd;
	int keep;
	char id[MANDATE_CASE_ID_LEN + 1];
};

static int
refer_options(struct cmd_env *env, int argc, char **argv, struct refer_args *a)
{
	static const struct option opts[] = {
	    {"to", required_argument, NULL, REFER_OPT_TO},
	    {"reason", required_argument, NULL, REFER_OPT_REASON},
	    {"key", required_argument, NULL, REFER_OPT_KEY},
	    {"passphrase-fd", required_argument, NULL, REFER_OPT_PASSPHRASE_FD},
	    {"keep", no_argument, NULL, REFER_OPT_KEEP}, CMD_LONGOPTS,
	    {NULL, 0, NULL, 0}};
	const char **slot[] = {&a->to, &a->reason, &a->key, &a->passfd};
	int ch, rc;

	while (
	    (ch = getopt_long(argc, argv, CMD_SHORTOPTS, opts, NULL)) != -1) {
		if (ch >= REFER_OPT_TO && ch <= REFER_OPT_PASSPHRASE_FD)
			*slot[ch - REFER_OPT_TO] = optarg;
		else if (ch == REFER_OPT_KEEP)
			a->keep = 1;
		else if ((rc = cmd_option(env, ch, argv)) != CMD_CONTINUE)
			return rc;
	}
	if ((rc = cmd_operands(env, argc - optind, 1, 1)) != CMD_CONTINUE)
		return rc;
	if (a->to == NULL)
		return cmd_usage_error(env, "--to UNIT is needed");
	return cmd_case_id(a->id, sizeof a->id, argv[optind]);
}

static int
refer_exec(struct cmd_env *env, int argc, char **argv)
{
	struct refer_args a = {0};
	struct officer_case oc = {0};
	json_t *note = NULL, *reply = NULL;
	char *text = NULL, *cause = NULL;
	size_t len = 0;
	int rc;

	if ((rc = refer_options(env, argc, argv, &a)) != CMD_CONTINUE)
		return rc;
	if ((rc = officer_open(env, a.id, a.key, a.passfd, &oc)) != 0)
		return rc;
	if (a.reason != NULL) {
		rc = casethread_read_text(
		    a.reason, "reason", &text, &len, &cause);
		if (rc != 0) {
			officer_close(&oc);
			return cmd_fail(rc, cause);
		}
		note = casethread_seal_note(a.id, oc.casekey, text, len);
		casethread_text_free(text, len);
	}
	rc = refer_send(env, a.id, oc.casekey, a.to, a.keep, note, &reply);
	officer_close(&oc);
	json_decref(note);
	if (rc != 0)
		return rc;
	if (env->json)
		rc = out_json(reply);
	else {
		printf("Case %s is referred to %s%s.\n", a.id, a.to,
		    a.keep ? " (this unit keeps access)" : "");
		rc = out_flush();
	}
	json_decref(reply);
	return rc;
}

const struct cmd cmd_refer = {
    .name = "refer",
    .summary = "Refer a case to another unit",
    .usage = "ID --to UNIT [--reason F] [--keep] [--key FILE] "
             "[--passphrase-fd N]",
    .help = "Options:\n"
            "  --to UNIT             the unit that receives the case\n"
            "  --reason F            why, from file F (- for standard "
            "input), kept as an\n"
            "                        internal note encrypted on this "
            "machine\n"
            "  --keep                this unit's officers keep their "
            "copies of the case key\n"
            "  --key FILE            your key file\n"
            "  --passphrase-fd N     read the passphrase from descriptor "
            "N\n"
            "\n"
            "The case key is sealed here to every officer of UNIT.  A "
            "referral out of a\n"
            "unit with referral_needs_consent (the Ombudsperson) needs "
            "the submitter's\n"
            "consent first: mandate message ID --ask-consent refer "
            "--unit UNIT.\n",
    .exec = refer_exec,
};
