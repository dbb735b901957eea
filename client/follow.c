/*
 * Following a case with its receipt.  See follow.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "casefiles.h"
#include "casethread.h"
#include "cmd.h"
#include "crypt.h"
#include "follow.h"
#include "out.h"
#include "receipt.h"
#include "xmalloc.h"

void
follow_prove(struct cmd_env *env, struct follow *f)
{
	f->header = receipt_header(&f->receipt);
	env->receipt_header = f->header;
}

int
follow_read(struct cmd_env *env, const char *fdarg, struct follow *f)
{
	char *cause = NULL;
	int fd, rc;

	if ((rc = receipt_source(fdarg, &fd, &f->from_stdin, &cause)) != 0 ||
	    (rc = receipt_read(&f->receipt, fd, &cause)) != 0)
		return cmd_fail(rc, cause);
	follow_prove(env, f);
	return 0;
}

int
follow_fetch(struct cmd_env *env, struct follow *f)
{
	const char *id;
	char *cause = NULL;
	int rc;

	if ((rc = cmd_request(env, "GET",
	         f->mark_seen ? "/v1/receipt?seen=1" : "/v1/receipt", NULL,
	         &f->view)) != 0)
		return rc;
	id = json_string_value(json_object_get(f->view, "id"));
	if (id == NULL || !mandate_case_id_valid(id))
		return cmd_fail(EX_PROTOCOL,
		    xstrdup("the reply of mandated has no valid case id"));
	snprintf(f->case_id, sizeof f->case_id, "%s", id);
	rc = receipt_open_key(&f->receipt,
	    json_string_value(json_object_get(f->view, "sealed_key")),
	    &f->casekey, &cause);
	if (rc != 0)
		return cmd_fail(rc, cause);
	json_object_del(f->view, "sealed_key");
	casethread_decrypt(f->view, f->case_id, f->casekey);
	return 0;
}

void
follow_note_new(const struct follow *f)
{
	const json_t *m;
	size_t i, fresh = 0;

	json_array_foreach(json_object_get(f->view, "messages"), i, m) fresh +=
	    json_is_true(json_object_get(m, "new"));
	if (fresh > 0)
		out_error("note: %zu new message%s from the officers: read "
		          "%s with mandate status",
		    fresh, fresh == 1 ? "" : "s", fresh == 1 ? "it" : "them");
}

/* "300000 bytes", "1.5 MiB": a size for people. */
static void
follow_size(char *buf, size_t size, json_int_t bytes)
{
	if (bytes < 1024 * 1024)
		snprintf(buf, size, "%lld bytes", (long long)bytes);
	else
		snprintf(buf, size, "%.1f MiB", (double)bytes / (1024 * 1024));
}

int
follow_upload(struct cmd_env *env, struct follow *f, char *const *files,
    size_t n, json_t *done, size_t *failed)
{
	json_t *info;
	char size[32];
	int rc;

	for (size_t i = 0; i < n; i++) {
		if ((rc = casefiles_upload(
		         env, f->case_id, f->casekey, files[i], &info)) != 0) {
			*failed = i;
			return rc;
		}
		if (!env->json) {
			follow_size(size, sizeof size,
			    json_integer_value(json_object_get(info, "size")));
			printf("Attached ");
			out_text(stdout, out_str(info, "name"), 0);
			printf(" (%s, encrypted on this machine)\n", size);
			fflush(stdout);
		}
		json_array_append_new(done, info);
	}
	return 0;
}

void
follow_end(struct cmd_env *env, struct follow *f)
{
	if (env->receipt_header == f->header)
		env->receipt_header = NULL;
	if (f->header != NULL) {
		crypt_wipe(f->header, strlen(f->header));
		free(f->header);
	}
	receipt_clear(&f->receipt);
	json_decref(f->view); /* jansson's memory is wiped on free: main.c */
	crypt_key_free(f->casekey);
	memset(f, 0, sizeof *f);
}
