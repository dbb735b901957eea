/*
 * mandate add: the holder of a receipt adds to the case: more of the
 * narrative (from a file or standard input, never argv) and/or files, all
 * encrypted here under the case key.
 */
#include <stdio.h>
#include <stdlib.h>
#include <sysexits.h>

#include "casefiles.h"
#include "casethread.h"
#include "cmd.h"
#include "follow.h"
#include "out.h"
#include "xmalloc.h"

enum { ADD_OPT_FILE = CMD_OPT_LOCAL, ADD_OPT_ATTACH };

struct add_args {
	const char *fdarg; /* --receipt-fd */
	const char *file;  /* --file, or NULL */
	char **files;      /* --attach, borrowed argv strings */
	size_t nfiles;
};

static int
add_options(struct cmd_env *env, int argc, char **argv, struct add_args *a)
{
	static const struct option opts[] = {
	    {"file", required_argument, NULL, ADD_OPT_FILE},
	    {"attach", required_argument, NULL, ADD_OPT_ATTACH}, FOLLOW_LONGOPT,
	    CMD_LONGOPTS, {NULL, 0, NULL, 0}};
	int ch, rc;

	while (
	    (ch = getopt_long(argc, argv, CMD_SHORTOPTS, opts, NULL)) != -1) {
		if (ch == ADD_OPT_FILE)
			a->file = optarg;
		else if (ch == ADD_OPT_ATTACH) {
			a->files = xrealloc(
			    a->files, (a->nfiles + 1) * sizeof *a->files);
			a->files[a->nfiles++] = optarg;
		} else if (ch == FOLLOW_OPT_RECEIPT_FD)
			a->fdarg = optarg;
		else if ((rc = cmd_option(env, ch, argv)) != CMD_CONTINUE)
			return rc;
	}
	if ((rc = cmd_operands(env, argc - optind, 0, 0)) != CMD_CONTINUE)
		return rc;
	for (size_t i = 0; i < a->nfiles; i++)
		if ((rc = casefiles_check(a->files[i])) != 0)
			return rc;
	return CMD_CONTINUE;
}

/* Posts the addition, when there is text, then uploads the files. */
static int
add_send(struct cmd_env *env, struct follow *f, const struct add_args *a,
    const char *text, size_t len, json_t *out)
{
	struct casethread_message m = {.kind = "addition"};
	json_t *reply = NULL, *done = json_array();
	size_t failed = 0;
	int rc = 0;

	m.text = text;
	m.len = len;
	if (text != NULL &&
	    (rc = casethread_post(env, "/v1/receipt/messages", f->case_id,
	         f->casekey, &m, &reply)) == 0 &&
	    !env->json)
		printf("Added to the narrative of case %s.\n", f->case_id);
	json_object_set_new(out, "addition", reply ? reply : json_null());
	if (rc == 0 && (rc = follow_upload(
	                    env, f, a->files, a->nfiles, done, &failed)) != 0)
		out_error("%s was not attached%s", a->files[failed],
		    failed > 0 ? " (the files before it were)" : "");
	json_object_set_new(out, "attachments", done);
	return rc;
}

static int
add_exec(struct cmd_env *env, int argc, char **argv)
{
	struct add_args a = {0};
	struct follow f = {0};
	json_t *out = json_object();
	char *text = NULL, *cause = NULL;
	size_t len = 0;
	int rc;

	if ((rc = add_options(env, argc, argv, &a)) != CMD_CONTINUE)
		goto out;
	if ((rc = follow_read(env, a.fdarg, &f)) != 0)
		goto out;
	/* Text from --file, or from standard input unless only files are
	 * added. */
	if ((a.file != NULL || a.nfiles == 0) &&
	    (rc = casethread_read_text(
	         a.file, "addition", &text, &len, &cause)) != 0) {
		rc = cmd_fail(rc, cause);
		goto out;
	}
	if ((rc = follow_fetch(env, &f)) != 0)
		goto out;
	follow_note_new(&f);
	json_object_set_new(out, "id", json_string(f.case_id));
	rc = add_send(env, &f, &a, text, len, out);
	if (env->json && json_object_get(out, "addition") != NULL) {
		int rc2 = out_json(out);
		rc = rc != 0 ? rc : rc2;
	} else if (rc == 0)
		rc = out_flush();

out:
	casethread_text_free(text, len);
	follow_end(env, &f);
	json_decref(out);
	free(a.files);
	return rc;
}

const struct cmd cmd_add = {
    .name = "add",
    .summary = "Add to the narrative of your case, or attach files",
    .usage = "[--file F] [--attach FILE]... [--receipt-fd N]",
    .help = "Options:\n"
            "  --file F              read the addition from file F (- for "
            "standard input)\n"
            "  --attach FILE         attach FILE, encrypted on this machine "
            "(repeat)\n" FOLLOW_HELP "\n"
            "Without --file or --attach the addition is read from standard "
            "input: after\n"
            "the receipt when the receipt is its first line.\n",
    .exec = add_exec,
};
