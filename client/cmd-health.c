/*
 * mandate health: is the daemon up, which version, and who am I to it.
 */
#include <sysexits.h>

#include "cmd.h"
#include "mandate/api.h"
#include "out.h"

static int
health_exec(struct cmd_env *env, int argc, char **argv)
{
	static const struct option opts[] = {CMD_LONGOPTS, {NULL, 0, NULL, 0}};
	json_t *reply = NULL, *api;
	int ch, rc;

	while ((ch = getopt_long(argc, argv, CMD_SHORTOPTS, opts, NULL)) != -1)
		if ((rc = cmd_option(env, ch, argv)) != CMD_CONTINUE)
			return rc;
	if ((rc = cmd_operands(env, argc - optind, 0, 0)) != CMD_CONTINUE)
		return rc;
	if ((rc = cmd_request(env, "GET", "/v1/health", NULL, &reply)) != 0)
		return rc;
	if (env->json) {
		rc = out_json(reply);
		goto out;
	}
	out_field("Status", out_str(reply, "status"));
	out_field("Version", out_str(reply, "version"));
	out_field("User", out_str(reply, "user"));
	out_field("Role", out_str(reply, "role"));
	printf("%-16s %lld\n", "Units:",
	    (long long)json_integer_value(json_object_get(reply, "units")));
	api = json_object_get(reply, "api");
	if (json_integer_value(api) != MANDATE_API_VERSION)
		out_error("warning: the daemon speaks API %lld, this client "
		          "API %d",
		    (long long)json_integer_value(api), MANDATE_API_VERSION);
	rc = out_flush();

out:
	json_decref(reply);
	return rc;
}

const struct cmd cmd_health = {
    .name = "health",
    .summary = "Check that mandated answers, and who it takes you for",
    .usage = "",
    .help = NULL,
    .exec = health_exec,
};
