/*
 * mandate audit verify: checks an audit export offline (auditv.h) and
 * names the first broken entry.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sysexits.h>

#include "auditv.h"
#include "cmd.h"
#include "crypt.h"
#include "json.h"
#include "out.h"
#include "xmalloc.h"

enum { AUDIT_VERIFY_OPT_KEY = CMD_OPT_LOCAL };

#define AUDIT_VERIFY_KEY_MAX 4096

/* The base64 key of s: the text itself, or a line of a file (the JSON
 * `mandate audit key -o` saves, or the bare key). */
static char *
audit_verify_key_text(const char *s)
{
	char buf[AUDIT_VERIFY_KEY_MAX], *why = NULL, *text;
	FILE *f = fopen(s, "r");
	json_t *v;
	size_t n;

	if (f == NULL)
		return xstrdup(s);
	n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = '\0';
	buf[strcspn(buf, "\r\n")] = '\0';
	if (buf[0] != '{')
		return xstrdup(buf);
	v = json_parse_strict(buf, strlen(buf), &why);
	free(why);
	text = xstrdup(json_is_string(json_object_get(v, "public_key"))
	                   ? json_string_value(json_object_get(v, "public_key"))
	                   : "");
	json_decref(v);
	return text;
}

static int
audit_verify_key(const char *arg, unsigned char *pk)
{
	char *text = audit_verify_key_text(arg);
	size_t len = 0;
	unsigned char *key = crypt_b64_decode(text, strlen(text), &len);
	int ok = key != NULL && len == CRYPT_SIGN_PK_LEN;

	if (ok)
		memcpy(pk, key, CRYPT_SIGN_PK_LEN);
	free(key);
	free(text);
	if (!ok)
		out_error_field("not an audit public key (save it with mandate "
		                "audit key -o FILE)",
		    "key");
	return ok ? 0 : EX_DATAERR;
}

static int
audit_verify_print(const struct cmd_env *env, const struct auditv_result *r)
{
	char line[512];
	json_t *v;
	int rc;

	if (env->json) {
		v = json_pack("{s:b, s:I, s:I, s:I, s:I, s:I, s:s, s:b}", "ok",
		    r->ok, "first_seq", (json_int_t)r->first_seq, "last_seq",
		    (json_int_t)r->last_seq, "entries", (json_int_t)r->entries,
		    "redacted", (json_int_t)r->redacted, "heads",
		    (json_int_t)r->heads, "fingerprint", r->fingerprint,
		    "key_from_export", r->key_from_export);
		if (!r->ok)
			json_object_set_new(v, "broken",
			    json_pack("{s:I, s:I, s:s}", "seq",
			        (json_int_t)r->broken_seq, "line",
			        (json_int_t)r->line, "reason", r->reason));
		rc = out_json(v);
		json_decref(v);
		return rc != 0 ? rc : r->ok ? 0 : EX_DATAERR;
	}
	if (!r->ok) {
		snprintf(
		    line, sizeof line, "verification FAILED: %s", r->reason);
		out_error_field(line, NULL);
		return EX_DATAERR;
	}
	printf("verified: entries %lld to %lld (%lld, %lld redacted), %lld "
	       "signed heads, sealed at %s by key %s\n",
	    (long long)r->first_seq, (long long)r->last_seq,
	    (long long)r->entries, (long long)r->redacted, (long long)r->heads,
	    r->sealed_at, r->fingerprint);
	if (r->key_from_export)
		printf(
		    "warning: checked with the key inside the export: compare "
		    "its fingerprint with `mandate audit key`, or use --key\n");
	return out_flush();
}

static int
audit_verify_exec(struct cmd_env *env, int argc, char **argv)
{
	static const struct option opts[] = {
	    {"key", required_argument, NULL, AUDIT_VERIFY_OPT_KEY},
	    CMD_LONGOPTS, {NULL, 0, NULL, 0}};
	unsigned char pk[CRYPT_SIGN_PK_LEN];
	const char *keyarg = NULL;
	struct auditv_result r;
	char *cause = NULL;
	FILE *f;
	int ch, rc;

	while (
	    (ch = getopt_long(argc, argv, CMD_SHORTOPTS, opts, NULL)) != -1) {
		if (ch == AUDIT_VERIFY_OPT_KEY)
			keyarg = optarg;
		else if ((rc = cmd_option(env, ch, argv)) != CMD_CONTINUE)
			return rc;
	}
	if ((rc = cmd_operands(env, argc - optind, 1, 1)) != CMD_CONTINUE)
		return rc;
	if (keyarg != NULL && (rc = audit_verify_key(keyarg, pk)) != 0)
		return rc;
	if ((f = fopen(argv[optind], "r")) == NULL)
		return cmd_fail(EX_NOINPUT,
		    xasprintf("%s: %s", argv[optind], strerror(errno)));
	rc = auditv_verify(f, keyarg != NULL ? pk : NULL, &r, &cause);
	fclose(f);
	if (rc < 0)
		return cmd_fail(EX_IOERR, cause);
	return audit_verify_print(env, &r);
}

const struct cmd cmd_audit_verify = {
    .name = "audit verify",
    .summary = "Verify an audit export offline: hashes, chain, signatures",
    .usage = "FILE [--key KEY]",
    .help = "Options:\n"
            "  --key KEY             the daemon's audit public key: base64, "
            "or a file\n"
            "                        saved by mandate audit key -o (without "
            "it, the\n"
            "                        key inside the export is used, which "
            "proves\n"
            "                        only that the export is whole)\n"
            "\nExit status: 0 when it verifies, 65 at the first broken "
            "entry (named).\n",
    .exec = audit_verify_exec,
};
