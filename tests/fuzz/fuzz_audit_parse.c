/*
 * libFuzzer target for the parser of audit exports that `mandate audit
 * verify` runs (client/auditv.c over daemon/auditfmt.c and csv.c): any
 * bytes as an export file, checked once with the key the export names and
 * once with a key of its own.  Whatever the bytes, the verifier answers
 * with a result: a verified export names no broken entry, a refused one
 * names why, and nothing it fills runs past its buffer.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auditv.h"
#include "crypt.h"
#include "json.h"
#include "log.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Any 32 bytes: no export is signed with this key. */
static const unsigned char fuzz_pk[CRYPT_SIGN_PK_LEN] = {1, 2, 3, 4, 5};

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	log_init("fuzz_audit_parse", LOG_LEVEL_ERR);
	json_init();
	if (crypt_init() < 0)
		abort();
	return 0;
}

static void
fuzz_verify(const uint8_t *data, size_t size, const unsigned char *pk)
{
	struct auditv_result r;
	char *cause = NULL;
	FILE *f;

	/* fmemopen() refuses a buffer of size 0: an empty file instead. */
	f = size ? fmemopen((void *)data, size, "r") : tmpfile();
	if (f == NULL)
		abort();
	memset(&r, 0, sizeof r);
	if (auditv_verify(f, pk, &r, &cause) < 0) {
		if (cause == NULL)
			abort();
		free(cause);
	} else {
		if (cause != NULL)
			abort();
		if (memchr(r.reason, '\0', sizeof r.reason) == NULL ||
		    memchr(r.fingerprint, '\0', sizeof r.fingerprint) == NULL ||
		    memchr(r.sealed_at, '\0', sizeof r.sealed_at) == NULL)
			abort();
		if (r.ok && (r.broken_seq != 0 || r.reason[0] != '\0'))
			abort();
		if (!r.ok && r.reason[0] == '\0')
			abort();
		if (r.ok && pk == fuzz_pk)
			abort(); /* nothing is signed with that key */
	}
	fclose(f);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_verify(data, size, NULL);
	fuzz_verify(data, size, fuzz_pk);
	return 0;
}
