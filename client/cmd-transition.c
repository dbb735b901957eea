/*
 * mandate transition ID STATE [--outcome X] [--note F]: an officer moves a
 * case along its unit's lifecycle; closing needs an outcome.  A note is
 * encrypted here under the case key, like mandate note.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "casethread.h"
#include "cmd.h"
#include "mandate/api.h"
#include "officer.h"
#include "out.h"
#include "xmalloc.h"

enum {
	TRANSITION_OPT_OUTCOME = CMD_OPT_LOCAL,
	TRANSITION_OPT_NOTE,
	TRANSITION_OPT_KEY,
	TRANSITION_OPT_PASSPHRASE_FD,
};

struct transition_args {
	const char *outcome, *note, *key, *passfd, *state;
	char id[MANDATE_CASE_ID_LEN + 1];
};

static int
transition_options(
    struct cmd_env *env, int argc, char **argv, struct transition_args *a)
{
	static const struct option opts[] = {
	    {"outcome", required_argument, NULL, TRANSITION_OPT_OUTCOME},
	    {"note", required_argument, NULL, TRANSITION_OPT_NOTE},
	    {"key", required_argument, NULL, TRANSITION_OPT_KEY},
	    {"passphrase-fd", required_argument, NULL,
	        TRANSITION_OPT_PASSPHRASE_FD},
	    CMD_LONGOPTS, {NULL, 0, NULL, 0}};
	const char **slot[] = {&a->outcome, &a->note, &a->key, &a->passfd};
	int ch, rc;

	while (
	    (ch = getopt_long(argc, argv, CMD_SHORTOPTS, opts, NULL)) != -1) {
		if (ch >= TRANSITION_OPT_OUTCOME &&
		    ch <= TRANSITION_OPT_PASSPHRASE_FD)
			*slot[ch - TRANSITION_OPT_OUTCOME] = optarg;
		else if ((rc = cmd_option(env, ch, argv)) != CMD_CONTINUE)
			return rc;
	}
	if ((rc = cmd_operands(env, argc - optind, 2, 2)) != CMD_CONTINUE)
		return rc;
	a->state = argv[optind + 1];
	return cmd_case_id(a->id, sizeof a->id, argv[optind]);
}

/* The note, sealed under the case key: 0 with *note, or an exit status. */
static int
transition_note(
    struct cmd_env *env, const struct transition_args *a, json_t **note)
{
	struct officer_case oc = {0};
	char *text = NULL, *cause = NULL;
	size_t len = 0;
	int rc;

	if ((rc = officer_open(env, a->id, a->key, a->passfd, &oc)) != 0)
		return rc;
	rc = casethread_read_text(a->note, "note", &text, &len, &cause);
	if (rc != 0)
		rc = cmd_fail(rc, cause);
	else
		*note = casethread_seal_note(a->id, oc.casekey, text, len);
	casethread_text_free(text, len);
	officer_close(&oc);
	return rc;
}

static int
transition_exec(struct cmd_env *env, int argc, char **argv)
{
	struct transition_args a = {0};
	json_t *body, *note = NULL, *reply = NULL;
	char *path;
	int rc;

	if ((rc = transition_options(env, argc, argv, &a)) != CMD_CONTINUE)
		return rc;
	if (a.note != NULL && (rc = transition_note(env, &a, &note)) != 0)
		return rc;
	body = json_pack("{s:s}", "to", a.state);
	if (a.outcome != NULL)
		json_object_set_new(body, "outcome", json_string(a.outcome));
	if (note != NULL)
		json_object_set_new(body, "note", note);
	path = xasprintf("/v1/cases/%s/transition", a.id);
	rc = cmd_request(env, "POST", path, body, &reply);
	free(path);
	json_decref(body);
	if (rc != 0)
		return rc;
	if (env->json)
		rc = out_json(reply);
	else {
		printf("Case %s is now %s", a.id, a.state);
		if (a.outcome != NULL)
			printf(" (%s)", a.outcome);
		printf(".\n");
		rc = out_flush();
	}
	json_decref(reply);
	return rc;
}

const struct cmd cmd_transition = {
    .name = "transition",
    .summary = "Move a case to the next state of its unit's lifecycle",
    .usage = "ID STATE [--outcome X] [--note F] [--key FILE] "
             "[--passphrase-fd N]",
    .help = "Options:\n"
            "  --outcome X           the outcome, needed to close a case "
            "(mandate units --json)\n"
            "  --note F              an internal note from file F (- for "
            "standard input),\n"
            "                        encrypted on this machine\n"
            "  --key FILE            your key file, for a note\n"
            "  --passphrase-fd N     read the passphrase from descriptor "
            "N\n"
            "\n"
            "A state the lifecycle does not allow is refused with the "
            "states that are.\n",
    .exec = transition_exec,
};
