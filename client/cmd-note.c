/*
 * mandate note ID: an officer adds an internal note to a case, encrypted
 * here under the case key; notes are never shown to the submitter.
 */
#include <stdio.h>
#include <stdlib.h>

#include "casethread.h"
#include "cmd.h"
#include "mandate/api.h"
#include "officer.h"
#include "out.h"
#include "xmalloc.h"

enum {
	NOTE_OPT_FILE = CMD_OPT_LOCAL,
	NOTE_OPT_KEY,
	NOTE_OPT_PASSPHRASE_FD,
};

static int
note_exec(struct cmd_env *env, int argc, char **argv)
{
	static const struct option opts[] = {
	    {"file", required_argument, NULL, NOTE_OPT_FILE},
	    {"key", required_argument, NULL, NOTE_OPT_KEY},
	    {"passphrase-fd", required_argument, NULL, NOTE_OPT_PASSPHRASE_FD},
	    CMD_LONGOPTS, {NULL, 0, NULL, 0}};
	const char *args[3] = {NULL, NULL, NULL}; /* file, key, passfd */
	char id[MANDATE_CASE_ID_LEN + 1], *path, *text = NULL, *cause = NULL;
	struct officer_case oc = {0};
	json_t *body = NULL, *reply = NULL;
	size_t len = 0;
	int ch, rc;

	while (
	    (ch = getopt_long(argc, argv, CMD_SHORTOPTS, opts, NULL)) != -1) {
		if (ch >= NOTE_OPT_FILE && ch <= NOTE_OPT_PASSPHRASE_FD)
			args[ch - NOTE_OPT_FILE] = optarg;
		else if ((rc = cmd_option(env, ch, argv)) != CMD_CONTINUE)
			return rc;
	}
	if ((rc = cmd_operands(env, argc - optind, 1, 1)) != CMD_CONTINUE ||
	    (rc = cmd_case_id(id, sizeof id, argv[optind])) != CMD_CONTINUE)
		return rc;
	if ((rc = officer_open(env, id, args[1], args[2], &oc)) != 0)
		return rc;
	if ((rc = casethread_read_text(args[0], "note", &text, &len, &cause)) !=
	    0) {
		rc = cmd_fail(rc, cause);
		goto out;
	}
	body = casethread_seal_note(id, oc.casekey, text, len);
	path = xasprintf("/v1/cases/%s/notes", id);
	rc = cmd_request_retry(env, "POST", path, body, NULL, &reply);
	free(path);
	if (rc != 0)
		goto out;
	if (env->json)
		rc = out_json(reply);
	else {
		printf("Note added to case %s.\n", id);
		rc = out_flush();
	}
out:
	casethread_text_free(text, len);
	officer_close(&oc);
	json_decref(body);
	json_decref(reply);
	return rc;
}

const struct cmd cmd_note = {
    .name = "note",
    .summary = "Add an internal note to a case (never shown to the "
               "submitter)",
    .usage = "ID [--file F] [--key FILE] [--passphrase-fd N]",
    .help = "Options:\n"
            "  --file F              read the note from file F (- for "
            "standard input)\n"
            "  --key FILE            your key file\n"
            "  --passphrase-fd N     read the passphrase from descriptor "
            "N\n",
    .exec = note_exec,
};
