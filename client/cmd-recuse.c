/*
 * mandate recuse ID [--reason F]: an officer declares a conflict and drops
 * their copy of the case key.  When they are its last holder, the case is
 * first referred (keeping access, so the recusal can follow) to the
 * recusal alternate unit of the routing rules, then dropped: no case is
 * ever left with no copy.  The reason is an internal note encrypted here.
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
#include "refer.h"
#include "xmalloc.h"

enum {
	RECUSE_OPT_REASON = CMD_OPT_LOCAL,
	RECUSE_OPT_KEY,
	RECUSE_OPT_PASSPHRASE_FD,
};

struct recuse_args {
	const char *reason, *key, *passfd;
	char id[MANDATE_CASE_ID_LEN + 1];
};

static int
recuse_options(
    struct cmd_env *env, int argc, char **argv, struct recuse_args *a)
{
	static const struct option opts[] = {
	    {"reason", required_argument, NULL, RECUSE_OPT_REASON},
	    {"key", required_argument, NULL, RECUSE_OPT_KEY},
	    {"passphrase-fd", required_argument, NULL,
	        RECUSE_OPT_PASSPHRASE_FD},
	    CMD_LONGOPTS, {NULL, 0, NULL, 0}};
	const char **slot[] = {&a->reason, &a->key, &a->passfd};
	int ch, rc;

	while (
	    (ch = getopt_long(argc, argv, CMD_SHORTOPTS, opts, NULL)) != -1) {
		if (ch >= RECUSE_OPT_REASON && ch <= RECUSE_OPT_PASSPHRASE_FD)
			*slot[ch - RECUSE_OPT_REASON] = optarg;
		else if ((rc = cmd_option(env, ch, argv)) != CMD_CONTINUE)
			return rc;
	}
	if ((rc = cmd_operands(env, argc - optind, 1, 1)) != CMD_CONTINUE)
		return rc;
	return cmd_case_id(a->id, sizeof a->id, argv[optind]);
}

/* With the case key open: the referral to the alternate when needed, and
 * the sealed reason.  0 with *note (may stay NULL), or an exit status. */
static int
recuse_prepare(struct cmd_env *env, const struct recuse_args *a,
    const char *alternate, json_t **note, char **referred)
{
	struct officer_case oc = {0};
	json_t *reply = NULL;
	char *text = NULL, *cause = NULL;
	size_t len = 0;
	int rc;

	if ((rc = officer_open(env, a->id, a->key, a->passfd, &oc)) != 0)
		return rc;
	if (a->reason != NULL) {
		rc = casethread_read_text(
		    a->reason, "reason", &text, &len, &cause);
		if (rc != 0)
			rc = cmd_fail(rc, cause);
		else
			*note =
			    casethread_seal_note(a->id, oc.casekey, text, len);
		casethread_text_free(text, len);
	}
	if (rc == 0 && alternate != NULL) {
		rc = refer_send(
		    env, a->id, oc.casekey, alternate, 1, NULL, &reply);
		json_decref(reply);
		if (rc == 0)
			*referred = xstrdup(alternate);
	}
	officer_close(&oc);
	return rc;
}

/* The unit to refer to first (NULL: not the last holder), from the
 * metadata.  0, or an exit status. */
static int
recuse_alternate(struct cmd_env *env, const char *id, char **alternate)
{
	char *path = xasprintf("/v1/cases/%s", id);
	json_t *meta = NULL, *alt;
	int rc = cmd_request(env, "GET", path, NULL, &meta);

	free(path);
	*alternate = NULL;
	if (rc != 0)
		return rc;
	alt = json_object_get(meta, "recusal_alternate");
	if (json_is_true(json_object_get(meta, "last_holder"))) {
		if (!json_is_string(alt))
			rc = cmd_fail(EX_UNAVAILABLE,
			    xasprintf("you are the last holder of %s and its "
			              "unit has no recusal alternate: refer "
			              "it first (mandate refer)",
			        id));
		else
			*alternate = xstrdup(json_string_value(alt));
	}
	json_decref(meta);
	return rc;
}

static int
recuse_exec(struct cmd_env *env, int argc, char **argv)
{
	struct recuse_args a = {0};
	json_t *note = NULL, *body, *reply = NULL;
	char *alternate = NULL, *referred = NULL, *path;
	int rc;

	if ((rc = recuse_options(env, argc, argv, &a)) != CMD_CONTINUE)
		return rc;
	if ((rc = recuse_alternate(env, a.id, &alternate)) != 0)
		return rc;
	if ((alternate != NULL || a.reason != NULL) &&
	    (rc = recuse_prepare(env, &a, alternate, &note, &referred)) != 0)
		goto out;
	body = json_object();
	if (note != NULL)
		json_object_set(body, "note", note);
	path = xasprintf("/v1/cases/%s/recuse", a.id);
	rc = cmd_request(env, "POST", path, body, &reply);
	free(path);
	json_decref(body);
	if (rc != 0)
		goto out;
	if (env->json) {
		json_object_set_new(reply, "referred_to",
		    referred ? json_string(referred) : json_null());
		rc = out_json(reply);
	} else {
		if (referred != NULL)
			printf("Case %s is referred to %s.\n", a.id, referred);
		printf("You are recused from case %s: your copy of its key "
		       "is deleted.\n",
		    a.id);
		rc = out_flush();
	}
out:
	json_decref(reply);
	json_decref(note);
	free(alternate);
	free(referred);
	return rc;
}

const struct cmd cmd_recuse = {
    .name = "recuse",
    .summary = "Declare a conflict and drop your copy of a case's key",
    .usage = "ID [--reason F] [--key FILE] [--passphrase-fd N]",
    .help = "Options:\n"
            "  --reason F            why, from file F (- for standard "
            "input), kept as an\n"
            "                        internal note encrypted on this "
            "machine\n"
            "  --key FILE            your key file (for a reason, or when "
            "you are the\n"
            "                        last holder)\n"
            "  --passphrase-fd N     read the passphrase from descriptor "
            "N\n"
            "\n"
            "When you are the last officer holding the case, it is first "
            "referred to the\n"
            "recusal alternate unit of the routing rules, then your copy "
            "goes.\n",
    .exec = recuse_exec,
};
