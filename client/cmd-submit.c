/*
 * mandate submit: send a case to mandated, which routes it, encrypts it for
 * the officers of the unit it goes to, and answers with the case id.  The
 * receipt that follows the case is drawn here, printed once and kept
 * nowhere; the daemon gets only what derives from it.  Attachments go up
 * afterwards, encrypted under the case key opened with the receipt.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

#include "casefiles.h"
#include "casethread.h"
#include "cmd.h"
#include "crypt.h"
#include "follow.h"
#include "input.h"
#include "out.h"
#include "receipt.h"
#include "xmalloc.h"

enum { SUBMIT_OPT_ATTACH = CMD_OPT_LOCAL };

/* What submit was given beside the case: files to attach. */
struct submit_args {
	char **files; /* borrowed argv strings */
	size_t nfiles;
};

static void
submit_print(const json_t *reply)
{
	char due[32];

	printf("Case ");
	out_text(stdout, out_str(reply, "id"), 0);
	printf(" received by ");
	out_text(stdout, out_str(reply, "unit"), 0);
	printf(" (rule ");
	out_text(stdout, out_str(reply, "rule"), 0);
	printf(")\nDue: ");
	out_text(
	    stdout, out_time(due, sizeof due, out_str(reply, "due_at")), 0);
	printf(" UTC\n");
	if (json_is_true(json_object_get(reply, "recused")))
		printf("The unit of the person concerned was passed over "
		       "(recusal).\n");
	if (json_is_true(json_object_get(reply, "urgent")))
		printf("Marked urgent.\n");
	if (json_is_true(json_object_get(reply, "replayed")))
		printf("(The daemon had it already from an earlier attempt: "
		       "one case only.)\n");
}

/*
 * The receipt, once.  It goes to the terminal with write(2), past stdio,
 * so that no buffer of ours keeps it after this.
 */
static void
submit_print_receipt(const char *receipt, int anonymous)
{
	char line[CRYPT_RECEIPT_TEXT_LEN + 8];
	size_t len, off = 0;
	ssize_t n;

	printf("\nYour receipt:\n\n");
	fflush(stdout);
	len = (size_t)snprintf(line, sizeof line, "    %s\n\n", receipt);
	while (off < len) {
		n = write(STDOUT_FILENO, line + off, len - off);
		if (n <= 0)
			break;
		off += (size_t)n;
	}
	crypt_wipe(line, sizeof line);
	printf("Write it down and keep it secret.  It is shown this once and "
	       "cannot be\n"
	       "recovered: neither mandate nor the daemon keeps it.  It is "
	       "how you follow\n"
	       "this case (mandate status, reply, add, consent), and whoever "
	       "holds it can\n"
	       "read the case and write to the officers as you.\n");
	if (anonymous)
		printf("Your case is anonymous: the receipt is the only link "
		       "between you and it.\n");
}

/* Options, then the files to attach checked before anything is sent. */
static int
submit_options(struct cmd_env *env, int argc, char **argv,
    struct input_case *in, struct submit_args *a)
{
	static const struct option opts[] = {INPUT_LONGOPTS,
	    {"attach", required_argument, NULL, SUBMIT_OPT_ATTACH},
	    CMD_LONGOPTS, {NULL, 0, NULL, 0}};
	int ch, rc;

	while (
	    (ch = getopt_long(argc, argv, CMD_SHORTOPTS, opts, NULL)) != -1) {
		if (input_option(in, ch, optarg))
			continue;
		if (ch == SUBMIT_OPT_ATTACH) {
			a->files = xrealloc(
			    a->files, (a->nfiles + 1) * sizeof *a->files);
			a->files[a->nfiles++] = optarg;
		} else if ((rc = cmd_option(env, ch, argv)) != CMD_CONTINUE)
			return rc;
	}
	if ((rc = cmd_operands(env, argc - optind, 0, 0)) != CMD_CONTINUE)
		return rc;
	for (size_t i = 0; i < a->nfiles; i++)
		if ((rc = casefiles_check(a->files[i])) != 0)
			return rc;
	return CMD_CONTINUE;
}

/*
 * Sends the case with the receipt's public half and an idempotency key:
 * a repeat after a timeout gets the first answer, not a second case.
 */
static int
submit_send(struct cmd_env *env, json_t *c, struct follow *f, char *text,
    size_t textsize, json_t **reply)
{
	char key[CASETHREAD_ID_LEN + 1], *cause = NULL;
	const char *drawn;
	int rc;

	receipt_new(&f->receipt, text, textsize);
	json_object_set_new(c, "receipt", receipt_submission_json(&f->receipt));
	casethread_new_id(key);
	rc = cmd_request_retry(env, "POST", "/v1/cases", c, key, reply);
	if (rc != 0)
		return rc;
	/* A receipt drawn by the daemon (for a client that sends none)
	 * would replace ours. */
	drawn = json_string_value(json_object_get(*reply, "receipt"));
	if (drawn != NULL) {
		receipt_clear(&f->receipt);
		snprintf(text, textsize, "%s", drawn);
		if ((rc = receipt_from_text(&f->receipt, text, &cause)) != 0)
			return cmd_fail(rc, cause);
	}
	return 0;
}

/* Attaches the files to the case just made, or says how to later. */
static int
submit_attach(struct cmd_env *env, struct follow *f,
    const struct submit_args *a, const char *id, json_t *done)
{
	size_t failed = 0;
	int rc;

	follow_prove(env, f);
	if ((rc = follow_fetch(env, f)) == 0 &&
	    (rc = follow_upload(env, f, a->files, a->nfiles, done, &failed)) ==
	        0)
		return 0;
	out_error("case %s was submitted, but %s was not attached: attach it "
	          "with mandate add --attach FILE and your receipt",
	    id, a->files[failed]);
	return rc;
}

static int
submit_exec(struct cmd_env *env, int argc, char **argv)
{
	struct input_case in = {0};
	struct submit_args a = {0};
	struct follow f = {0};
	json_t *c = NULL, *reply = NULL, *done = json_array();
	char text[CRYPT_RECEIPT_TEXT_LEN + 1] = "", *cause = NULL;
	int rc, rc2;

	if ((rc = submit_options(env, argc, argv, &in, &a)) != CMD_CONTINUE)
		goto out;
	if ((rc = input_read_case(&c, &in, &cause)) != 0) {
		rc = cmd_fail(rc, cause);
		goto out;
	}
	if ((rc = submit_send(env, c, &f, text, sizeof text, &reply)) != 0)
		goto out;
	if (!env->json) {
		submit_print(reply);
		submit_print_receipt(
		    text, json_is_true(json_object_get(c, "anonymous")));
		if ((rc = out_flush()) != 0)
			goto out;
	}
	if (a.nfiles > 0)
		rc = submit_attach(env, &f, &a, out_str(reply, "id"), done);
	if (env->json) {
		/* Printed even when an attachment failed: the receipt is
		 * shown nowhere else. */
		json_object_set_new(reply, "receipt", json_string(text));
		json_object_set(reply, "attachments", done);
		rc2 = out_json(reply);
		rc = rc != 0 ? rc : rc2;
	}

out:
	crypt_wipe(text, sizeof text);
	follow_end(env, &f);
	json_decref(c);
	json_decref(reply);
	json_decref(done);
	free(a.files);
	input_case_clear(&in);
	return rc;
}

const struct cmd cmd_submit = {
    .name = "submit",
    .summary = "Submit a case",
    .usage = INPUT_USAGE " [--attach FILE]...",
    .help = INPUT_HELP_OPTIONS
    "  --attach FILE         attach FILE, encrypted on this machine "
    "(repeat)\n" INPUT_HELP_NOTE "\n"
    "The reply carries your receipt, printed once and kept nowhere: with "
    "it you\n"
    "follow the case (mandate status, reply, add, consent).\n",
    .exec = submit_exec,
};
