/*
 * mandate submit: send a case to mandated, which routes it, encrypts it for
 * the officers of the unit it goes to, and answers with the case id.
 */
#include <stdio.h>
#include <sysexits.h>

#include "cmd.h"
#include "input.h"
#include "out.h"

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
	printf("Keep the case id: you need it to follow the case.\n");
}

static int
submit_exec(struct cmd_env *env, int argc, char **argv)
{
	static const struct option opts[] = {
	    INPUT_LONGOPTS, CMD_LONGOPTS, {NULL, 0, NULL, 0}};
	struct input_case in = {0};
	json_t *c = NULL, *reply = NULL;
	char *cause = NULL;
	int ch, rc;

	while (
	    (ch = getopt_long(argc, argv, CMD_SHORTOPTS, opts, NULL)) != -1) {
		if (input_option(&in, ch, optarg))
			continue;
		if ((rc = cmd_option(env, ch, argv)) != CMD_CONTINUE)
			goto out;
	}
	if ((rc = cmd_operands(env, argc - optind, 0, 0)) != CMD_CONTINUE)
		goto out;
	if ((rc = input_read_case(&c, &in, &cause)) != 0) {
		rc = cmd_fail(rc, cause);
		goto out;
	}
	if ((rc = cmd_request(env, "POST", "/v1/cases", c, &reply)) != 0)
		goto out;
	if (env->json)
		rc = out_json(reply);
	else {
		submit_print(reply);
		rc = out_flush();
	}

out:
	json_decref(c);
	json_decref(reply);
	input_case_clear(&in);
	return rc;
}

const struct cmd cmd_submit = {
    .name = "submit",
    .summary = "Submit a case",
    .usage = INPUT_USAGE,
    .help = INPUT_HELP_OPTIONS INPUT_HELP_NOTE,
    .exec = submit_exec,
};
