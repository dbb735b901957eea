/*
 * mandate show ID: an officer reads a case.  The daemon hands over the
 * encrypted content and thread and the officer's sealed copy of the case
 * key; the client opens them here with the officer's key file and
 * passphrase, and with --attachments DIR saves the attachments there.  The
 * secret key, the case key and the plaintext are wiped after use.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

#include "casefiles.h"
#include "casethread.h"
#include "cmd.h"
#include "crypt.h"
#include "json.h"
#include "mandate/api.h"
#include "officer.h"
#include "out.h"
#include "xmalloc.h"

enum {
	SHOW_OPT_KEY = CMD_OPT_LOCAL,
	SHOW_OPT_PASSPHRASE_FD,
	SHOW_OPT_ATTACHMENTS,
};

struct show_args {
	const char *key;    /* --key, or NULL */
	const char *passfd; /* --passphrase-fd, or NULL */
	const char *dir;    /* --attachments, or NULL */
};

/* Decodes member key of reply, base64, of at least min bytes. */
static unsigned char *
show_decode(const json_t *reply, const char *key, size_t min, size_t *len)
{
	const char *s = json_string_value(json_object_get(reply, key));
	unsigned char *bin;

	if (s == NULL || (bin = crypt_b64_decode(s, strlen(s), len)) == NULL)
		return NULL;
	if (*len < min) {
		free(bin);
		return NULL;
	}
	return bin;
}

/* Decrypts the content box bound to case id into the plaintext object. */
static int
show_open_content(const json_t *content, const char *id,
    const unsigned char *casekey, json_t **plain)
{
	unsigned char ad[CRYPT_AD_MAX], *box = NULL;
	char *pt = NULL, *why = NULL;
	size_t adlen, boxlen, ptlen = 0;
	int rc = EX_PROTOCOL;

	box = show_decode(content, "content", CRYPT_BOX_OVERHEAD, &boxlen);
	adlen = crypt_ad(ad, sizeof ad, "cases", "content", id);
	if (box == NULL || adlen == 0) {
		rc = cmd_fail(rc, xstrdup("the reply has no valid content"));
		goto out;
	}
	ptlen = boxlen - CRYPT_BOX_OVERHEAD;
	pt = xmalloc(ptlen + 1);
	if (crypt_unbox((unsigned char *)pt, box, boxlen, ad, adlen, casekey) !=
	    0) {
		rc = cmd_fail(EX_DATAERR,
		    xstrdup("the case content fails authentication: it was "
		            "altered, or belongs to another case"));
		goto out;
	}
	*plain = json_parse_strict(pt, ptlen, &why);
	if (!json_is_object(*plain)) {
		json_decref(*plain);
		*plain = NULL;
		rc = cmd_fail(EX_DATAERR,
		    xstrdup("the decrypted content is not a JSON object"));
		goto out;
	}
	rc = 0;

out:
	if (pt != NULL)
		crypt_wipe(pt, ptlen + 1);
	free(pt);
	free(box);
	free(why);
	return rc;
}

/* The metadata, readable by the daemon too. */
static void
show_print_meta(const json_t *meta, const json_t *plain)
{
	const json_t *routing = json_object_get(plain, "routing");
	char buf[1024];

	out_field("Case", out_str(meta, "id"));
	out_field("Unit", out_str(meta, "unit"));
	out_field("Status", out_str(meta, "status"));
	out_field("Category", out_str(meta, "category"));
	out_field("Subject office", out_str(meta, "subject_office"));
	out_field("Language", out_str(meta, "language"));
	out_field("Received", out_str(meta, "received_at"));
	out_field("Due", out_str(meta, "due_at"));
	out_field("Rule", out_str(meta, "rule"));
	/* The words that matched come from the content: sealed with it. */
	if (!json_is_array(json_object_get(routing, "matched")))
		routing = meta;
	out_field("Matched", out_list(buf, sizeof buf, routing, "matched"));
	out_field("Recused", out_bool(meta, "recused"));
	out_field("Urgent", out_bool(meta, "urgent"));
}

/* The decrypted content: who submitted it, title, subjects, narrative. */
static void
show_print_content(const json_t *meta, const json_t *plain)
{
	const char *user = json_string_value(
	    json_object_get(json_object_get(plain, "submitter"), "user"));
	char buf[1024];

	if (user != NULL)
		out_field("Submitted by", user);
	else if (json_is_true(json_object_get(meta, "anonymous")))
		out_field("Submitted by", "anonymous");
	out_field("Title", out_str(plain, "title"));
	if (json_array_size(json_object_get(plain, "subjects")) > 0)
		out_field(
		    "Subjects", out_list(buf, sizeof buf, plain, "subjects"));
	putchar('\n');
	out_text(stdout, out_str(plain, "narrative"), OUT_TEXT_MULTILINE);
	putchar('\n');
	crypt_wipe(buf, sizeof buf);
}

static int
show_output(
    const struct cmd_env *env, json_t *meta, json_t *plain, json_t *content)
{
	static const char *const thread[] = {
	    "messages", "consents", "attachments", "notes"};
	json_t *both;
	int rc;

	if (!env->json) {
		show_print_meta(meta, plain);
		putchar('\n');
		show_print_content(meta, plain);
		putchar('\n');
		casethread_print(content, CASETHREAD_OFFICER);
		return out_flush();
	}
	both = json_object();
	json_object_set(both, "case", meta);
	json_object_set(both, "content", plain);
	for (size_t i = 0; i < sizeof thread / sizeof thread[0]; i++)
		if (json_object_get(content, thread[i]) != NULL)
			json_object_set(both, thread[i],
			    json_object_get(content, thread[i]));
	rc = out_json(both);
	json_decref(both);
	return rc;
}

/* Opens dir, made (0700) when missing; -1 after saying why. */
static int
show_open_dir(const char *dir)
{
	int fd;

	if (mkdir(dir, 0700) == -1 && errno != EEXIST) {
		out_error("%s: %s", dir, strerror(errno));
		return -1;
	}
	if ((fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1)
		out_error("%s: %s", dir, strerror(errno));
	return fd;
}

/*
 * Saves every attachment of the decrypted thread into dir, noting each
 * one's file in its "file" member.  Carries on past a failure; returns the
 * first one's status.
 */
static int
show_save(struct cmd_env *env, const char *id, const unsigned char *casekey,
    json_t *content, const char *dir)
{
	json_t *a;
	char *saved, *file;
	size_t i;
	int dirfd, rc = 0, r;

	if ((dirfd = show_open_dir(dir)) == -1)
		return EX_CANTCREAT;
	json_array_foreach(json_object_get(content, "attachments"), i, a)
	{
		if ((r = casefiles_download(
		         env, id, casekey, a, dirfd, &saved)) != 0) {
			rc = rc != 0 ? rc : r;
			continue;
		}
		file = xasprintf("%s/%s", dir, saved);
		json_object_set_new(a, "file", json_string(file));
		if (!env->json) {
			printf("Saved ");
			out_text(stdout, out_str(a, "name"), 0);
			printf(" as ");
			out_text(stdout, file, 0);
			putchar('\n');
		}
		free(file);
		free(saved);
	}
	close(dirfd);
	return rc;
}

/* Fetches, unlocks and decrypts; then prints, and saves attachments. */
static int
show_case(struct cmd_env *env, const char *id, const struct show_args *a)
{
	struct officer_case oc;
	json_t *plain = NULL;
	int rc, saved = 0;

	if ((rc = officer_open(env, id, a->key, a->passfd, &oc)) != 0)
		return rc;
	if ((rc = show_open_content(oc.content, id, oc.casekey, &plain)) != 0)
		goto out;
	casethread_decrypt(oc.content, id, oc.casekey);
	/* --json prints one object, which names the files saved. */
	if (a->dir != NULL && env->json)
		saved = show_save(env, id, oc.casekey, oc.content, a->dir);
	rc = show_output(env, oc.meta, plain, oc.content);
	if (a->dir != NULL && !env->json && rc == 0)
		saved = show_save(env, id, oc.casekey, oc.content, a->dir);
	rc = rc != 0 ? rc : saved;

out:
	json_decref(plain); /* wiped on free: json_init() */
	officer_close(&oc);
	return rc;
}

static int
show_exec(struct cmd_env *env, int argc, char **argv)
{
	static const struct option opts[] = {
	    {"key", required_argument, NULL, SHOW_OPT_KEY},
	    {"passphrase-fd", required_argument, NULL, SHOW_OPT_PASSPHRASE_FD},
	    {"attachments", required_argument, NULL, SHOW_OPT_ATTACHMENTS},
	    CMD_LONGOPTS, {NULL, 0, NULL, 0}};
	struct show_args a = {0};
	char id[MANDATE_CASE_ID_LEN + 1];
	int ch, rc;

	while (
	    (ch = getopt_long(argc, argv, CMD_SHORTOPTS, opts, NULL)) != -1) {
		if (ch == SHOW_OPT_KEY)
			a.key = optarg;
		else if (ch == SHOW_OPT_PASSPHRASE_FD)
			a.passfd = optarg;
		else if (ch == SHOW_OPT_ATTACHMENTS)
			a.dir = optarg;
		else if ((rc = cmd_option(env, ch, argv)) != CMD_CONTINUE)
			return rc;
	}
	if ((rc = cmd_operands(env, argc - optind, 1, 1)) != CMD_CONTINUE)
		return rc;
	if ((rc = cmd_case_id(id, sizeof id, argv[optind])) != CMD_CONTINUE)
		return rc;
	return show_case(env, id, &a);
}

const struct cmd cmd_show = {
    .name = "show",
    .summary = "Read a case of your unit, decrypted with your key",
    .usage = "[--key FILE] [--passphrase-fd N] [--attachments DIR] ID",
    .help = "Options:\n"
            "  --key FILE            your key file (MANDATE_KEY; default "
            "~/.config/mandate/officer.key)\n"
            "  --passphrase-fd N     read the passphrase from file "
            "descriptor N\n"
            "                        (MANDATE_PASSPHRASE_FD), not from "
            "the terminal\n"
            "  --attachments DIR     save the attachments, decrypted, in "
            "DIR (made if\n"
            "                        missing); never replaces a file\n",
    .exec = show_exec,
};
