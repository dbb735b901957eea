/*
 * mandate status: where a case stands, for whoever holds its receipt: its
 * unit, coarse status and dates, the thread with the officers (decrypted
 * here, new messages marked), consent requests waiting for an answer, and
 * the attachments.
 */
#include <stdio.h>
#include <sysexits.h>

#include "casethread.h"
#include "cmd.h"
#include "follow.h"
#include "out.h"

static void
status_print(const json_t *view)
{
	char received[32], due[32];
	const json_t *m;
	size_t i, fresh = 0;

	json_array_foreach(json_object_get(view, "messages"), i, m) fresh +=
	    json_is_true(json_object_get(m, "new"));
	out_field("Case", out_str(view, "id"));
	out_field("Unit", out_str(view, "unit"));
	out_field("Status", out_str(view, "status"));
	out_field("Received",
	    out_time(received, sizeof received, out_str(view, "received_at")));
	out_field("Acknowledge by",
	    out_time(due, sizeof due, out_str(view, "due_at")));
	out_field("Anonymous", out_bool(view, "anonymous"));
	if (fresh > 0)
		printf("\n%zu new message%s from the officers.\n", fresh,
		    fresh == 1 ? "" : "s");
	putchar('\n');
	casethread_print(view, CASETHREAD_SUBMITTER);
}

static int
status_exec(struct cmd_env *env, int argc, char **argv)
{
	static const struct option opts[] = {
	    FOLLOW_LONGOPT, CMD_LONGOPTS, {NULL, 0, NULL, 0}};
	const char *fdarg = NULL;
	struct follow f = {0};
	int ch, rc;

	while (
	    (ch = getopt_long(argc, argv, CMD_SHORTOPTS, opts, NULL)) != -1) {
		if (ch == FOLLOW_OPT_RECEIPT_FD)
			fdarg = optarg;
		else if ((rc = cmd_option(env, ch, argv)) != CMD_CONTINUE)
			return rc;
	}
	if ((rc = cmd_operands(env, argc - optind, 0, 0)) != CMD_CONTINUE)
		return rc;
	if ((rc = follow_read(env, fdarg, &f)) == 0 &&
	    (f.mark_seen = 1, rc = follow_fetch(env, &f)) == 0) {
		if (env->json)
			rc = out_json(f.view);
		else {
			status_print(f.view);
			rc = out_flush();
		}
	}
	follow_end(env, &f);
	return rc;
}

const struct cmd cmd_status = {
    .name = "status",
    .summary = "Follow your case with its receipt",
    .usage = "[--receipt-fd N]",
    .help = "Options:\n" FOLLOW_HELP "\n"
            "Shows the unit, the status, the dates and the messages of "
            "the case, decrypted\n"
            "on this machine; messages you have not seen are marked "
            "[new].\n",
    .exec = status_exec,
};
